// The cross-correlations of a filter bank with itself at every lag: what a shift-invariant
// pursuit subtracts from its correlations when it places an atom.

/// The cross-correlations of K filters with each other at every lag: the K x K x (2L - 1)
/// tensor
///
///     G[a, b, d + L - 1] = sum_i h_b[i] h_a[i + d],   d = -(L - 1) ... L - 1,
///
/// (terms outside 0..<L are zero): the change of the correlation with filter b at time
/// s + d when filter a is added at time s. By one real FFT of size B >= 2L - 1 per filter and
/// one inverse per pair, split over the cores.
/// - Complexity: O(K^2 B log B).
public func filterCrossCorrelations(_ filters: Tensor) -> Tensor {
  precondition(filters.rank == 2 && filters.columns >= 1, "filterCrossCorrelations: filters \(filters.shape)")
  let (k, l) = (filters.rows, filters.columns)
  let lags = 2 * l - 1
  var b = 2
  while b < lags { b *= 2 }
  let (fft, bins) = (RealFFT(count: b), b / 2 + 1)
  let (spectraReal, spectraImaginary) = filters.scalars.withUnsafeBufferPointer {
    filterSpectra($0.baseAddress!, count: k, length: l, fft: fft)
  }
  var out = Tensor(zeros: [k, k, lags])
  out.scalars.withUnsafeMutableBufferPointer { g in
    let g = g.baseAddress!
    Parallel.forEachChunk(of: k * k) { pairs in
      var (pr, pi, y) = (
        [Float](repeating: 0, count: bins), [Float](repeating: 0, count: bins), [Float](repeating: 0, count: b)
      )
      for pair in pairs {
        let (a, c) = (pair / k, pair % k)
        for q in 0..<bins {
          // H_a conj(H_c)
          let (ar, ai, cr, ci) = (
            spectraReal[a * bins + q], spectraImaginary[a * bins + q], spectraReal[c * bins + q],
            spectraImaginary[c * bins + q]
          )
          (pr[q], pi[q]) = (ar * cr + ai * ci, ai * cr - ar * ci)
        }
        y = fft.inverse(real: pr, imaginary: pi)
        let row = g + pair * lags
        for j in 0..<lags { row[j] = y[(j - (l - 1) + b) % b] }
      }
    }
  }
  return out
}

/// Reference twin of `filterCrossCorrelations`: the sums as written, in Double.
/// - Complexity: O(K^2 L^2).
public func filterCrossCorrelationsReference(_ filters: Tensor) -> Tensor {
  precondition(filters.rank == 2 && filters.columns >= 1, "filterCrossCorrelationsReference: filters \(filters.shape)")
  let (k, l) = (filters.rows, filters.columns)
  let lags = 2 * l - 1
  var out = Tensor(zeros: [k, k, lags])
  for a in 0..<k {
    for c in 0..<k {
      for d in -(l - 1)...(l - 1) {
        var sum = 0.0
        for i in Swift.max(0, -d)..<Swift.min(l, l - d) { sum += Double(filters[c, i]) * Double(filters[a, i + d]) }
        out[flat: (a * k + c) * lags + d + l - 1] = Float(sum)
      }
    }
  }
  return out
}
