// Sampled sound with Float samples, the common currency of the WAV reader and writer.

/// Sampled sound: `frameCount` frames of `channelCount` samples each, taken `sampleRate` times a
/// second, interleaved frame after frame (frames x channels, row-major).
///
/// Samples are amplitudes in which full scale is 1: `WAVFile` maps every PCM file into -1...1
/// (16-bit -32768 becomes -1) and keeps float files' samples as they are, which may exceed 1.
public struct Sound: Equatable, Sendable {
  /// Frames per second (Hz), at least 1.
  public let sampleRate: Int
  /// Samples per frame, at least 1: 1 for mono, 2 for stereo (left, right).
  public let channelCount: Int
  /// The samples, frame after frame: channel c of frame f is `samples[f * channelCount + c]`.
  /// Its count stays a multiple of `channelCount`.
  public var samples: [Float]

  /// Sound from interleaved samples (frame after frame); `samples.count` must be a multiple of
  /// `channelCount`.
  public init(samples: [Float], channelCount: Int, sampleRate: Int) {
    precondition(channelCount >= 1, "Sound: \(channelCount) channels, expected at least 1")
    precondition(sampleRate >= 1, "Sound: sample rate \(sampleRate) Hz, expected at least 1")
    precondition(
      samples.count % channelCount == 0,
      "Sound: \(samples.count) samples are not a whole number of \(channelCount)-channel frames")
    self.sampleRate = sampleRate
    self.channelCount = channelCount
    self.samples = samples
  }

  /// One-channel sound.
  public init(mono samples: [Float], sampleRate: Int) {
    self.init(samples: samples, channelCount: 1, sampleRate: sampleRate)
  }

  /// Sound from one array per channel, all of the same length, interleaved here.
  /// - Complexity: O(total samples).
  public init(channels: [[Float]], sampleRate: Int) {
    precondition(!channels.isEmpty, "Sound: no channels")
    let frames = channels[0].count
    precondition(channels.allSatisfy { $0.count == frames }, "Sound: channels of different lengths")
    var samples = [Float]()
    samples.reserveCapacity(frames * channels.count)
    for frame in 0..<frames {
      for channel in channels { samples.append(channel[frame]) }
    }
    self.init(samples: samples, channelCount: channels.count, sampleRate: sampleRate)
  }

  /// The number of frames (samples per channel).
  public var frameCount: Int { samples.count / channelCount }

  /// The length in seconds: `frameCount / sampleRate`.
  public var duration: Double { Double(frameCount) / Double(sampleRate) }

  /// The samples of channel `index` (0-based), one per frame.
  /// - Complexity: O(`frameCount`).
  public func channel(_ index: Int) -> [Float] {
    precondition((0..<channelCount).contains(index), "Sound: channel \(index) of \(channelCount)")
    return stride(from: index, to: samples.count, by: channelCount).map { samples[$0] }
  }

  /// One sample per frame, the mean of its channels: `(s_0 + ... + s_{C-1}) / C`.
  /// - Complexity: O(`samples.count`).
  public func mixedDown() -> [Float] {
    guard channelCount > 1 else { return samples }
    let count = Float(channelCount)
    return (0..<frameCount).map { frame in
      var sum: Float = 0
      for c in 0..<channelCount { sum += samples[frame * channelCount + c] }
      return sum / count
    }
  }
}
