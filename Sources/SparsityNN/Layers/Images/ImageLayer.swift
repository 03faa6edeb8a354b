import SparsityCore

/// A layer over image samples of a fixed geometry, built knowing its input shape.
///
/// Shapes: as for every `Layer`, a batch is a (batch, features) matrix; here each row is one
/// NCHW sample, channel by channel and each channel row by row, so `inputShape.featureCount`
/// input features become `outputShape.featureCount` output features.
public protocol ImageLayer: Layer {
  /// The channels, rows and columns of one input sample.
  var inputShape: ImageShape { get }
  /// The channels, rows and columns of one output sample (channels x 1 x 1 after global pooling).
  var outputShape: ImageShape { get }
}

extension ImageLayer {
  /// Checks that a batch of `inputFeatures` features matches `inputShape` and returns the output
  /// features: the shared `outputFeatures(inputFeatures:)` of image layers.
  func checkedOutputFeatures(inputFeatures: Int) -> Int {
    precondition(
      inputFeatures == inputShape.featureCount,
      "\(description): got \(inputFeatures) input features, images \(inputShape) have \(inputShape.featureCount)")
    return outputShape.featureCount
  }

  /// Checks a forward pass's shapes: input (batch, inputShape.featureCount), output
  /// (batch, outputShape.featureCount).
  func checkForwardShapes(_ input: Tensor, _ output: Tensor) {
    precondition(
      input.rank == 2 && input.columns == inputShape.featureCount,
      "\(description).forward: input \(input.shape) for images \(inputShape)")
    precondition(
      output.shape == [input.rows, outputShape.featureCount],
      "\(description).forward: output \(output.shape), expected \([input.rows, outputShape.featureCount])")
  }

  /// Checks a backward pass's shapes: the output gradient as the output, the input gradient as
  /// the input.
  func checkBackwardShapes(_ input: Tensor, _ outputGradient: Tensor, _ inputGradient: Tensor) {
    precondition(
      input.rank == 2 && input.columns == inputShape.featureCount
        && outputGradient.shape == [input.rows, outputShape.featureCount] && inputGradient.shape == input.shape,
      "\(description).backward: input \(input.shape), output gradient \(outputGradient.shape), input gradient \(inputGradient.shape) for images \(inputShape) -> \(outputShape)"
    )
  }
}
