// The loops of the sparsity regularizers: L1 subgradients, soft-thresholding, the L2 gradient
// and the KL-divergence penalty on mean activations. `SparsityNN`'s regularizers choose which
// parameters or activations they apply to and call these.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Adds `step` times the sign of each value to the gradient, the L1 subgradient:
///
///     gradient[i] += step · sign(x[i]),    sign(0) = 0 (the entry is left unchanged)
///
/// Shapes: `values` and `gradient` are (n).
/// - Complexity: O(n), no allocation.
public func addSignSteps(_ step: Float, signsOf values: [Float], to gradient: inout [Float]) {
  precondition(values.count == gradient.count, "addSignSteps: \(values.count) values, \(gradient.count) gradients")
  gradient.withUnsafeMutableBufferPointer { g in
    values.withUnsafeBufferPointer { x in
      for i in g.indices where x[i] != 0 { g[i] += x[i] > 0 ? step : -step }
    }
  }
}

/// Reference twin of `addSignSteps`: the same sums, indexing the arrays.
public func addSignStepsReference(_ step: Float, signsOf values: [Float], to gradient: inout [Float]) {
  for i in gradient.indices {
    if values[i] > 0 { gradient[i] += step } else if values[i] < 0 { gradient[i] += -step }
  }
}

/// Adds `factor` times each value to the target, the L2 (weight decay) gradient:
///
///     target[i] += factor · x[i]
///
/// Shapes: `values` and `target` are (n).
/// - Complexity: O(n), no allocation.
public func addScaled(_ values: [Float], by factor: Float, to target: inout [Float]) {
  precondition(values.count == target.count, "addScaled: \(values.count) values, \(target.count) targets")
  target.withUnsafeMutableBufferPointer { y in
    values.withUnsafeBufferPointer { x in
      for i in y.indices { y[i] += factor * x[i] }
    }
  }
}

/// Reference twin of `addScaled`: the same sums, indexing the arrays.
public func addScaledReference(_ values: [Float], by factor: Float, to target: inout [Float]) {
  for i in target.indices { target[i] = target[i] + factor * values[i] }
}

/// sign(x) · max(|x| − t, 0), the proximal operator of t |·|; exactly 0 when |x| ≤ t.
/// - Complexity: O(1).
@inline(__always)
public func softThreshold(_ x: Float, _ threshold: Float) -> Float {
  if x > threshold { return x - threshold }
  if x < -threshold { return x + threshold }
  return 0
}

/// Soft-thresholds every value at `threshold` in place: x[i] = softThreshold(x[i], t).
///
/// Parikh and Boyd, "Proximal Algorithms", Foundations and Trends in Optimization 2014, §6.5.2.
/// - Complexity: O(n), no allocation.
public func softThresholdValues(_ values: inout [Float], threshold: Float) {
  values.withUnsafeMutableBufferPointer { x in
    for i in x.indices { x[i] = softThreshold(x[i], threshold) }
  }
}

/// Reference twin of `softThresholdValues`: shrinks |x| by t and puts the sign back (rounding
/// is symmetric, so this is the same Float as x ∓ t).
public func softThresholdValuesReference(_ values: inout [Float], threshold: Float) {
  for i in values.indices {
    let shrunk = Swift.abs(values[i]) - threshold
    values[i] = shrunk > 0 ? (values[i] < 0 ? -shrunk : shrunk) : 0
  }
}

/// Σ_j KL(ρ ‖ ρ̂_j) over the units of `activation` (batch B > 0, units F), in Double:
///
///     ρ̂_j = clamp((1/B) Σ_i a_ij, margin, 1 − margin)
///     KL(ρ ‖ ρ̂) = ρ log(ρ / ρ̂) + (1 − ρ) log((1 − ρ) / (1 − ρ̂))
///
/// Uses per-thread scratch memory for ρ̂. Reference: Andrew Ng, "Sparse autoencoder", CS294A
/// lecture notes, Stanford 2011, §3.
/// - Complexity: O(B F), no allocation after the first call.
public func klDivergenceSum(activation: Tensor, target rho: Double, clampMargin: Double) -> Double {
  withClampedColumnMeans(activation, clampMargin: clampMargin) { means, features in
    klDivergenceSum(means: means, count: features, target: rho)
  }
}

/// Σ_j KL(ρ ‖ ρ̂_j) for the `count` clamped means ρ̂ at `means` (`clampColumnMeans`): the
/// penalty of a batch whose means are known, for example added up from parts of it.
public func klDivergenceSum(means: UnsafePointer<Double>, count: Int, target rho: Double) -> Double {
  var total = 0.0
  for j in 0..<count {
    total += rho * log(rho / means[j]) + (1 - rho) * log((1 - rho) / (1 - means[j]))
  }
  return total
}

/// Adds `scale` times dKL/dρ̂_j to every gradient[i, j], the gradient of `klDivergenceSum` up
/// to the factor 1/B of the mean (pass β / B as `scale`):
///
///     gradient[i, j] += Float(scale · (−ρ / ρ̂_j + (1 − ρ) / (1 − ρ̂_j)))
///
/// Shapes: `activation` and `gradient` are (B, F), B > 0.
/// - Complexity: O(B F), no allocation after the first call.
public func addKLDivergenceGradient(
  activation: Tensor, target rho: Double, scale: Double, clampMargin: Double, to gradient: inout Tensor
) {
  precondition(
    gradient.shape == activation.shape, "addKLDivergenceGradient: activation \(activation.shape), \(gradient.shape)")
  withClampedColumnMeans(activation, clampMargin: clampMargin) { means, _ in
    addKLDivergenceGradient(overwritingMeans: means, target: rho, scale: scale, to: &gradient)
  }
}

/// `addKLDivergenceGradient` with the clamped means ρ̂ given (one per column of `gradient`,
/// `clampColumnMeans`), for example added up from parts of the batch; `means` is overwritten
/// with each column's coefficient, which is then added to every row.
public func addKLDivergenceGradient(
  overwritingMeans means: UnsafeMutablePointer<Double>, target rho: Double, scale: Double, to gradient: inout Tensor
) {
  let (batch, features) = (gradient.rows, gradient.columns)
  for j in 0..<features { means[j] = scale * (-rho / means[j] + (1 - rho) / (1 - means[j])) }
  gradient.scalars.withUnsafeMutableBufferPointer { g in
    for i in 0..<batch {
      for j in 0..<features { g[i * features + j] += Float(means[j]) }
    }
  }
}

/// Adds Σ_i a_ij to sums[j] for every column j of `activation`, in Double, row by row.
public func addColumnSums(_ activation: Tensor, into sums: UnsafeMutablePointer<Double>) {
  let (batch, features) = (activation.rows, activation.columns)
  activation.scalars.withUnsafeBufferPointer { a in
    for i in 0..<batch {
      for j in 0..<features { sums[j] += Double(a[i * features + j]) }
    }
  }
}

/// Turns `count` column sums over `rows` rows into means clamped to [margin, 1 − margin], in place.
public func clampColumnMeans(_ sums: UnsafeMutablePointer<Double>, count: Int, rows: Int, margin: Double) {
  for j in 0..<count { sums[j] = Swift.min(Swift.max(sums[j] / Double(rows), margin), 1 - margin) }
}

/// Calls `body` with ρ̂ (the clamped column means of `activation`, in scratch memory that
/// `body` may overwrite) and the number of columns.
private func withClampedColumnMeans<Result>(
  _ activation: Tensor, clampMargin margin: Double, _ body: (UnsafeMutablePointer<Double>, Int) -> Result
) -> Result {
  let (batch, features) = (activation.rows, activation.columns)
  precondition(batch > 0, "KL divergence: the activation \(activation.shape) has no rows")
  return Scratch.withBuffer(of: Double.self, count: features) { means in
    means.update(repeating: 0, count: features)
    addColumnSums(activation, into: means)
    clampColumnMeans(means, count: features, rows: batch, margin: margin)
    return body(means, features)
  }
}

/// Reference twin of `klDivergenceSum`: the same sums, from `Tensor` indexing.
public func klDivergenceSumReference(activation: Tensor, target rho: Double, clampMargin: Double) -> Double {
  clampedColumnMeansReference(activation, clampMargin: clampMargin).reduce(0.0) { total, mean in
    total + (rho * log(rho / mean) + (1 - rho) * log((1 - rho) / (1 - mean)))
  }
}

/// Reference twin of `addKLDivergenceGradient`: the same sums, from `Tensor` indexing.
public func addKLDivergenceGradientReference(
  activation: Tensor, target rho: Double, scale: Double, clampMargin: Double, to gradient: inout Tensor
) {
  let means = clampedColumnMeansReference(activation, clampMargin: clampMargin)
  for i in 0..<activation.rows {
    for j in means.indices { gradient[i, j] += Float(scale * (-rho / means[j] + (1 - rho) / (1 - means[j]))) }
  }
}

/// The column means of a matrix clamped to [margin, 1 − margin], summed in Double row by row.
private func clampedColumnMeansReference(_ activation: Tensor, clampMargin margin: Double) -> [Double] {
  (0..<activation.columns).map { j in
    var sum = 0.0
    for i in 0..<activation.rows { sum += Double(activation[i, j]) }
    return Swift.min(Swift.max(sum / Double(activation.rows), margin), 1 - margin)
  }
}
