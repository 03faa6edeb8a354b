import SparsityCore

/// Turns images into flat feature vectors, as `torch.nn.Flatten`: the values stay in NCHW order,
/// so the layer only marks where the network stops seeing channels and pixels.
///
/// Forward and backward are copies (the network owns a buffer per layer).
public final class Flatten: ImageLayer {
  /// The image of one sample coming in.
  public let inputShape: ImageShape

  public init(input: ImageShape) { inputShape = input }

  /// The flat features, seen as an image of one value per channel (`featureCount` x 1 x 1).
  public var outputShape: ImageShape { ImageShape(channels: inputShape.featureCount, rows: 1, columns: 1) }

  public var description: String { "Flatten(\(inputShape))" }

  public func outputFeatures(inputFeatures: Int) -> Int { checkedOutputFeatures(inputFeatures: inputFeatures) }

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
