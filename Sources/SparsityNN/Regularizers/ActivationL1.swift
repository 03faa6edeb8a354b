import SparsityCore

/// The L1 penalty on a layer's activations, the usual way to make ReLU codes sparse.
///
/// Objective term, for activations A (batch B, features F):
///
///     R(A) = λ · (1/B) Σ_i Σ_j |a_ij|
///
/// the L1 norm of each sample's code, averaged over the batch: PyTorch's
/// `lam * a.abs().sum(dim=1).mean()`, so λ does not depend on the batch size but does scale
/// with the width F. Gradient: dR/da_ij = λ · sign(a_ij) / B, with sign(0) = 0.
///
/// Reference: Lee, Battle, Raina and Ng, "Efficient sparse coding algorithms", NIPS 2006 (the L1
/// sparsity penalty); Glorot, Bordes and Bengio, "Deep Sparse Rectifier Neural Networks",
/// AISTATS 2011 (on ReLU activations).
public struct ActivationL1: ActivationRegularizer, Equatable {
  /// λ, the strength of the penalty.
  public let strength: Float

  /// An activation L1 penalty of strength λ ≥ 0.
  public init(strength: Float) {
    precondition(
      strength >= 0 && strength.isFinite, "ActivationL1: strength \(strength) must be finite and non-negative")
    self.strength = strength
  }

  /// λ · (1/B) Σ |a_ij|, accumulated in Double; 0 for an empty batch. O(B F).
  public func penalty(activation: Tensor) -> Float { penalty(activation: activation, batchRows: activation.rows) }

  /// Adds λ · sign(a_ij) / B to `gradient` (same shape as `activation`). O(B F), no allocation.
  public func addGradient(activation: Tensor, to gradient: inout Tensor) {
    addGradient(activation: activation, to: &gradient, batchRows: activation.rows)
  }

  /// The penalty of rows that are part of a batch of `batchRows` rows: λ Σ |a_ij| / `batchRows`,
  /// so that the parts of a batch add up to the batch's penalty.
  public func penalty(activation: Tensor, batchRows: Int) -> Float {
    precondition(
      activation.rank == 2, "ActivationL1: activation must be (batch, features), shape is \(activation.shape)")
    guard activation.rows > 0 else { return 0 }
    var total = 0.0
    for a in activation.scalars { total += Double(Swift.abs(a)) }
    return Float(Double(strength) * total / Double(batchRows))
  }

  /// Adds λ · sign(a_ij) / `batchRows` to `gradient`: the gradient of rows that are part of a
  /// batch of `batchRows` rows.
  public func addGradient(activation: Tensor, to gradient: inout Tensor, batchRows: Int) {
    checkActivationShapes(activation, gradient, caller: "ActivationL1")
    guard activation.rows > 0, strength != 0 else { return }
    addSignSteps(strength / Float(batchRows), signsOf: activation.scalars, to: &gradient.scalars)
  }
}
