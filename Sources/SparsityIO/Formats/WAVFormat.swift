// What a WAV file's header says: the sample encoding, channels, rate and frames.

import Foundation

/// How a WAV file stores one sample: its container.
public enum WAVEncoding: Sendable, Equatable, CaseIterable, CustomStringConvertible {
  /// Unsigned 8-bit PCM: byte 128 is silence, sample `(b - 128) / 128`.
  case pcm8
  /// Signed 16-bit little-endian PCM, sample `v / 2^15`.
  case pcm16
  /// Signed 24-bit little-endian PCM (three bytes), sample `v / 2^23`.
  case pcm24
  /// Signed 32-bit little-endian PCM, sample `v / 2^31`.
  case pcm32
  /// IEEE 754 single precision, little-endian, kept as it is.
  case float32
  /// IEEE 754 double precision, little-endian, rounded to the nearest `Float`.
  case float64

  /// The bytes one sample takes.
  public var bytesPerSample: Int {
    switch self {
    case .pcm8: return 1
    case .pcm16: return 2
    case .pcm24: return 3
    case .pcm32, .float32: return 4
    case .float64: return 8
    }
  }

  /// True for the IEEE float encodings.
  public var isFloat: Bool { self == .float32 || self == .float64 }

  /// `16-bit PCM`, `32-bit float`.
  public var description: String { "\(bytesPerSample * 8)-bit \(isFloat ? "float" : "PCM")" }

  /// The PCM encoding of `bytes`-byte containers (1...4), or the float encoding of 4 or 8 bytes.
  init?(bytes: Int, isFloat: Bool) {
    switch (bytes, isFloat) {
    case (1, false): self = .pcm8
    case (2, false): self = .pcm16
    case (3, false): self = .pcm24
    case (4, false): self = .pcm32
    case (4, true): self = .float32
    case (8, true): self = .float64
    default: return nil
    }
  }
}

/// What the header of a WAV file says about its sound, checked against the file
/// (`WAVFile.format(of:file:)`): enough to describe it without decoding a sample.
public struct WAVFormat: Sendable, Equatable, CustomStringConvertible {
  /// How each sample is stored.
  public let encoding: WAVEncoding
  /// The bits of each sample that carry the signal, at most the container's (`encoding`):
  /// 12 for 12-bit PCM in 16-bit containers, 20 for WAVE_FORMAT_EXTENSIBLE's 20-in-24.
  public let validBitsPerSample: Int
  /// Samples per frame.
  public let channelCount: Int
  /// Frames per second (Hz).
  public let sampleRate: Int
  /// The whole frames the file holds.
  public let frameCount: Int
  /// True when the data chunk declares more bytes than the file holds (a file cut short, or a
  /// streaming writer's size of 0xFFFFFFFF): `frameCount` counts the whole frames present.
  public let isTruncated: Bool

  /// The format of `frameCount` frames, as read from a header.
  public init(
    encoding: WAVEncoding, validBitsPerSample: Int, channelCount: Int, sampleRate: Int, frameCount: Int,
    isTruncated: Bool
  ) {
    self.encoding = encoding
    self.validBitsPerSample = validBitsPerSample
    self.channelCount = channelCount
    self.sampleRate = sampleRate
    self.frameCount = frameCount
    self.isTruncated = isTruncated
  }

  /// The bytes one frame takes (the `fmt ` chunk's block align).
  public var bytesPerFrame: Int { channelCount * encoding.bytesPerSample }

  /// `16-bit PCM, 2 channels, 44,100 Hz, 88,200 frames (2.000 s)`, with the valid bits when
  /// they are fewer than the container's and `, truncated` for a file cut short.
  public var description: String {
    let bits =
      validBitsPerSample < encoding.bytesPerSample * 8
      ? "\(validBitsPerSample)-bit PCM in \(encoding.bytesPerSample * 8)-bit containers" : encoding.description
    let channels = channelCount == 1 ? "1 channel" : "\(channelCount) channels"
    let seconds = Double(frameCount) / Double(sampleRate)
    return
      "\(bits), \(channels), \(ArrayFileError.grouped(sampleRate)) Hz, \(ArrayFileError.grouped(frameCount)) frames"
      + " (\(String(format: "%.3f", seconds)) s)\(isTruncated ? ", truncated" : "")"
  }
}
