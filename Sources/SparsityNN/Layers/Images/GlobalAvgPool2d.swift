import SparsityCore

/// The mean of each channel: PyTorch's `nn.AdaptiveAvgPool2d(1)` followed by `nn.Flatten()`,
/// turning (batch, channels * rows * columns) images into (batch, channels) features.
///
///     y[n, c] = (1 / (rows * columns)) sum over r, q of x[n, c, r, q]
///
/// Backward: dL/dx[n, c, r, q] = dL/dy[n, c] / (rows * columns). Both passes are the Core
/// kernels `globalAvgPool2d` and `globalAvgPool2dBackward`.
///
/// Reference: M. Lin, Q. Chen and S. Yan, "Network In Network", ICLR 2014 (global average pooling).
public final class GlobalAvgPool2d: ImageLayer {
  /// The channels, rows and columns of one input sample.
  public let inputShape: ImageShape

  /// The mean of every channel of `input` images.
  public init(input: ImageShape) { self.inputShape = input }

  /// One value per channel: channels x 1 x 1.
  public var outputShape: ImageShape { ImageShape(channels: inputShape.channels, rows: 1, columns: 1) }
  public var description: String { "GlobalAvgPool2d" }
  public func outputFeatures(inputFeatures: Int) -> Int { checkedOutputFeatures(inputFeatures: inputFeatures) }

  /// y = each channel's mean. - Complexity: O(batch * input features).
  public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
    checkForwardShapes(input, output)
    globalAvgPool2d(input, image: inputShape, into: &output)
  }

  /// dL/dx = dL/dy of the channel over its pixel count. - Complexity: O(batch * input features).
  public func backward(
    input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor, needsInputGradient: Bool
  ) {
    guard needsInputGradient else { return }
    checkBackwardShapes(input, outputGradient, inputGradient)
    globalAvgPool2dBackward(outputGradient, image: inputShape, into: &inputGradient)
  }
}
