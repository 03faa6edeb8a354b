import SparsityCore

/// Turns images into flat feature vectors, as `torch.nn.Flatten`: the values stay in NCHW order,
/// so the layer only marks where the network stops seeing channels and pixels.
///
/// Forward and backward are copies (the network owns a buffer per layer).
public final class Flatten: Layer {
  /// The image of one sample coming in.
  public let inputShape: ImageShape

  public init(input: ImageShape) { inputShape = input }

  public var description: String { "Flatten(\(inputShape))" }

  public func outputFeatures(inputFeatures: Int) -> Int {
    precondition(inputFeatures == inputShape.featureCount, "\(description): got \(inputFeatures) input features")
    return inputFeatures
  }

  /// y = x. - Complexity: O(batch * features).
  public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
    precondition(output.shape == input.shape, "\(description).forward: input \(input.shape), output \(output.shape)")
    copyValues(input.scalars, into: &output.scalars)
  }

  /// dL/dx = dL/dy. - Complexity: O(batch * features).
  public func backward(
    input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor, needsInputGradient: Bool
  ) {
    guard needsInputGradient else { return }
    precondition(inputGradient.shape == outputGradient.shape, "\(description).backward: shapes differ")
    copyValues(outputGradient.scalars, into: &inputGradient.scalars)
  }
}
