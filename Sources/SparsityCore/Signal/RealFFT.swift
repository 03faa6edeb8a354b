// The Fourier transform of a real signal of even power-of-two length 2n through one complex
// transform of length n, and its inverse.

/// The discrete Fourier transform of a real signal x of length N = 2n (a power of two, >= 2):
/// its half spectrum X[0...n], X[k] = sum_{j<N} x[j] e^{-2 pi i j k / N} (the other half is
/// X[N - k] = conj X[k]; X[0] and X[n] are real).
///
/// The signal is packed as z[j] = x[2j] + i x[2j + 1], transformed by one complex `FFT` of
/// length n (Z = E + i O, with E and O the transforms of the even and odd samples), and
/// unpacked by one butterfly stage per pair (k, n - k):
///
///     E_k = (Z_k + conj Z_{n-k}) / 2,   O_k = (Z_k - conj Z_{n-k}) / (2i),
///     X_k = E_k + W^k O_k,              X_{n-k} = conj(E_k - W^k O_k),   W = e^{-2 pi i / N}.
///
/// Accuracy: the unpacking is a butterfly stage (a sqrt(2)-scaled unitary map, as each radix-2
/// stage) preceded by one addition, so the error analysis of `FFT` carries over with one more
/// stage and eta raised by u: ||Y - X||_2 <= `FFT.relativeErrorBound(stages: log2 N)` ||X||_2,
/// X the full (Hermitian) spectrum, ||X||_2 = sqrt(N) ||x||_2. The inverse runs the same steps
/// backwards and has the same bound relative to ||x||.
///
/// - Complexity: about 2.5 N log2(N) flops a transform, half those of a complex transform of
///   length N.
/// Reference: W. H. Press et al., "Numerical Recipes", 3rd ed., section 12.3.
public struct RealFFT: Sendable {
  /// The real signal length N, a power of two >= 2.
  public let count: Int
  /// The complex transform of length N / 2.
  let half: FFT
  /// W^k = e^{-2 pi i k / N} for k in 0...N/4: real parts.
  let cosines: [Float]
  /// Imaginary parts of the same W^k.
  let sines: [Float]

  /// Tables for real signals of length `count`, a power of two >= 2.
  /// - Complexity: O(count).
  public init(count: Int) {
    precondition(count >= 2 && count.nonzeroBitCount == 1, "RealFFT: length \(count) is not a power of two >= 2")
    self.count = count
    half = FFT(count: count / 2)
    let roots = (0...(count / 4)).map { FFT.unitRoot($0, of: count) }
    cosines = roots.map { Float($0.cos) }
    sines = roots.map { Float($0.sin) }
  }

  /// The number of half-spectrum bins, N / 2 + 1.
  public var binCount: Int { count / 2 + 1 }

  /// The half spectrum X[0...N/2] of the real `signal` (length N).
  /// - Complexity: O(N log N).
  public func forward(_ signal: [Float]) -> (real: [Float], imaginary: [Float]) {
    precondition(signal.count == count, "RealFFT.forward: \(signal.count) samples for length \(count)")
    var (re, im) = ([Float](repeating: 0, count: binCount), [Float](repeating: 0, count: binCount))
    signal.withUnsafeBufferPointer { x in
      re.withUnsafeMutableBufferPointer { re in
        im.withUnsafeMutableBufferPointer { im in forward(x.baseAddress!, re.baseAddress!, im.baseAddress!) }
      }
    }
    return (re, im)
  }

  /// The real signal (length N) whose half spectrum is `real` + i `imaginary` (N/2 + 1 bins
  /// each; the imaginary parts of bins 0 and N/2 are ignored, as a real signal has none).
  /// - Complexity: O(N log N).
  public func inverse(real: [Float], imaginary: [Float]) -> [Float] {
    precondition(
      real.count == binCount && imaginary.count == binCount,
      "RealFFT.inverse: \(real.count) and \(imaginary.count) bins for length \(count) (expected \(binCount))")
    var (re, im) = (real, imaginary)
    var signal = [Float](repeating: 0, count: count)
    signal.withUnsafeMutableBufferPointer { x in
      re.withUnsafeMutableBufferPointer { re in
        im.withUnsafeMutableBufferPointer { im in inverse(re.baseAddress!, im.baseAddress!, into: x.baseAddress!) }
      }
    }
    return signal
  }

  /// Kernel of `forward`: x (N samples) to re, im (N/2 + 1 values each, also the workspace).
  func forward(_ x: UnsafePointer<Float>, _ re: UnsafeMutablePointer<Float>, _ im: UnsafeMutablePointer<Float>) {
    let n = count / 2
    for j in 0..<n {
      re[j] = x[2 * j]
      im[j] = x[2 * j + 1]
    }
    half.forward(re, im)
    let (z0r, z0i) = (re[0], im[0])
    (re[0], im[0], re[n], im[n]) = (z0r + z0i, 0, z0r - z0i, 0)
    guard n >= 2 else { return }
    cosines.withUnsafeBufferPointer { wr in
      sines.withUnsafeBufferPointer { wi in
        for k in 1...(n / 2) {
          let m = n - k
          let (a, b, c, d) = (re[k], im[k], re[m], im[m])
          let (er, ei) = ((a + c) * 0.5, (b - d) * 0.5)
          let (or, oi) = ((b + d) * 0.5, (c - a) * 0.5)
          let tr = wr[k] * or - wi[k] * oi
          let ti = wr[k] * oi + wi[k] * or
          (re[k], im[k]) = (er + tr, ei + ti)
          (re[m], im[m]) = (er - tr, ti - ei)
        }
      }
    }
  }

  /// Kernel of `inverse`: re, im (N/2 + 1 bins, overwritten as workspace) to x (N samples).
  func inverse(
    _ re: UnsafeMutablePointer<Float>, _ im: UnsafeMutablePointer<Float>, into x: UnsafeMutablePointer<Float>
  ) {
    let n = count / 2
    (re[0], im[0]) = ((re[0] + re[n]) * 0.5, (re[0] - re[n]) * 0.5)
    if n >= 2 {
      cosines.withUnsafeBufferPointer { wr in
        sines.withUnsafeBufferPointer { wi in
          for k in 1...(n / 2) {
            let m = n - k
            let (xr, xi, yr, yi) = (re[k], im[k], re[m], im[m])
            let (er, ei) = ((xr + yr) * 0.5, (xi - yi) * 0.5)
            let (dr, di) = ((xr - yr) * 0.5, (xi + yi) * 0.5)
            // O = conj(W^k) D
            let or = wr[k] * dr + wi[k] * di
            let oi = wr[k] * di - wi[k] * dr
            (re[k], im[k]) = (er - oi, ei + or)
            (re[m], im[m]) = (er + oi, or - ei)
          }
        }
      }
    }
    half.transform(re, im, direction: .inverse)
    for j in 0..<n {
      x[2 * j] = re[j]
      x[2 * j + 1] = im[j]
    }
  }
}
