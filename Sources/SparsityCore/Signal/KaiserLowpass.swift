// The lowpass filter of the resampler: a windowed sinc whose Kaiser window and length come from
// Kaiser's design formulas for a given stopband attenuation and transition band.
import Foundation

/// A windowed-sinc lowpass filter designed by Kaiser's formulas, as a function of continuous
/// time t in samples (so a resampler can evaluate it at fractional offsets):
///
///     h(t) = 2 f_c sinc(2 f_c t) w(t / Q),   sinc(u) = sin(pi u) / (pi u),
///     w(r) = I0(beta sqrt(1 - r^2)) / I0(beta) for |r| < 1, and 0 otherwise,
///
/// with the cutoff f_c = (f_p + f_s) / 2 halfway through the transition band [f_p, f_s] (all
/// frequencies in cycles per sample) and half-width Q samples. Sampled at unit spacing its DC
/// gain is 1 (the integral of 2 f_c sinc(2 f_c t) is 1).
///
/// Design (Kaiser 1974), for a stopband attenuation A dB (ripple delta = 10^(-A/20), in the
/// passband as well as the stopband) and a transition width dw = 2 pi (f_s - f_p) rad/sample:
///
///     beta = 0.1102 (A - 8.7)                               for A > 50,
///     beta = 0.5842 (A - 21)^0.4 + 0.07886 (A - 21)         for 21 <= A <= 50,
///     beta = 0                                              for A < 21,
///     N    = (A - 8) / (2.285 dw),   Q = ceil(N / 2).
///
/// N is the filter's order (its span in samples); the formula is an estimate, good to about a
/// decibel of A, so callers that promise A design for a few decibels more (`Resampler`).
///
/// Reference: J. F. Kaiser, "Nonrecursive digital filter design using the I0-sinh window
/// function", Proc. IEEE Int. Symp. Circuits and Systems, 1974; A. V. Oppenheim, R. W. Schafer,
/// "Discrete-Time Signal Processing", 3rd ed., section 7.6.1 (the same formulas).
public struct KaiserLowpass: Equatable, Sendable {
  /// f_c, the cutoff in cycles per sample (the middle of the transition band).
  public let cutoff: Double
  /// Q, the half-width in samples: h(t) = 0 for |t| >= Q.
  public let halfWidth: Int
  /// beta, the Kaiser window's shape parameter.
  public let beta: Double
  /// A, the stopband attenuation in dB the filter was designed for.
  public let attenuation: Double

  /// I0(beta), the window's normalizer, computed once.
  private let besselOfBeta: Double

  /// Designs the lowpass for a passband up to `passbandEdge` and a stopband from `stopbandEdge`.
  ///
  /// - Parameters:
  ///   - passbandEdge: f_p in cycles per sample, 0 <= f_p < f_s.
  ///   - stopbandEdge: f_s in cycles per sample, f_s <= 0.5 (the sampling rate's Nyquist).
  ///   - attenuation: A in dB, positive.
  /// - Complexity: O(1).
  public init(passbandEdge: Double, stopbandEdge: Double, attenuation: Double) {
    precondition(
      passbandEdge >= 0 && passbandEdge < stopbandEdge && stopbandEdge <= 0.5,
      "KaiserLowpass: need 0 <= passband edge \(passbandEdge) < stopband edge \(stopbandEdge) <= 0.5")
    precondition(attenuation > 0, "KaiserLowpass: attenuation \(attenuation) dB must be positive")
    self.cutoff = (passbandEdge + stopbandEdge) / 2
    self.beta = KaiserLowpass.beta(attenuation: attenuation)
    self.attenuation = attenuation
    let order = KaiserLowpass.order(attenuation: attenuation, transitionWidth: stopbandEdge - passbandEdge)
    precondition(order < 1e15, "KaiserLowpass: a transition band \(stopbandEdge - passbandEdge) wide is too narrow")
    self.halfWidth = Swift.max(1, Int((order / 2).rounded(.up)))
    self.besselOfBeta = KaiserLowpass.besselI0(beta)
  }

  /// Kaiser's shape parameter for a stopband attenuation of `attenuation` dB.
  public static func beta(attenuation a: Double) -> Double {
    if a > 50 { return 0.1102 * (a - 8.7) }
    if a >= 21 { return 0.5842 * Foundation.pow(a - 21, 0.4) + 0.07886 * (a - 21) }
    return 0
  }

  /// Kaiser's estimate of the order N (span in samples) for `attenuation` dB and a transition
  /// band `transitionWidth` cycles per sample wide: (A - 8) / (2.285 * 2 pi * width).
  public static func order(attenuation a: Double, transitionWidth: Double) -> Double {
    (a - 8) / (2.285 * 2 * Double.pi * transitionWidth)
  }

  /// h(t), t in samples (see the type's summary); 0 for |t| >= Q.
  /// - Complexity: O(1) (a sine and a Bessel series of a few dozen terms).
  public func value(at t: Double) -> Double {
    let r = t / Double(halfWidth)
    guard Swift.abs(r) < 1 else { return 0 }
    let window = KaiserLowpass.besselI0(beta * (1 - r * r).squareRoot()) / besselOfBeta
    let u = 2 * cutoff * t
    let sinc = u == 0 ? 1 : Foundation.sin(Double.pi * u) / (Double.pi * u)
    return 2 * cutoff * sinc * window
  }

  /// I0(x), the modified Bessel function of the first kind of order 0, by its power series
  /// sum_k ((x/2)^k / k!)^2, summed until a term no longer changes the sum (all terms are
  /// positive, so the series is stable; about 2x/3 + 10 terms).
  static func besselI0(_ x: Double) -> Double {
    let quarterSquare = x * x / 4
    var (sum, term, k) = (1.0, 1.0, 1.0)
    while term > sum * Double.ulpOfOne {
      term *= quarterSquare / (k * k)
      sum += term
      k += 1
    }
    return sum
  }
}
