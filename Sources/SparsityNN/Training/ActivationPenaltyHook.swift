// Activation penalties (L1, KL sparsity) applied during back-propagation.

import SparsityCore

/// Adds activation penalties' gradients during `Sequential.backward` and sums their values.
final class ActivationPenaltyHook {
  let penalties: [(Int, any ActivationRegularizer)]
  /// The highest penalized layer: backward reaches it first, so the sum restarts there.
  let lastIndex: Int
  /// The penalties' total over the last backward pass.
  private(set) var penalty: Float = 0
  /// When the rows going through are a part of a batch: the batch's rows, which the penalties
  /// are averaged over.
  var batchRows: Int?
  /// With `batchRows`: the whole batch's clamped mean activations at each KL-penalized layer
  /// (by layer index). The KL gradient then uses them, and its penalty, a function of the whole
  /// batch, is left out of `penalty` (the trainer adds it once per batch).
  var batchMeans: [Int: [Double]] = [:]

  init(penalties: [(Int, any ActivationRegularizer)]) {
    self.penalties = penalties
    lastIndex = penalties.map(\.0).max() ?? 0
  }

  /// The activation penalties of `settings` bound to the layers of `model` they apply to:
  /// activation L1 on every activation layer but Sigmoid, KL sparsity on Sigmoid layers; nil
  /// when there is none.
  convenience init?(model: Sequential, settings: TrainingSettings) {
    var penalties: [(Int, any ActivationRegularizer)] = []
    for (index, layer) in model.layers.enumerated() where layer.isActivation {
      if settings.activationL1 > 0 && !(layer is Sigmoid) {
        penalties.append((index, ActivationL1(strength: settings.activationL1)))
      }
      if let kl = settings.klSparsity, layer is Sigmoid { penalties.append((index, kl)) }
    }
    if penalties.isEmpty { return nil }
    self.init(penalties: penalties)
  }

  /// The `activationPenalty` callback of `Sequential.backward`.
  func apply(_ layerIndex: Int, _ activation: Tensor, _ gradient: inout Tensor) {
    if layerIndex == lastIndex { penalty = 0 }
    for (index, regularizer) in penalties where index == layerIndex {
      if let batchRows, let l1 = regularizer as? ActivationL1 {
        penalty += l1.penalty(activation: activation, batchRows: batchRows)
        l1.addGradient(activation: activation, to: &gradient, batchRows: batchRows)
      } else if let batchRows, let kl = regularizer as? KLSparsity, let means = batchMeans[index] {
        kl.addGradient(activation: activation, to: &gradient, means: means, batchRows: batchRows)
      } else {
        precondition(
          batchRows == nil || batchRows == activation.rows,
          "ActivationPenaltyHook: \(regularizer) at layer \(index) has no whole-batch statistics")
        penalty += regularizer.penalty(activation: activation)
        regularizer.addGradient(activation: activation, to: &gradient)
      }
    }
  }
}
