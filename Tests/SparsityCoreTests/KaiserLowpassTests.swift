import Foundation
import Testing

@testable import SparsityCore

@Suite struct KaiserLowpassTests {
  @Test func designFormulasGiveKaisersValues() {
    #expect(Swift.abs(KaiserLowpass.beta(attenuation: 85) - 0.1102 * 76.3) < 1e-12)
    #expect(Swift.abs(KaiserLowpass.beta(attenuation: 40) - (0.5842 * Foundation.pow(19, 0.4) + 0.07886 * 19)) < 1e-12)
    #expect(KaiserLowpass.beta(attenuation: 20) == 0)
    #expect(
      Swift.abs(KaiserLowpass.order(attenuation: 85, transitionWidth: 0.01) - 77 / (2.285 * 2 * Double.pi * 0.01))
        < 1e-9)
    // I0 against tabulated values (Abramowitz and Stegun, table 9.8).
    #expect(KaiserLowpass.besselI0(0) == 1)
    #expect(Swift.abs(KaiserLowpass.besselI0(1) / 1.266_065_877_752_008_4 - 1) < 1e-14)
    #expect(Swift.abs(KaiserLowpass.besselI0(5) / 27.239_871_823_604_442 - 1) < 1e-14)
    let filter = KaiserLowpass(passbandEdge: 0.15, stopbandEdge: 1.0 / 6, attenuation: 85)
    #expect(filter.cutoff == (0.15 + 1.0 / 6) / 2)
    #expect(filter.value(at: 0) == 2 * filter.cutoff)
    #expect(filter.value(at: Double(filter.halfWidth)) == 0 && filter.value(at: -Double(filter.halfWidth) - 3) == 0)
    #expect(filter.value(at: 2.5) == filter.value(at: -2.5))
  }

  /// The resampler's whole filter, its L phases interleaved into h_k = h(k / L) on the grid of
  /// the input upsampled by L, has the response H(f) = (1/L) sum_k h_k cos(2 pi f k / (L from))
  /// (h is even). Kaiser's design for 85 dB promises at least `guaranteedAttenuation` = 80 dB
  /// from the lower Nyquist rate up, and |H - 1| under 10^(-80/20) up to 0.9 of it.
  @Test func resamplerFilterMeetsItsAttenuationAndRipple() {
    for (from, to) in [(48000, 16000), (44100, 16000), (22050, 16000), (8000, 16000)] {
      let resampler = Resampler(from: from, to: to)
      let (taps, offsets) = interleavedTaps(resampler)
      let (up, nyquist) = (Double(resampler.upFactor), Double(Swift.min(from, to)) / 2)
      let response = { (hertz: Double) -> Double in
        var sum = 0.0
        for (tap, k) in zip(taps, offsets) {
          sum += tap * Foundation.cos(2 * Double.pi * hertz * k / (up * Double(from)))
        }
        return sum / up
      }
      let transition = (1 - Resampler.passbandFraction) * nyquist
      let nearEdge = (0...120).map { nyquist + transition * Double($0) / 40 }
      let farther = (0...150).map { nyquist + (up * Double(from) / 2 - nyquist) * Double($0) / 150 }
      let stopband = (nearEdge + farther).map { Swift.abs(response($0)) }.max()!
      let passband = (0...90).map { Swift.abs(response(0.9 * nyquist * Double($0) / 90) - 1) }.max()!
      let limit = Foundation.pow(10, -Resampler.guaranteedAttenuation / 20)
      #expect(stopband <= limit, "\(from) -> \(to): stopband peak \(20 * Foundation.log10(stopband)) dB")
      #expect(passband <= limit, "\(from) -> \(to): passband ripple \(20 * Foundation.log10(passband)) dB")
    }
  }

  /// The filter bank's taps with their offsets k on the upsampled grid: phase p, tap i is
  /// h((p + (Q - 1 - i) L) / L).
  private func interleavedTaps(_ resampler: Resampler) -> (taps: [Double], offsets: [Double]) {
    let (up, width, q) = (resampler.upFactor, resampler.tapsPerPhase, resampler.lowpass!.halfWidth)
    var (taps, offsets) = ([Double](), [Double]())
    for phase in 0..<up {
      for i in 0..<width {
        taps.append(Double(resampler.taps[phase * width + i]))
        offsets.append(Double(phase + (q - 1 - i) * up))
      }
    }
    return (taps, offsets)
  }
}
