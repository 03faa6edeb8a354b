// Fast Fourier transforms of power-of-two sizes on split complex arrays (real parts and
// imaginary parts apart), the direct DFT in Double they are checked against, and their error
// bound. The real-input transform is in RealFFT.swift.

import Foundation

/// Which way a discrete Fourier transform goes: `forward` uses e^{-2 pi i j k / n} and no
/// scale, `inverse` uses e^{+2 pi i j k / n} and the scale 1/n, so inverse(forward(x)) = x.
public enum FourierDirection: Sendable, Equatable {
  /// X[k] = sum_{j<n} x[j] e^{-2 pi i j k / n}.
  case forward
  /// x[j] = (1/n) sum_{k<n} X[k] e^{+2 pi i j k / n}.
  case inverse
}

/// The discrete Fourier transform of one power-of-two length, by the iterative radix-2
/// Cooley-Tukey algorithm (decimation in time) on split complex arrays:
///
///     X[k] = sum_{j<n} x[j] e^{-2 pi i j k / n}              (forward)
///     x[j] = (1/n) sum_{k<n} X[k] e^{+2 pi i j k / n}        (inverse)
///
/// The twiddle factors w = e^{-2 pi i j / (2h)} of each stage are computed once in Double and
/// rounded to Float, so that each is within mu = u (1 + 2^-26) of exact (u = 2^-24), and stored
/// contiguously per stage so that the butterflies run over unit-stride arrays. The first two
/// stages (w = 1 and w = -i, exact) are one radix-4 pass without multiplications. The inverse is
/// the forward transform of the swapped arrays (imaginary, real), which conjugates both ways,
/// scaled by 1/n (exact: a power of two).
///
/// Accuracy (N. J. Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed., SIAM 2002,
/// Theorem 24.2): the computed transform Y of x satisfies
/// ||Y - F x||_2 <= `relativeErrorBound(stages: log2 n)` * ||F x||_2, about 7.7 u log2(n), where
/// ||F x||_2 = sqrt(n) ||x||_2 (Parseval).
///
/// - Complexity: 5 n log2(n) flops a transform (n/2 butterflies of 10 flops per stage); O(n)
///   memory for the twiddle and bit-reversal tables, built once.
///
/// Reference: J. W. Cooley and J. W. Tukey, "An algorithm for the machine calculation of
/// complex Fourier series", Math. Comp. 19 (1965).
public struct FFT: Sendable {
  /// The transform length n, a power of two (1 included).
  public let count: Int
  /// cos of the twiddles, stage of half-span h at [h - 1 ..< 2h - 1].
  let cosines: [Float]
  /// The imaginary parts -sin of the same twiddles.
  let sines: [Float]
  /// Index pairs (i, j), i < j, that bit reversal swaps, flattened.
  let swaps: [Int32]

  /// Tables for transforms of length `count`, a power of two.
  /// - Complexity: O(count) time and memory.
  public init(count: Int) {
    precondition(
      count >= 1 && count.nonzeroBitCount == 1 && count <= 1 << 30, "FFT: length \(count) is not a power of two")
    self.count = count
    var cosines = [Float](repeating: 1, count: Swift.max(0, count - 1))
    var sines = [Float](repeating: 0, count: Swift.max(0, count - 1))
    var h = 1
    while h < count {
      for j in 0..<h {
        let root = FFT.unitRoot(j, of: 2 * h)
        (cosines[h - 1 + j], sines[h - 1 + j]) = (Float(root.cos), Float(root.sin))
      }
      h *= 2
    }
    self.cosines = cosines
    self.sines = sines
    let bits = count.trailingZeroBitCount
    var swaps: [Int32] = []
    for i in 0..<count {
      let j = bits == 0 ? 0 : Int(FFT.bitReversed(UInt32(i)) >> UInt32(32 - bits))
      if i < j {
        swaps.append(Int32(i))
        swaps.append(Int32(j))
      }
    }
    self.swaps = swaps
  }

  /// Transforms `real` + i `imaginary` (each of length `count`) in place, as `direction` says.
  /// - Complexity: O(count log count).
  public func transform(real: inout [Float], imaginary: inout [Float], direction: FourierDirection) {
    precondition(
      real.count == count && imaginary.count == count,
      "FFT.transform: arrays of \(real.count) and \(imaginary.count) values for length \(count)")
    real.withUnsafeMutableBufferPointer { re in
      imaginary.withUnsafeMutableBufferPointer { im in
        guard let re = re.baseAddress, let im = im.baseAddress else { return }
        transform(re, im, direction: direction)
      }
    }
  }

  /// The kernel of `transform(real:imaginary:direction:)` on `count` values at `re` and `im`.
  func transform(_ re: UnsafeMutablePointer<Float>, _ im: UnsafeMutablePointer<Float>, direction: FourierDirection) {
    switch direction {
    case .forward:
      forward(re, im)
    case .inverse:
      forward(im, re)
      let scale = 1 / Float(count)
      for j in 0..<count {
        re[j] *= scale
        im[j] *= scale
      }
    }
  }

  /// The unscaled forward transform in place: bit reversal, one radix-4 pass, radix-2 stages.
  func forward(_ re: UnsafeMutablePointer<Float>, _ im: UnsafeMutablePointer<Float>) {
    guard count > 1 else { return }
    swaps.withUnsafeBufferPointer { pairs in
      for p in stride(from: 0, to: pairs.count, by: 2) {
        let (i, j) = (Int(pairs[p]), Int(pairs[p + 1]))
        (re[i], re[j]) = (re[j], re[i])
        (im[i], im[j]) = (im[j], im[i])
      }
    }
    if count == 2 {
      (re[0], re[1]) = (re[0] + re[1], re[0] - re[1])
      (im[0], im[1]) = (im[0] + im[1], im[0] - im[1])
      return
    }
    firstTwoStages(re, im)
    cosines.withUnsafeBufferPointer { c in
      sines.withUnsafeBufferPointer { s in
        var h = 4
        while h < count {
          radix2Stage(re, im, halfSpan: h, c.baseAddress! + (h - 1), s.baseAddress! + (h - 1))
          h *= 2
        }
      }
    }
  }

  /// Stages h = 1 (w = 1) and h = 2 (w = 1, -i) on each group of four: the same operations and
  /// roundings as two radix-2 stages, without the multiplications by exact 1 and -i.
  private func firstTwoStages(_ re: UnsafeMutablePointer<Float>, _ im: UnsafeMutablePointer<Float>) {
    for g in stride(from: 0, to: count, by: 4) {
      let (a0r, a0i) = (re[g] + re[g + 1], im[g] + im[g + 1])
      let (a1r, a1i) = (re[g] - re[g + 1], im[g] - im[g + 1])
      let (a2r, a2i) = (re[g + 2] + re[g + 3], im[g + 2] + im[g + 3])
      let (a3r, a3i) = (re[g + 2] - re[g + 3], im[g + 2] - im[g + 3])
      // -i * a3 = (a3i, -a3r)
      (re[g], im[g]) = (a0r + a2r, a0i + a2i)
      (re[g + 2], im[g + 2]) = (a0r - a2r, a0i - a2i)
      (re[g + 1], im[g + 1]) = (a1r + a3i, a1i - a3r)
      (re[g + 3], im[g + 3]) = (a1r - a3i, a1i + a3r)
    }
  }

  /// One radix-2 stage of half-span h: x[a] +- w_j x[a + h] for each group of 2h.
  @inline(__always)
  private func radix2Stage(
    _ re: UnsafeMutablePointer<Float>, _ im: UnsafeMutablePointer<Float>, halfSpan h: Int,
    _ wr: UnsafePointer<Float>, _ wi: UnsafePointer<Float>
  ) {
    for start in stride(from: 0, to: count, by: 2 * h) {
      let (ar, ai, br, bi) = (re + start, im + start, re + start + h, im + start + h)
      for j in 0..<h {
        let tr = br[j] * wr[j] - bi[j] * wi[j]
        let ti = br[j] * wi[j] + bi[j] * wr[j]
        let (xr, xi) = (ar[j], ai[j])
        ar[j] = xr + tr
        ai[j] = xi + ti
        br[j] = xr - tr
        bi[j] = xi - ti
      }
    }
  }

  /// A bound on ||Y - X||_2 / ||X||_2 for the computed transform Y of the exact X = F x, from a
  /// radix-2 algorithm of `stages` stages in Float with twiddles within mu = u (1 + 2^-26):
  ///
  ///     stages * eta / (1 - stages * eta),  eta = mu + gamma_4 (sqrt(2) + mu) + u,
  ///
  /// gamma_4 = 4u / (1 - 4u), u = 2^-24 (Higham 2002, Theorem 24.2; the extra u covers the
  /// additions that `RealFFT` makes before its last butterfly stage, see there). For a
  /// transform of length n, stages = log2(n).
  /// - Complexity: O(1).
  public static func relativeErrorBound(stages: Int) -> Double {
    let u = 0x1p-24
    let mu = u * (1 + 0x1p-26)
    let eta = mu + 4 * u / (1 - 4 * u) * (2.0.squareRoot() + mu) + u
    let total = Double(stages) * eta
    return total / (1 - total)
  }

  /// Reference twin of `transform`: the direct O(n^2) sum in Double, any length n >= 0, with
  /// e^{-+2 pi i j k / n} evaluated at (j k mod n) so each root is accurate to a Double ulp.
  /// Its own error, at most about n 2^-52 ||X||, is negligible against the Float transform's.
  /// - Complexity: O(n^2).
  public static func referenceTransform(
    real: [Float], imaginary: [Float], direction: FourierDirection
  ) -> (real: [Double], imaginary: [Double]) {
    let n = real.count
    precondition(imaginary.count == n, "FFT.referenceTransform: \(n) real and \(imaginary.count) imaginary values")
    let roots = (0..<n).map { FFT.unitRoot($0, of: n) }
    let sign: Double = direction == .forward ? 1 : -1
    let scale = direction == .forward ? 1 : 1 / Double(n)
    var (outReal, outImaginary) = ([Double](repeating: 0, count: n), [Double](repeating: 0, count: n))
    for k in 0..<n {
      var (sumReal, sumImaginary) = (0.0, 0.0)
      for j in 0..<n {
        let w = roots[j * k % n]
        let (wr, wi) = (w.cos, sign * w.sin)
        sumReal += Double(real[j]) * wr - Double(imaginary[j]) * wi
        sumImaginary += Double(real[j]) * wi + Double(imaginary[j]) * wr
      }
      (outReal[k], outImaginary[k]) = (sumReal * scale, sumImaginary * scale)
    }
    return (outReal, outImaginary)
  }

  /// The 32 bits of `x` in reverse order.
  static func bitReversed(_ x: UInt32) -> UInt32 {
    var (x, reversed) = (x, UInt32(0))
    for _ in 0..<32 {
      reversed = (reversed << 1) | (x & 1)
      x >>= 1
    }
    return reversed
  }

  /// e^{-2 pi i k / n} in Double as (cos, sin) = (cos(2 pi k/n), -sin(2 pi k/n)), with the
  /// values that are exactly 0 in exact arithmetic (quarter turns) set to 0.
  static func unitRoot(_ k: Int, of n: Int) -> (cos: Double, sin: Double) {
    let angle = 2 * Double.pi * Double(k) / Double(n)
    var (c, s) = (Foundation.cos(angle), -Foundation.sin(angle))
    if (4 * k) % n == 0 {
      // A multiple of a quarter turn: exactly 0 or +-1.
      (c, s) = (c.rounded(), s.rounded())
    }
    return (c, s)
  }
}
