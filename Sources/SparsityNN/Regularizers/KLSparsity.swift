import SparsityCore

/// The KL-divergence sparsity penalty of sparse autoencoders, on sigmoid activations in (0, 1).
///
/// For activations A (batch B, features F), the mean activation of unit j over the batch,
/// ρ̂_j = (1/B) Σ_i a_ij, clamped to [1e-6, 1 − 1e-6], is pushed towards a small target ρ:
///
///     R(A) = β Σ_j KL(ρ ‖ ρ̂_j),   KL(ρ ‖ ρ̂) = ρ log(ρ / ρ̂) + (1 − ρ) log((1 − ρ) / (1 − ρ̂))
///     dR/da_ij = β (−ρ / ρ̂_j + (1 − ρ) / (1 − ρ̂_j)) / B
///
/// The gradient uses the clamped ρ̂ (it is not zeroed where the clamp is active), so a unit that
/// is always off or always on is still pushed back towards ρ.
///
/// Reference: Andrew Ng, "Sparse autoencoder", CS294A lecture notes, Stanford 2011, §3.
public struct KLSparsity: ActivationRegularizer, Equatable {
  /// The clamp keeping ρ̂ away from 0 and 1.
  public static let clampMargin: Double = 1e-6

  /// ρ, the target mean activation of every unit, in (0, 1).
  public let target: Float
  /// β, the weight of the penalty.
  public let weight: Float

  /// A KL sparsity penalty with target ρ in (0, 1) and weight β ≥ 0.
  public init(target: Float, weight: Float) {
    precondition(target > 0 && target < 1, "KLSparsity: target \(target) must be in (0, 1)")
    precondition(weight >= 0 && weight.isFinite, "KLSparsity: weight \(weight) must be finite and non-negative")
    self.target = target
    self.weight = weight
  }

  /// β Σ_j KL(ρ ‖ ρ̂_j), in Double (`klDivergenceSum`); 0 for an empty batch. O(B F).
  public func penalty(activation: Tensor) -> Float {
    precondition(activation.rank == 2, "KLSparsity: activation must be (batch, features), shape is \(activation.shape)")
    guard activation.rows > 0 else { return 0 }
    let total = klDivergenceSum(activation: activation, target: Double(target), clampMargin: Self.clampMargin)
    return Float(Double(weight) * total)
  }

  /// Adds β (−ρ/ρ̂_j + (1 − ρ)/(1 − ρ̂_j)) / B to every gradient[i, j] (`addKLDivergenceGradient`).
  /// O(B F); uses per-thread scratch memory for ρ̂, no allocation after the first call.
  public func addGradient(activation: Tensor, to gradient: inout Tensor) {
    checkActivationShapes(activation, gradient, caller: "KLSparsity")
    let batch = activation.rows
    guard batch > 0, weight != 0 else { return }
    addKLDivergenceGradient(
      activation: activation, target: Double(target), scale: Double(weight) / Double(batch),
      clampMargin: Self.clampMargin, to: &gradient)
  }

  /// ρ̂ from a batch's column sums Σ_i a_ij (over `rows` rows), clamped as everywhere here: the
  /// mean activations of a batch whose rows several parts hold, from the parts' sums.
  public static func clampedMeans(sums: [Double], rows: Int) -> [Double] {
    var means = sums
    means.withUnsafeMutableBufferPointer {
      clampColumnMeans($0.baseAddress!, count: $0.count, rows: rows, margin: clampMargin)
    }
    return means
  }

  /// Σ_i a_ij per column, in Double, row by row: this part's share of the batch's sums.
  public static func columnSums(_ activation: Tensor) -> [Double] {
    var sums = [Double](repeating: 0, count: activation.columns)
    sums.withUnsafeMutableBufferPointer { addColumnSums(activation, into: $0.baseAddress!) }
    return sums
  }

  /// β Σ_j KL(ρ ‖ ρ̂_j) for the batch's clamped mean activations `means`.
  public func penalty(means: [Double]) -> Float {
    Float(Double(weight) * klDivergenceSum(means: means, count: means.count, target: Double(target)))
  }

  /// Adds β (−ρ/ρ̂_j + (1 − ρ)/(1 − ρ̂_j)) / `batchRows` to every gradient[i, j], with ρ̂ the
  /// whole batch's clamped `means`: the gradient of rows that are part of a batch of `batchRows`
  /// rows (the parts of a batch add up to the batch's gradient).
  public func addGradient(activation: Tensor, to gradient: inout Tensor, means: [Double], batchRows: Int) {
    checkActivationShapes(activation, gradient, caller: "KLSparsity")
    precondition(means.count == activation.columns, "KLSparsity: \(means.count) means, \(activation.columns) units")
    guard activation.rows > 0, weight != 0 else { return }
    var coefficients = means
    coefficients.withUnsafeMutableBufferPointer {
      addKLDivergenceGradient(
        overwritingMeans: $0.baseAddress!, target: Double(target), scale: Double(weight) / Double(batchRows),
        to: &gradient)
    }
  }
}
