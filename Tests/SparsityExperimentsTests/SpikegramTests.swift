import Foundation
import SparsityCoding
import SparsityCore
import Testing

@testable import SparsityExperiments

@Suite struct SpikegramTests {
  /// A second of two tones and a click train at 16 kHz.
  static let signal: [Float] = (0..<16000).map { i in
    let t = Double(i) / 16000
    return Float(0.3 * sin(2 * Double.pi * 440 * t) + 0.2 * sin(2 * Double.pi * 1870 * t) + (i % 1600 == 0 ? 0.8 : 0))
  }

  @Test func theDefaultsWarnOfNothingAndAbsurdIterationsOfDays() {
    var settings = SpikegramSettings()
    #expect(settings.longRunWarning(sampleRate: 16000) == nil)
    settings.iterations = 10_000_000_000
    #expect(settings.longRunWarning(sampleRate: 16000)?.contains("spikegram --iterations 10000000000") == true)
  }

  /// The STFT baseline keeps exactly as many coefficients as asked and reports the best frame
  /// length: its SNR is at least that of every frame length it tries.
  @Test func stftBaselineIsTheBestOfItsFrameLengths() {
    let best = Spikegram.stftBaseline([Self.signal], spikeCounts: [300])
    for length in Spikegram.stftFrameLengths {
      let rebuilt = STFT.perfectReconstruction(frameLength: length).reconstruction(
        of: Self.signal, keeping: .total(300))
      #expect(best.decibels >= SignalToNoise.decibels(signal: Self.signal, approximation: rebuilt))
    }
    #expect(Spikegram.stftFrameLengths.contains(best.frameLength) && best.signals[0].count == Self.signal.count)
  }

  /// Coding with atoms cut from the sound itself: more spikes never lower the SNR, the spikes
  /// per second are as asked, and the least-squares refit never lowers it either.
  @Test func moreSpikesAndTheRefitNeverHurt() throws {
    var atoms = Tensor(zeros: [3, 64])
    for (k, start) in [100, 5000, 9000].enumerated() {
      let piece = Array(Self.signal[start..<(start + 64)])
      let norm = piece.reduce(0) { $0 + $1 * $1 }.squareRoot()
      for i in 0..<64 { atoms[k, i] = piece[i] / norm }
    }
    var settings = SpikegramSettings()
    var previous = -Double.infinity
    for rate in [50.0, 200, 800] {
      settings.spikesPerSecond = rate
      settings.refit = false
      let plain = try Spikegram.code([Self.signal], files: ["x"], atoms: atoms, sampleRate: 16000, settings: settings)
      settings.refit = true
      let refit = try Spikegram.code([Self.signal], files: ["x"], atoms: atoms, sampleRate: 16000, settings: settings)
      #expect(plain[0].code.spikes.count == Int(rate))
      let snr = { (code: SpikegramCode) in
        SignalToNoise.decibels(signal: Self.signal, approximation: code.reconstruction)
      }
      #expect(snr(refit[0]) >= snr(plain[0]) - 1e-6)
      #expect(snr(plain[0]) >= previous - 1e-6)
      previous = snr(plain[0])
    }
  }
}
