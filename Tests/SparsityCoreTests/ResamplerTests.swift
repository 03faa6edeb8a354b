import Foundation
import Testing

@testable import SparsityCore

@Suite struct ResamplerTests {
  /// u, the unit roundoff of Float.
  static let u = Double(Float.ulpOfOne) / 2
  /// The rate pairs of the sound issue, down and up.
  static let ratePairs = [(48000, 16000), (44100, 16000), (22050, 16000), (8000, 16000), (16000, 44100)]

  @Test func equalRatesReturnTheInputUnchanged() {
    let resampler = Resampler(from: 16000, to: 16000)
    let signal = randomValues(1001, seed: 1)
    #expect(resampler.resample(signal) == signal)
    #expect(resampler.resampleReference(signal) == signal)
    #expect(resampler.lowpass == nil && Resampler.filterBankMemory(from: 16000, to: 16000) == .zero)
  }

  @Test func outputLengthIsTheCeilingOfTheScaledInputLength() {
    for (from, to) in Self.ratePairs {
      let resampler = Resampler(from: from, to: to)
      for count in [0, 1, 2, 3, 440, 441, 1000] {
        let expected = (count * to + from - 1) / from
        #expect(resampler.resample([Float](repeating: 1, count: count)).count == expected, "\(from) -> \(to), \(count)")
        #expect(resampler.outputCount(forInputCount: count) == expected)
      }
    }
  }

  /// A 1 kHz sine lies in the passband, where the design's ripple is under 10^(-80/20): away
  /// from the ends (where zero padding cuts the filter), the output is the same sine sampled
  /// at the new rate to better than -70 dB, down (48, 44.1, 22.05 kHz) and up (8 kHz).
  @Test func passbandSineComesOutAsTheSameSine() {
    for (from, to) in Self.ratePairs {
      let resampler = Resampler(from: from, to: to)
      let output = resampler.resample(sine(hertz: 1000, rate: from, count: from / 4))
      let expected = sine(hertz: 1000, rate: to, count: output.count)
      let error = interior(resampler, inputCount: from / 4).map { Swift.abs(Double(output[$0] - expected[$0])) }.max()!
      #expect(decibels(error) < -70, "\(from) -> \(to): error \(decibels(error)) dB")
    }
  }

  /// 10 kHz is above 16 kHz's Nyquist rate (it would alias to 6 kHz): the design's stopband
  /// starts at 8 kHz with at least 80 dB, so it comes out at least 70 dB down; likewise other
  /// stopband tones, for 48 kHz and 44.1 kHz input.
  @Test func toneAboveTheNewNyquistRateIsRemoved() {
    for (from, hertz) in [(48000, 10000), (48000, 8100), (48000, 15000), (48000, 23000), (44100, 9000), (44100, 20000)]
    {
      let resampler = Resampler(from: from, to: 16000)
      let output = resampler.resample(sine(hertz: hertz, rate: from, count: from / 4))
      let peak = interior(resampler, inputCount: from / 4).map { Swift.abs(Double(output[$0])) }.max()!
      #expect(decibels(peak) <= -70, "\(hertz) Hz at \(from) Hz: \(decibels(peak)) dB")
    }
  }

  /// The filter is zero-phase: an impulse at input sample n comes out centred at n L / M, the
  /// same time, with no group delay; at 48 -> 16 kHz (L = 1) exactly symmetric about it.
  @Test func impulseStaysAtTheSameTime() {
    for (from, to) in Self.ratePairs {
      let resampler = Resampler(from: from, to: to)
      for n in [500, 1000, 1001] {
        var impulse = [Float](repeating: 0, count: 3000)
        impulse[n] = 1
        let output = resampler.resample(impulse)
        let peak = output.indices.max { Swift.abs(output[$0]) < Swift.abs(output[$1]) }!
        let time = Double(n * to) / Double(from)
        #expect(
          Swift.abs(Double(peak) - time) <= 0.5, "\(from) -> \(to): impulse at \(n) peaks at \(peak), not \(time)")
      }
    }
    var impulse = [Float](repeating: 0, count: 6000)
    impulse[3000] = 1
    let output = Resampler(from: 48000, to: 16000).resample(impulse)
    for j in 1..<200 { #expect(output[1000 + j] == output[1000 - j], "asymmetric at \(j)") }
  }

  /// The fast path rounds the taps to Float and sums 2Q products in Float (`Resampler.dot`):
  /// per output |fast - reference| <= (gamma_(2Q/16 + 17) + 2u) sum |h| max |x|, with sum |h|
  /// the largest tap magnitude sum of a phase. The reference rounds its Double to Float too.
  @Test func fastPathMatchesTheReferenceTwin() {
    for (index, (from, to)) in Self.ratePairs.enumerated() {
      let resampler = Resampler(from: from, to: to)
      let width = resampler.tapsPerPhase
      let tapSum = (0..<resampler.upFactor).map { phase in
        resampler.taps[(phase * width)..<((phase + 1) * width)].map { Double(Swift.abs($0)) }.reduce(0, +)
      }.max()!
      let k = Double(width / 16 + 17)
      let relativeBound = (k * Self.u / (1 - k * Self.u) + 3 * Self.u) * tapSum
      #expect(relativeBound <= 1e-5, "\(from) -> \(to): bound \(relativeBound)")
      for count in [0, 1, 2, 17, 700] {
        let signal = randomValues(count, seed: UInt64(10 * index + count))
        let scale = Double(signal.map { Swift.abs($0) }.max() ?? 0)
        let fast = resampler.resample(signal)
        let reference = resampler.resampleReference(signal)
        #expect(fast.count == reference.count)
        for m in 0..<Swift.min(fast.count, reference.count) {
          #expect(Swift.abs(Double(fast[m] - reference[m])) <= relativeBound * scale, "\(from) -> \(to) at \(m)")
        }
      }
    }
  }

  @Test func absurdRatesAreRefusedWithTheirReason() {
    #expect(throws: ResamplerError.nonPositiveRate(from: 0, to: 16000)) { try Resampler.check(from: 0, to: 16000) }
    #expect(throws: ResamplerError.upFactorTooLarge(from: 16000, to: 16001, upFactor: 16001)) {
      try Resampler.check(from: 16000, to: 16001)
    }
    #expect(throws: ResamplerError.self) { try Resampler.check(from: 100_000_000, to: 10) }
    #expect(throws: Never.self) { try Resampler.check(from: 44100, to: 16000) }
    #expect(Resampler.filterBankMemory(from: 48000, to: 16000) == .floats(322))
    #expect(Resampler.filterBankMemory(from: 44100, to: 16000) == .floats(160, 296))
    let tooLarge = ResamplerError.filterBankTooLarge(from: 100_000_000, to: 10, floats: 1.07e9)
    #expect(tooLarge.description.contains("100000000 Hz -> 10 Hz"))
  }

  /// The outputs whose filter span lies inside the input: t_m - Q >= 0 and t_m + Q <= count - 1.
  private func interior(_ resampler: Resampler, inputCount: Int) -> ClosedRange<Int> {
    let (up, down, q) = (resampler.upFactor, resampler.downFactor, resampler.lowpass!.halfWidth)
    return ((q * up + down - 1) / down)...((inputCount - 1 - q) * up / down)
  }

  /// sin(2 pi f n / rate), the phase reduced exactly in integers.
  private func sine(hertz: Int, rate: Int, count: Int) -> [Float] {
    (0..<count).map { n in Float(Foundation.sin(2 * Double.pi * Double(hertz * n % rate) / Double(rate))) }
  }

  private func decibels(_ amplitude: Double) -> Double { 20 * Foundation.log10(amplitude) }
}
