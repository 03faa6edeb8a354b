// WAV sound: WAVFile.decode and WAVFile.format(of:file:) (the chunk walk, every fmt tag and encoding).

import Foundation
import SparsityIO

/// `WAVFile.decode`: `WAVFile.format(of:file:)` agrees with the sound; the samples are finite,
/// frames x channels of them, in -1...1 when PCM; written as float32 and read back they keep
/// their bits, and written as 16-bit PCM their values when the file had at most 16 bits (each
/// when the format's 32-bit fields can hold the sound in that encoding).
enum WAVHarness: Harness {
  static let maximumLength = 4096

  static let entryPoints = "WAVFile.decode, WAVFile.format(of:file:), WAVFile.encode"

  static func run(_ data: Data) -> Bool {
    guard let sound = try? WAVFile.decode(data, file: "fuzz.wav") else { return false }
    let format = mustDecode("WAVFile.format") { () throws(ArrayFileError) in
      try WAVFile.format(of: data, file: "fuzz.wav")
    }
    precondition(
      format.channelCount == sound.channelCount && format.sampleRate == sound.sampleRate
        && format.frameCount == sound.frameCount, "WAV: the format disagrees with the sound")
    precondition(sound.samples.count == sound.frameCount * sound.channelCount, "WAV: not whole frames")
    precondition(sound.samples.allSatisfy(\.isFinite), "WAV: a non-finite sample")
    precondition(format.encoding.isFloat || sound.samples.allSatisfy { (-1...1).contains($0) }, "WAV: PCM past -1...1")
    precondition(sound.mixedDown().count == sound.frameCount, "WAV: mixed down to another length")
    // A sound the reader accepts may not fit a writer's 32-bit fields (its byte rate at 4 bytes a
    // sample, say): that is a refusal, checked to agree with the writer, not a round trip.
    if WAVFile.encodingProblem(sound, encoding: .float32) == nil {
      let float = mustDecode("the float32 file written back") { () throws(ArrayFileError) in
        try WAVFile.decode(WAVFile.encode(sound, encoding: .float32), file: "again.wav")
      }
      precondition(
        float.channelCount == sound.channelCount && float.sampleRate == sound.sampleRate, "WAV: float32 header")
      precondition(sameBits(float.samples, sound.samples), "WAV: float32 round trip differs")
    }
    if WAVFile.encodingProblem(sound, encoding: .pcm16) == nil {
      let pcm = mustDecode("the pcm16 file written back") { () throws(ArrayFileError) in
        try WAVFile.decode(WAVFile.encode(sound, encoding: .pcm16), file: "again.wav")
      }
      let exact = !format.encoding.isFloat && format.encoding.bytesPerSample <= 2
      precondition(pcm.frameCount == sound.frameCount && (!exact || pcm == sound), "WAV: pcm16 round trip differs")
    }
    return true
  }

  static var seeds: [String: Data] {
    let ramp = (0..<12).map { Float($0 - 6) / 6 }
    return [
      "pcm16-mono.wav": WAVFile.encode(Sound(mono: ramp, sampleRate: 8000)),
      "float32-stereo.wav": WAVFile.encode(
        Sound(samples: ramp, channelCount: 2, sampleRate: 44100), encoding: .float32),
      "pcm8.wav": WAVSeeds.file(WAVSeeds.fmt(tag: 1, channels: 1, bits: 8), WAVSeeds.data(count: 9)),
      "pcm12.wav": WAVSeeds.file(WAVSeeds.fmt(tag: 1, channels: 1, bits: 12), WAVSeeds.data(count: 8)),
      "pcm24-stereo.wav": WAVSeeds.file(WAVSeeds.fmt(tag: 1, channels: 2, bits: 24), WAVSeeds.data(count: 24)),
      "pcm32.wav": WAVSeeds.file(WAVSeeds.fmt(tag: 1, channels: 1, bits: 32), WAVSeeds.data(count: 16)),
      "float64.wav": WAVSeeds.file(
        WAVSeeds.fmt(tag: 3, channels: 1, bits: 64),
        WAVSeeds.chunk("data", [0.5, -1e-3, 2].flatMap { littleEndian(Double($0).bitPattern) })),
      "extensible-pcm24in32.wav": WAVSeeds.file(WAVSeeds.extensible(bits: 32, validBits: 24), WAVSeeds.data(count: 16)),
      "extensible-float32.wav": WAVSeeds.file(
        WAVSeeds.extensible(bits: 32, validBits: 32, subformat: 3),
        WAVSeeds.chunk("data", [0.25, -0.75].flatMap { littleEndian(Float($0).bitPattern) })),
      "chunks-any-order.wav": WAVSeeds.file(
        WAVSeeds.data(count: 5), WAVSeeds.chunk("LIST", Array("INFOabc".utf8)),
        WAVSeeds.fmt(tag: 1, channels: 1, bits: 8)),
      "truncated-streaming.wav": WAVSeeds.file(
        WAVSeeds.fmt(tag: 1, channels: 1, bits: 16), Array("data".utf8) + littleEndian(UInt32.max) + [1, 2, 3, 4, 5]),
    ]
  }
}

/// WAV files the writer does not make (other encodings, extensible headers, odd chunk orders):
/// seeds for the reader's other paths.
enum WAVSeeds {
  /// A chunk: identifier, size, payload, a pad byte when the size is odd.
  static func chunk(_ id: String, _ payload: [UInt8]) -> [UInt8] {
    Array(id.utf8) + littleEndian(UInt32(payload.count)) + payload + (payload.count % 2 == 1 ? [0] : [])
  }

  /// A `data` chunk of `count` varied bytes.
  static func data(count: Int) -> [UInt8] {
    chunk("data", (0..<count).map { UInt8(truncatingIfNeeded: 37 * $0 + 11) })
  }

  /// A plain `fmt ` chunk at 8 kHz, block align channels x whole bytes per sample.
  static func fmt(tag: UInt16, channels: UInt16, bits: UInt16) -> [UInt8] {
    let align = channels * ((bits + 7) / 8)
    return chunk("fmt ", fields(tag, channels, align, bits, rate: 8000))
  }

  /// A WAVE_FORMAT_EXTENSIBLE mono `fmt ` chunk at 8 kHz of sub-format `subformat` (1 PCM, 3 float).
  static func extensible(bits: UInt16, validBits: UInt16, subformat: UInt16 = 1) -> [UInt8] {
    let guid: [UInt8] = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]
    let tail = littleEndian(UInt16(22)) + littleEndian(validBits) + littleEndian(UInt32(4)) + littleEndian(subformat)
    return chunk("fmt ", fields(0xFFFE, 1, bits / 8, bits, rate: 8000) + tail + guid)
  }

  /// The 16 bytes every `fmt ` chunk starts with.
  static func fields(_ tag: UInt16, _ channels: UInt16, _ align: UInt16, _ bits: UInt16, rate: UInt32) -> [UInt8] {
    littleEndian(tag) + littleEndian(channels) + littleEndian(rate) + littleEndian(rate * UInt32(align))
      + littleEndian(align) + littleEndian(bits)
  }

  /// A RIFF/WAVE file of `chunks`.
  static func file(_ chunks: [UInt8]...) -> Data {
    let body = chunks.flatMap { $0 }
    return Data(Array("RIFF".utf8) + littleEndian(UInt32(4 + body.count)) + Array("WAVE".utf8) + body)
  }
}
