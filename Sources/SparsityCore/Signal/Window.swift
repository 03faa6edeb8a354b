// Tapering windows for cutting a signal into overlapping frames, and the overlap-add sums that
// tell whether (and by how much) framing with a window and a hop reconstructs the signal.
import Foundation

/// A window that frames are multiplied by before analysis (and again before overlap-add).
///
/// All windows are *periodic* (DFT-even): w[i] for i in 0..<N is one period of a function of
/// period N, so shifted copies tile exactly. That is the form for framing and overlap-add; the
/// symmetric form (period N - 1) is for filter design and is not offered here.
///
/// - `hann`: w[i] = 0.5 - 0.5 cos(2 pi i / N) = sin^2(pi i / N).
/// - `sqrtHann`: w[i] = sin(pi i / N), the square root of `hann`. Used for both analysis and
///   synthesis, the product is `hann`, so overlap-add with hop N/2 sums to exactly 1.
/// - `rectangular`: w[i] = 1.
///
/// Reference: F. J. Harris, "On the use of windows for harmonic analysis with the discrete
/// Fourier transform", Proc. IEEE 66(1), 1978 (periodic windows); J. B. Allen, "Short term
/// spectral analysis, synthesis, and modification by discrete Fourier transform", IEEE Trans.
/// ASSP 25(3), 1977 (the overlap-add condition).
public enum Window: Equatable, Hashable, Sendable, CaseIterable {
  /// Periodic Hann (raised cosine): sin^2(pi i / N).
  case hann
  /// Periodic square-root Hann: sin(pi i / N); analysis times synthesis is `hann`.
  case sqrtHann
  /// All ones.
  case rectangular

  /// The window's N = `length` values, computed in Double and rounded once to Float.
  /// - Precondition: `length >= 0`.
  /// - Complexity: O(length).
  public func values(length: Int) -> [Float] {
    doubleValues(length: length).map { Float($0) }
  }

  /// The window's values in Double (what `values(length:)` rounds).
  /// - Complexity: O(length).
  public func doubleValues(length: Int) -> [Double] {
    precondition(length >= 0, "Window.values: negative length \(length)")
    return (0..<length).map { i in
      switch self {
      case .hann:
        let s = Window.sinPi(i, over: length)
        return s * s
      case .sqrtHann: return Window.sinPi(i, over: length)
      case .rectangular: return 1
      }
    }
  }

  /// sin(pi i / n) with the argument reduced exactly in integers first: pi (n - i) / n for the
  /// second half, so w[i] == w[n - i] holds to the last bit.
  private static func sinPi(_ i: Int, over n: Int) -> Double {
    Foundation.sin(Double.pi * Double(Swift.min(i, n - i)) / Double(n))
  }

  /// The overlap-add sum of analysis window a (`self`) times synthesis window s at each offset
  /// of one hop: S[r] = sum over m of a[r + m H] s[r + m H], r in 0..<H, m over the shifts that
  /// stay inside 0..<N (every position of the signal sees the same S[r mod H] once frames
  /// cover it from both sides).
  ///
  /// Frames x_t = a * x[tH ..< tH + N], modified or not, then multiplied by s and added back at
  /// tH, give S[n mod H] x[n]: dividing by S (or by the constant, when `overlapAddConstant`
  /// finds one) restores x exactly. Known constants (N divisible by H = N / R):
  /// - sqrtHann * sqrtHann (= Hann): R / 2 for R >= 2: 1 at hop N/2, 2 at hop N/4.
  /// - hann * hann (= Hann^2): 3R / 8 for R >= 3 (R = 3 only for N divisible by 3): 1.5 at
  ///   hop N/4; not constant at hop N/2.
  /// - rectangular * rectangular: R.
  ///
  /// - Parameters:
  ///   - length: N, the frame length.
  ///   - hop: H, the distance between frame starts, 1 <= H <= N.
  ///   - synthesis: the synthesis window (nil: the same as the analysis window).
  /// - Returns: S[0..<H], computed in Double.
  /// - Complexity: O(N).
  public func overlapAddSum(length: Int, hop: Int, synthesis: Window? = nil) -> [Double] {
    precondition(length > 0, "Window.overlapAddSum: length \(length) must be positive")
    precondition(hop > 0 && hop <= length, "Window.overlapAddSum: hop \(hop) must be in 1...\(length)")
    let analysisValues = doubleValues(length: length)
    let synthesisValues = (synthesis ?? self).doubleValues(length: length)
    var sum = [Double](repeating: 0, count: hop)
    for i in 0..<length { sum[i % hop] += analysisValues[i] * synthesisValues[i] }
    return sum
  }

  /// The constant value of `overlapAddSum` when it is constant, nil when it is not.
  ///
  /// Constant means every S[r] lies within `relativeTolerance` of their mean (relative to the
  /// mean); the default 1e-9 is far above the Double rounding of a sum of N products of values
  /// at most 1 (about N * 1.1e-16) and far below any real departure from constancy.
  /// - Parameters:
  ///   - length: N, the frame length.
  ///   - hop: H, 1 <= H <= N.
  ///   - synthesis: the synthesis window (nil: the analysis window).
  ///   - relativeTolerance: how far from the mean an entry may be.
  /// - Returns: the constant (e.g. 1 for sqrtHann at hop N/2, 2 at hop N/4), or nil.
  /// - Complexity: O(N).
  public func overlapAddConstant(
    length: Int, hop: Int, synthesis: Window? = nil, relativeTolerance: Double = 1e-9
  ) -> Double? {
    let sum = overlapAddSum(length: length, hop: hop, synthesis: synthesis)
    let mean = sum.reduce(0, +) / Double(sum.count)
    guard mean > 0 else { return nil }
    let spread = sum.map { Swift.abs($0 - mean) }.max() ?? 0
    return spread <= relativeTolerance * mean ? mean : nil
  }
}
