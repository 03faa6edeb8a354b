import SparsityCore

/// A penalty on the weight matrices of a network, added to the training loss.
///
/// Applies to parameters named `weight` only (the matrices of `Linear` and similar layers), never
/// to biases, as is customary: a bias does not multiply an input, so shrinking it does not make
/// the network sparser. A training step calls `addGradient(to:)` after the backward pass and
/// `applyProximalStep(to:learningRate:)` after the optimizer step; a regularizer implements the
/// one that fits how it is minimized and leaves the other a no-op.
public protocol WeightRegularizer: Sendable {
  /// The penalty R(W) over the weight matrices among `parameters`.
  func penalty(_ parameters: [Parameter]) -> Float
  /// Adds dR/dW (or a subgradient) to the gradients of the weight matrices.
  func addGradient(to parameters: [Parameter])
  /// Applies the proximal operator of η R to the weight matrices after an optimizer step.
  func applyProximalStep(to parameters: [Parameter], learningRate: Float)
}

extension WeightRegularizer {
  /// No proximal step: the penalty is minimized through its gradient.
  public func applyProximalStep(to parameters: [Parameter], learningRate: Float) {}
}

/// A penalty on the activations (batch, features) of one layer, added to the training loss.
///
/// Used through `Sequential.backward(_:activationPenalty:)`, whose hook hands over each layer's
/// output and dL/d(output) before the gradient passes through the layer.
public protocol ActivationRegularizer: Sendable {
  /// The penalty R(A) of a batch of activations.
  func penalty(activation: Tensor) -> Float
  /// Adds dR/dA to `gradient`, which has the shape of `activation`.
  func addGradient(activation: Tensor, to gradient: inout Tensor)
}

extension ActivationRegularizer {
  /// A hook for `Sequential.backward(_:activationPenalty:)` that adds this penalty's gradient at
  /// the outputs of the layers at `layerIndices` (for example those with `isActivation`).
  public func backwardHook(layers layerIndices: Set<Int>) -> (Int, Tensor, inout Tensor) -> Void {
    { index, activation, gradient in
      if layerIndices.contains(index) { addGradient(activation: activation, to: &gradient) }
    }
  }
}

extension Parameter {
  /// True for parameters that weight regularizers apply to: the matrices and filters named
  /// `weight` (rank 2 or more: `Linear` and `Conv2d`), not batch norm's per-channel scale.
  var isRegularizedWeight: Bool { name == "weight" && value.rank >= 2 }
}

/// Checks that `activation` is a (batch, features) matrix and `gradient` has its shape.
func checkActivationShapes(_ activation: Tensor, _ gradient: Tensor, caller: String) {
  precondition(activation.rank == 2, "\(caller): activation must be (batch, features), shape is \(activation.shape)")
  precondition(
    gradient.shape == activation.shape,
    "\(caller): gradient \(gradient.shape) differs from activation \(activation.shape)")
}
