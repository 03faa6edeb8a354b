// The geometric median of a set of rows by Weiszfeld's algorithm: the decoder bias's start.

/// The point minimizing the sum of Euclidean distances to the rows of `rows` (count, width),
/// by Weiszfeld's iteration from the mean:
///
///     m ← Σ_i x_i / max(||x_i − m||, 1e-8)  /  Σ_i 1 / max(||x_i − m||, 1e-8)
///
/// stopping after `maximumIterations` or once a step moves m by less than
/// `tolerance` · ||m||. Distances are summed in Float sixteen lanes at a time (the weights need
/// no more), the weighted sums in Double.
///
/// Reference: E. Weiszfeld, "Sur le point pour lequel la somme des distances de n points
/// donnés est minimum", Tôhoku Mathematical Journal 43 (1937); the SAE recipes (OpenAI's
/// sparse_autoencoder, sparsify) start b_dec here.
/// - Complexity: O(maximumIterations * count * width).
public func geometricMedian(
  _ rows: UnsafePointer<Float>, count: Int, width: Int, maximumIterations: Int = 100, tolerance: Double = 1e-6
) -> [Float] {
  guard count > 0, width > 0 else { return [Float](repeating: 0, count: width) }
  var median = [Double](repeating: 0, count: width)
  var next = [Double](repeating: 0, count: width)
  var point = [Float](repeating: 0, count: width)
  median.withUnsafeMutableBufferPointer { m in
    for i in 0..<count { for c in 0..<width { m[c] += Double(rows[i * width + c]) } }
    for c in 0..<width { m[c] /= Double(count) }
  }
  for _ in 0..<maximumIterations {
    for c in 0..<width { point[c] = Float(median[c]) }
    var weightSum = 0.0
    next.withUnsafeMutableBufferPointer { n in
      point.withUnsafeBufferPointer { p in
        n.update(repeating: 0)
        for i in 0..<count {
          let row = rows + i * width
          let distance = Double(sumOfSquares(row, minus: p.baseAddress!, count: width).squareRoot())
          let weight = 1 / Swift.max(distance, 1e-8)
          weightSum += weight
          for c in 0..<width { n[c] += weight * Double(row[c]) }
        }
      }
    }
    var (moved, norm) = (0.0, 0.0)
    for c in 0..<width {
      next[c] /= weightSum
      moved += (next[c] - median[c]) * (next[c] - median[c])
      norm += next[c] * next[c]
    }
    swap(&median, &next)
    if moved.squareRoot() < tolerance * norm.squareRoot() { break }
  }
  return median.map { Float($0) }
}
