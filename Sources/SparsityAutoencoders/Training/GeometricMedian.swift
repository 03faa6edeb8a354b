// The geometric median of a set of rows by Weiszfeld's algorithm: the decoder bias's start.

/// The point minimizing the sum of Euclidean distances to the rows of `rows` (count, width),
/// by Weiszfeld's iteration from the mean:
///
///     m ← Σ_i x_i / max(||x_i − m||, 1e-8)  /  Σ_i 1 / max(||x_i − m||, 1e-8)
///
/// stopping after `maximumIterations` or once a step moves m by less than
/// `tolerance` · ||m||. Sums are in Double.
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
  for i in 0..<count { for c in 0..<width { median[c] += Double(rows[i * width + c]) } }
  for c in 0..<width { median[c] /= Double(count) }
  var next = [Double](repeating: 0, count: width)
  for _ in 0..<maximumIterations {
    for c in 0..<width { next[c] = 0 }
    var weightSum = 0.0
    for i in 0..<count {
      var squared = 0.0
      for c in 0..<width {
        let difference = Double(rows[i * width + c]) - median[c]
        squared += difference * difference
      }
      let weight = 1 / Swift.max(squared.squareRoot(), 1e-8)
      weightSum += weight
      for c in 0..<width { next[c] += weight * Double(rows[i * width + c]) }
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
