import Foundation
import SparsityCore
import Testing

@testable import SparsityExperiments

@Suite struct SoundFramesTests {
  /// A tone burst in silence: 0.25 s of silence, 0.5 s of 440 Hz, 0.25 s of silence at 8 kHz.
  static func burst(rate: Int = 8000) -> [Float] {
    (0..<rate).map { t in
      (rate / 4..<(3 * rate / 4)).contains(t) ? 0.5 * Float(sin(2 * Double.pi * 440 * Double(t) / Double(rate))) : 0
    }
  }

  static func framing(_ normalization: FrameNormalization, silence: Float? = 40) -> SoundFraming {
    var framing = SoundFraming()
    framing.frameLength = 64
    framing.hop = 32
    framing.silenceDecibels = silence
    framing.normalization = normalization
    return framing
  }

  /// Every normalization is undone before overlap-add: the frames themselves give the signal
  /// back, exactly when only all-zero frames are skipped, and within the skipped frames'
  /// energy (each at least 40 dB below the loud ones, a handful at the burst's edges) otherwise.
  @Test(arguments: FrameNormalization.allCases)
  func framesGiveTheSignalBack(normalization: FrameNormalization) {
    let x = Self.burst()
    let sound = SoundFrames(
      signals: [x, Array(x.reversed())], files: ["a", "b"], sampleRate: 8000,
      framing: Self.framing(normalization, silence: nil))
    let back = sound.signals(from: sound.frames)
    for (original, rebuilt) in zip([x, Array(x.reversed())], back) {
      #expect(SignalToNoise.decibels(signal: original, approximation: rebuilt) > 100)
    }
    let skipping = SoundFrames(signals: [x], files: ["a"], sampleRate: 8000, framing: Self.framing(normalization))
    #expect(SignalToNoise.decibels(signal: x, approximation: skipping.signals(from: skipping.frames)[0]) > 40)
    #expect(
      sound.signals.map(\.rows) == [
        0..<sound.signals[0].frames.count, sound.signals[0].frames.count..<sound.frames.rows,
      ])
  }

  /// Silent frames are skipped and loud ones kept; with no threshold only all-zero frames go.
  @Test func silenceIsSkipped() {
    let x = Self.burst()
    let layout = Self.framing(.none).layout
    let all = layout.frameCount(samples: x.count)!
    let skipping = SoundFrames(signals: [x], files: ["a"], sampleRate: 8000, framing: Self.framing(.none))
    let keeping = SoundFrames(signals: [x], files: ["a"], sampleRate: 8000, framing: Self.framing(.none, silence: nil))
    // The burst covers half the signal: about half the frames, plus the ones across its edges.
    #expect(skipping.frames.rows < all / 2 + 4 && skipping.frames.rows > all / 2 - 4)
    #expect(keeping.frames.rows >= skipping.frames.rows && keeping.frames.rows < all)
    let noisy = x.enumerated().map { $1 + ($0 % 2 == 0 ? 1e-4 : -1e-4) }
    let quietKept = SoundFrames(
      signals: [noisy], files: ["a"], sampleRate: 8000, framing: Self.framing(.none, silence: nil))
    #expect(quietKept.frames.rows == all)
  }

  /// Unit-norm frames have norm 1 and remove-mean frames mean 0.
  @Test func normalizationsHoldPerFrame() {
    let x = Self.burst().map { $0 + 0.1 }
    for normalization in [FrameNormalization.unitNorm, .removeMean] {
      let sound = SoundFrames(signals: [x], files: ["a"], sampleRate: 8000, framing: Self.framing(normalization))
      let n = sound.frames.columns
      for f in 0..<sound.frames.rows {
        let row = sound.frames.scalars[(f * n)..<((f + 1) * n)]
        if normalization == .unitNorm {
          #expect(abs(row.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4)
        } else {
          #expect(abs(row.reduce(0, +)) / Float(n) < 1e-5)
        }
      }
    }
  }

  /// The DCT baseline keeps the largest coefficients: a frame made of 3 DCT atoms comes back
  /// exactly with 3 and not with 2; SNR is +infinity for an exact copy.
  @Test func dctBaselineKeepsTheLargestCoefficients() {
    let n = 32
    let basis = DCT.basis(length: n)
    var frame = [Float](repeating: 0, count: n)
    for (k, a) in [(3, Float(2)), (10, -1.5), (20, 0.5)] {
      for i in 0..<n { frame[i] += a * basis[k, i] }
    }
    let frames = Tensor(shape: [1, n], scalars: frame)
    let three = DCTBaseline.approximation(of: frames, keeping: 3)
    let two = DCTBaseline.approximation(of: frames, keeping: 2)
    #expect(SignalToNoise.decibels(signal: frame, approximation: three.scalars) > 100)
    let expected = 10 * log10((4 + 2.25 + 0.25) / 0.25)
    #expect(abs(SignalToNoise.decibels(signal: frame, approximation: two.scalars) - expected) < 1e-3)
    #expect(SignalToNoise.decibels(signal: frame, approximation: frame) == .infinity)
  }

  @Test func channelChoiceAndFileListsParse() throws {
    #expect(ChannelChoice(parsing: "mix") == .mix && ChannelChoice(parsing: "1") == .index(1))
    #expect(ChannelChoice(parsing: "-1") == nil && ChannelChoice(parsing: "left") == nil)
    #expect(try SoundFiles.names("a.wav,b.wav", option: "--data") == ["a.wav", "b.wav"])
    #expect(throws: ExperimentError.self) { try SoundFiles.names("a.wav,", option: "--data") }
    #expect(DictionaryDataSource(parsing: "wav:x.wav") == .wav(files: ["x.wav"]))
    #expect(DictionaryDataSource(parsing: "wav:") == nil)
  }
}
