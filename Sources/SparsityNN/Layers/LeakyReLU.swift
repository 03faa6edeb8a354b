import SparsityCore

/// The leaky rectified linear unit, y = x for x > 0 and y = negativeSlope * x otherwise.
///
/// Backward: dL/dx = dL/dy for x > 0 and negativeSlope * dL/dy otherwise, read from the input
/// (so any slope, even 0 or negative, is handled).
///
/// Reference: A. L. Maas, A. Y. Hannun and A. Y. Ng, "Rectifier Nonlinearities Improve Neural
/// Network Acoustic Models", ICML 2013 workshop.
public final class LeakyReLU: Layer {
  /// The slope for negative inputs (PyTorch's default is 0.01).
  public let negativeSlope: Float

  public init(negativeSlope: Float = 0.01) {
    precondition(negativeSlope.isFinite, "LeakyReLU: negativeSlope \(negativeSlope) must be finite")
    self.negativeSlope = negativeSlope
  }

  public var description: String { "LeakyReLU(\(negativeSlope))" }
  public var isActivation: Bool { true }
  public func outputFeatures(inputFeatures: Int) -> Int { inputFeatures }

  /// y = x > 0 ? x : negativeSlope * x. - Complexity: O(batch * features).
  public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
    precondition(output.shape == input.shape, "\(description).forward: input \(input.shape), output \(output.shape)")
    let slope = negativeSlope
    Tensor.map(input.scalars, into: &output.scalars) { $0 > 0 ? $0 : slope * $0 }
  }

  /// dL/dx = dL/dy * (x > 0 ? 1 : negativeSlope). - Complexity: O(batch * features).
  public func backward(
    input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor, needsInputGradient: Bool
  ) {
    guard needsInputGradient else { return }
    precondition(
      outputGradient.shape == input.shape && inputGradient.shape == input.shape,
      "\(description).backward: input \(input.shape), output gradient \(outputGradient.shape), input gradient \(inputGradient.shape)"
    )
    let slope = negativeSlope
    Tensor.zip(input.scalars, outputGradient.scalars, into: &inputGradient.scalars) { x, gy in x > 0 ? gy : slope * gy }
  }
}
