// Reading and writing WAV sound files (RIFF/WAVE): PCM and IEEE float, plain or extensible.

import Foundation
import SparsityCore

/// Microsoft's WAV (RIFF/WAVE) sound files.
///
/// Layout: `RIFF`, a little-endian `UInt32` size, `WAVE`, then chunks, each a four-character
/// identifier, a little-endian `UInt32` payload size, the payload and one pad byte when the size
/// is odd. The `fmt ` chunk says how samples are stored; the `data` chunk holds them, frame after
/// frame, the channels of a frame interleaved.
///
/// Reading (`decode(_:file:)`):
/// - chunks come in any order (`fmt ` after `data` is fine); unknown ones (`LIST`, `fact`,
///   `cue `, ...) are skipped, pad byte included, and never descended into; a repeated `fmt `
///   or `data` chunk is an error. The RIFF size field is ignored, as streaming writers leave it
///   0 or 0xFFFFFFFF: chunks are read to the end of the file.
/// - format tag 1 (PCM, 1 to 32 bits in whole-byte containers, 8 bits and fewer unsigned),
///   3 (IEEE float, 32 or 64 bits) and 0xFFFE (WAVE_FORMAT_EXTENSIBLE, PCM or float by its
///   sub-format GUID; bits below its valid bits are cleared). Block align must equal channels x
///   container bytes; the byte rate is not checked. A-law, mu-law, ADPCM, MP3 and RF64 are
///   refused by name.
/// - PCM becomes `v / 2^(container bits - 1)`, in -1...1 (16-bit -32768 is -1, 8-bit 128 is 0);
///   float samples are kept as they are (float64 rounded to Float) and must be finite: a NaN,
///   an infinity or a float64 past the Float range is an error naming its frame and channel.
/// - a `data` chunk that declares more bytes than the file holds (a file cut short, or a
///   streaming writer's 0xFFFFFFFF) is read as the whole frames present, dropping a partial last
///   frame, and `WAVFormat.isTruncated` says so; a complete `data` chunk whose size is not a
///   whole number of frames is an error.
/// - limits: 1...`maximumChannelCount` channels, 1...`maximumSampleRate` Hz; the samples'
///   Floats (4 bytes each) are checked against the memory budget (`MemoryBudget`) first.
///
/// Writing (`encode(_:encoding:)`): 16-bit PCM (format tag 1, 16-byte `fmt `) or 32-bit float
/// (tag 3, 18-byte `fmt ` and a `fact` chunk), never WAVE_FORMAT_EXTENSIBLE.
///
/// Reference: IBM and Microsoft, "Multimedia Programming Interface and Data Specifications 1.0"
/// (1991), RIFF and WAVE; Microsoft, "WAVEFORMATEXTENSIBLE" (mmreg.h, ksmedia.h).
public enum WAVFile {
  /// The most channels a file may have to be read or written: 1,024, far above surround sound
  /// (8) and most microphone arrays; a header above it is more likely corrupt than real.
  public static let maximumChannelCount = 1024

  /// The highest sample rate read or written: 100 MHz, above every audio rate (768 kHz) and
  /// the radio recordings stored as WAV (tens of MHz); a header above it is likely corrupt.
  public static let maximumSampleRate = 100_000_000

  /// The encodings `encode(_:encoding:)` writes.
  public enum WriteEncoding: Sendable, Equatable, CaseIterable {
    /// Signed 16-bit PCM: `round(s * 32768)` clamped to -32768...32767 (so 1 becomes 32767).
    case pcm16
    /// IEEE single precision, the samples bit for bit.
    case float32

    /// The encoding a reader sees.
    public var encoding: WAVEncoding { self == .pcm16 ? .pcm16 : .float32 }
  }

  /// Reads the WAV file at `url`.
  /// - Throws: `ArrayFileError` naming the file and the problem.
  /// - Complexity: O(file size).
  public static func read(contentsOf url: URL) throws(ArrayFileError) -> Sound {
    try decode(ArrayFileAccess.contents(of: url), file: url.relativePath)
  }

  /// Reads the format of the WAV file at `url`: all its checks but the samples'.
  /// - Throws: `ArrayFileError` naming the file and the problem.
  public static func readFormat(contentsOf url: URL) throws(ArrayFileError) -> WAVFormat {
    try format(of: ArrayFileAccess.contents(of: url), file: url.relativePath)
  }

  /// Decodes the bytes of a WAV file; `file` names it in errors.
  /// - Throws: `ArrayFileError.malformedSound` for a corrupt or inconsistent file or a
  ///   non-finite sample, `.unsupportedSound` for an encoding or limit this reader does not
  ///   take, `.exceedsMemory` when the samples do not fit the memory budget.
  /// - Complexity: O(`data.count`).
  public static func decode(_ data: Data, file: String) throws(ArrayFileError) -> Sound {
    try decode(data, file: file, budget: nil)
  }

  /// The format of the WAV file `data` without decoding its samples; `file` names it in errors.
  /// - Throws: as `decode(_:file:)`, but for the samples' values and memory.
  /// - Complexity: O(number of chunks).
  public static func format(of data: Data, file: String) throws(ArrayFileError) -> WAVFormat {
    let result: Result<WAVFormat, ArrayFileError> = data.withUnsafeBytes { raw in
      Result { () throws(ArrayFileError) -> WAVFormat in try layout(of: raw, file: file).format }
    }
    return try result.get()
  }

  /// Writes `sound` to `url` in `encoding`, atomically (see `AtomicFile`).
  /// - Throws: `ArrayFileError.unwritable` naming the file, also for a sound a WAV file cannot
  ///   hold: a NaN or infinite sample, too many channels, too high a rate, 4 GiB of samples.
  public static func write(_ sound: Sound, encoding: WriteEncoding = .pcm16, to url: URL) throws(ArrayFileError) {
    if let problem = writeProblem(sound, encoding: encoding, checkingSamples: true) {
      throw .unwritable(file: url.relativePath, reason: problem)
    }
    try ArrayFileAccess.write(encode(sound, encoding: encoding), to: url)
  }

  /// Why a WAV file in `encoding` cannot hold `sound`, or nil when it can: more than
  /// `maximumChannelCount` channels or `maximumSampleRate` Hz, or sizes past the format's 32-bit
  /// fields (4 GiB of samples, or a byte rate of 4 GiB a second: a file the reader accepts, 129
  /// channels at 8.4 MHz say, may have no float32 twin). Samples are not checked.
  public static func encodingProblem(_ sound: Sound, encoding: WriteEncoding) -> String? {
    writeProblem(sound, encoding: encoding, checkingSamples: false)
  }

  /// The bytes of a WAV file holding `sound` in `encoding`. A pcm16 sample is clipped to
  /// full scale, a NaN written as 0 (`write(_:encoding:to:)` refuses both NaN and infinity).
  /// - Precondition: `encodingProblem(sound, encoding:)` is nil.
  /// - Complexity: O(`sound.samples.count`).
  public static func encode(_ sound: Sound, encoding: WriteEncoding = .pcm16) -> Data {
    if let problem = writeProblem(sound, encoding: encoding, checkingSamples: false) {
      preconditionFailure("WAVFile.encode: \(problem)")
    }
    let bytesPerSample = encoding.encoding.bytesPerSample
    let blockAlign = sound.channelCount * bytesPerSample
    let isFloat = encoding == .float32
    var format = fields16([isFloat ? 3 : 1, sound.channelCount])
    format += fields32([sound.sampleRate, sound.sampleRate * blockAlign]) + fields16([blockAlign, 8 * bytesPerSample])
    if isFloat { format += fields16([0]) }  // cbSize: no extension
    var header = chunkHeader("fmt ", size: format.count) + format
    if isFloat { header += chunkHeader("fact", size: 4) + fields32([sound.frameCount]) }
    let payload = encoding.bytes(sound.samples)
    header += chunkHeader("data", size: payload.count)
    var out = Data(capacity: 12 + header.count + payload.count)
    out.append(contentsOf: Array("RIFF".utf8) + fields32([4 + header.count + payload.count]) + Array("WAVE".utf8))
    out.append(contentsOf: header)
    out.append(contentsOf: payload)
    return out
  }

  /// `decode(_:file:)`, checking the samples' memory against `budget` when given (tests).
  static func decode(_ data: Data, file: String, budget: MemoryBudget.Budget?) throws(ArrayFileError) -> Sound {
    let result: Result<Sound, ArrayFileError> = data.withUnsafeBytes { raw in
      Result { () throws(ArrayFileError) -> Sound in
        let (format, chunk, range) = try layout(of: raw, file: file)
        let count = format.frameCount * format.channelCount  // at most range.count: no overflow
        try ArrayFileError.checkMemory(
          .floats(format.frameCount, format.channelCount), file: file,
          for: "a \(format.channelCount)-channel sound of \(ArrayFileError.grouped(format.frameCount)) frames",
          budget: budget)
        let bytes = UnsafeRawBufferPointer(rebasing: raw[range])
        let samples = chunk.samples(bytes, count: count)
        try chunk.checkFinite(samples, decodedFrom: bytes, file: file)
        return Sound(samples: samples, channelCount: format.channelCount, sampleRate: format.sampleRate)
      }
    }
    return try result.get()
  }

  /// The format of the file `raw`, its `fmt ` chunk and the bytes of its whole frames.
  static func layout(
    of raw: UnsafeRawBufferPointer, file: String
  ) throws(ArrayFileError) -> (format: WAVFormat, chunk: WAVFormatChunk, frames: Range<Int>) {
    let chunks = try WAVChunks.locate(in: raw, file: file)
    let chunk = try WAVFormatChunk(
      parsing: UnsafeRawBufferPointer(rebasing: raw[chunks.format]), offset: chunks.formatOffset, file: file)
    let frameBytes = chunk.bytesPerFrame
    let frames = chunks.data.count / frameBytes
    guard chunks.isTruncated || chunks.data.count % frameBytes == 0 else {
      throw .malformedSound(
        file: file,
        detail: "the data chunk at byte \(chunks.dataOffset) holds \(ArrayFileError.grouped(chunks.data.count)) bytes,"
          + " not a whole number of \(frameBytes)-byte frames (\(chunk.channelCount) x \(chunk.encoding))")
    }
    let format = WAVFormat(
      encoding: chunk.encoding, validBitsPerSample: chunk.validBits, channelCount: chunk.channelCount,
      sampleRate: chunk.sampleRate, frameCount: frames, isTruncated: chunks.isTruncated)
    return (format, chunk, chunks.data.lowerBound..<(chunks.data.lowerBound + frames * frameBytes))
  }

  /// Why `sound` cannot be written in `encoding` (too many channels, too high a rate, 4 GiB
  /// of samples, and with `checkingSamples` a sample that is not finite), or nil.
  static func writeProblem(_ sound: Sound, encoding: WriteEncoding, checkingSamples: Bool) -> String? {
    let channels = sound.channelCount
    if channels > maximumChannelCount {
      return "\(ArrayFileError.grouped(channels)) channels, more than WAV files are read with"
        + " (\(ArrayFileError.grouped(maximumChannelCount)))"
    }
    if sound.sampleRate > maximumSampleRate {
      return "a sample rate of \(ArrayFileError.grouped(sound.sampleRate)) Hz, more than WAV files are read with"
        + " (\(ArrayFileError.grouped(maximumSampleRate)) Hz)"
    }
    guard sound.samples.count % channels == 0 else {
      return "\(sound.samples.count) samples are not a whole number of \(channels)-channel frames"
    }
    let (bytes, overflow) = sound.samples.count.multipliedReportingOverflow(by: encoding.encoding.bytesPerSample)
    let byteRate = sound.sampleRate * channels * encoding.encoding.bytesPerSample  // below 2^42
    if overflow || bytes > Int(UInt32.max) - 64 || byteRate > Int(UInt32.max) {
      return "\(ArrayFileError.grouped(sound.samples.count)) samples at \(ArrayFileError.grouped(sound.sampleRate)) Hz"
        + " need more than the 32-bit sizes of a WAV file hold (4 GiB, 4 GiB a second)"
    }
    guard checkingSamples, let index = sound.samples.firstIndex(where: { !$0.isFinite }) else { return nil }
    let value = sound.samples[index]
    return "frame \(index / channels), channel \(index % channels) holds \(value.isNaN ? "NaN" : "\(value)"),"
      + " not a finite sample"
  }

  /// A chunk's header: its four-character identifier and its payload size.
  private static func chunkHeader(_ id: String, size: Int) -> [UInt8] {
    Array(id.utf8) + fields32([size])
  }

  /// `values` as little-endian `UInt16`s.
  private static func fields16(_ values: [Int]) -> [UInt8] {
    values.flatMap { withUnsafeBytes(of: UInt16(truncatingIfNeeded: $0).littleEndian, Array.init) }
  }

  /// `values` as little-endian `UInt32`s.
  private static func fields32(_ values: [Int]) -> [UInt8] {
    values.flatMap { withUnsafeBytes(of: UInt32(truncatingIfNeeded: $0).littleEndian, Array.init) }
  }
}
