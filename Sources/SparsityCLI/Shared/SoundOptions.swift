// The options that frame sound files (`wav:` data): `learn-dictionary`, `code`.

import SparsityExperiments

/// How `wav:FILE[,FILE...]` data is read and cut into frames (`SoundFraming`).
enum SoundOptions {
  /// The largest frame, in samples.
  static let maximumFrame = 1 << 16
  /// The highest sample rate a file may be resampled to.
  static let maximumRate = 1_000_000

  static let rate = Option<Int>(
    "rate", "HZ", expected: "an integer from 1 to \(maximumRate)", default: "16000",
    help: "wav: resample every file to HZ samples per second (band-limited)",
    parse: { Int($0).flatMap { (1...maximumRate).contains($0) ? $0 : nil } })
  static let channel = Option<ChannelChoice>(
    "channel", "mix|N", expected: "mix or a channel number from 0", default: "mix",
    help: "wav: the mean of the channels, or channel N (from 0)", parse: ChannelChoice.init(parsing:))
  static let frame = Option<Int>(
    "frame", "N", expected: "an integer from 2 to \(maximumFrame)", default: "256",
    help: "wav: samples per frame (periodic sqrt-Hann window)",
    parse: { Int($0).flatMap { (2...maximumFrame).contains($0) ? $0 : nil } })
  static let hop = Option<Int>(
    "hop", "H", expected: "an integer >= 1, at most --frame", default: "frame / 2",
    help: "wav: samples between frame starts", parse: Parse.positiveInteger)
  static let silence = Option<Float?>(
    "silence", "DB|none", expected: "a finite number >= 0 or none", default: "40",
    help: "wav: skip frames more than DB decibels below the loud frames of their file (95th percentile)",
    parse: { $0 == "none" ? .some(nil) : Parse.nonNegativeFloat($0).map { .some($0) } })
  static let normalization = Option<FrameNormalization>(
    "frame-norm", "none|remove-mean|unit-norm", expected: "none, remove-mean or unit-norm", default: "none",
    help: "wav: per-frame normalization, undone before overlap-add", parse: FrameNormalization.init(rawValue:))

  /// The specs of the framing options.
  static var specs: [OptionSpec] {
    [rate.spec, channel.spec, frame.spec, hop.spec, silence.spec, normalization.spec]
  }

  /// The data source forms the sound options apply to, for the commands' descriptions.
  static let description = """
      wav:FILE[,FILE...]   WAV files (PCM 8/16/24/32-bit, float 32/64, any channels and rate),
                           resampled to --rate, cut into frames of --frame samples every --hop
                           with a periodic sqrt-Hann window (overlap-add gives the sound back),
                           frames quieter than --silence skipped, normalized by --frame-norm
    """

  /// The framing the options ask for.
  /// - Throws: `CLIError` for a bad value or a hop longer than the frame.
  static func framing(_ arguments: Arguments) throws(CLIError) -> SoundFraming {
    var framing = SoundFraming()
    framing.sampleRate = try arguments.value(rate, default: 16000)
    framing.channel = try arguments.value(channel, default: .mix)
    framing.frameLength = try arguments.value(frame, default: framing.frameLength)
    framing.hop = try arguments.value(hop, default: framing.frameLength / 2)
    guard framing.hop <= framing.frameLength else {
      throw CLIError.invalidValue(
        option: "hop", value: "\(framing.hop)", expected: "at most --frame (\(framing.frameLength))")
    }
    framing.silenceDecibels = try arguments.value(silence, default: 40)
    framing.normalization = try arguments.value(normalization, default: .none)
    return framing
  }
}
