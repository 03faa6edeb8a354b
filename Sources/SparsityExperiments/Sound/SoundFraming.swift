// How sound files become the frames that dictionary learning and coding run on.

import SparsityCore

/// Which channel of a sound with several channels is used.
public enum ChannelChoice: Equatable, Sendable {
  /// The mean of all channels.
  case mix
  /// One channel, numbered from 0.
  case index(Int)

  /// `mix` or a channel number from 0; nil for anything else.
  public init?(parsing text: String) {
    if text == "mix" {
      self = .mix
    } else if let index = Int(text), index >= 0 {
      self = .index(index)
    } else {
      return nil
    }
  }
}

/// What is done to each frame after windowing, and undone before overlap-add.
public enum FrameNormalization: String, CaseIterable, Equatable, Sendable {
  /// Frames as they are.
  case none
  /// Each frame minus its mean.
  case removeMean = "remove-mean"
  /// Each frame divided by its L2 norm (loud and quiet frames weigh the same in learning).
  case unitNorm = "unit-norm"
}

/// The settings that turn sound files into frames: channel, sample rate, frame length and hop,
/// window, silence skipping and per-frame normalization (`sparsity learn-dictionary --data wav:`).
public struct SoundFraming: Equatable, Sendable {
  /// The channel used from files with several.
  public var channel = ChannelChoice.mix
  /// The rate every file is resampled to (band-limited), in samples per second; nil keeps the
  /// files' own rate, which must then be the same for all.
  public var sampleRate: Int? = 16000
  /// Samples per frame.
  public var frameLength = 256
  /// Samples between frame starts.
  public var hop = 128
  /// Frames whose energy is more than this many decibels below the loudest frames of their file
  /// (the 95th percentile of frame energies, so a click does not set the level) are skipped as
  /// silence; nil keeps every frame.
  public var silenceDecibels: Float? = 40
  /// The per-frame normalization.
  public var normalization = FrameNormalization.none

  /// The defaults of `sparsity learn-dictionary --data wav:`.
  public init() {}

  /// The periodic sqrt-Hann window of `frameLength` samples and the hop, a layout whose
  /// overlap-add reconstructs the signal exactly.
  public var layout: FrameLayout {
    FrameLayout(length: frameLength, hop: hop, window: Window.sqrtHann.values(length: frameLength))
  }
}
