import SparsityCore

/// The rectified linear unit, y = max(0, x), element-wise.
///
/// Backward: dL/dx = dL/dy where y > 0, else 0 (the subgradient 0 at x = 0), read from the
/// stored output so the input is not needed. Both passes are one vectorized loop.
///
/// Reference: V. Nair and G. E. Hinton, "Rectified Linear Units Improve Restricted Boltzmann
/// Machines", ICML 2010.
public final class ReLU: Layer {
  public init() {}

  public var description: String { "ReLU" }
  public var isActivation: Bool { true }
  public func outputFeatures(inputFeatures: Int) -> Int { inputFeatures }

  /// y = max(0, x). - Complexity: O(batch * features).
  public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
    precondition(output.shape == input.shape, "ReLU.forward: input \(input.shape), output \(output.shape)")
    rectify(input.scalars, into: &output.scalars)
  }

  /// dL/dx = dL/dy * [y > 0]. - Complexity: O(batch * features).
  public func backward(
    input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor, needsInputGradient: Bool
  ) {
    guard needsInputGradient else { return }
    precondition(
      outputGradient.shape == output.shape && inputGradient.shape == output.shape,
      "ReLU.backward: output \(output.shape), output gradient \(outputGradient.shape), input gradient \(inputGradient.shape)"
    )
    passWhereActive(outputGradient.scalars, active: output.scalars, into: &inputGradient.scalars)
  }
}
