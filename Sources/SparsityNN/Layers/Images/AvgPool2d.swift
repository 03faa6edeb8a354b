import SparsityCore

/// Average pooling over each channel, PyTorch's `nn.AvgPool2d` with its defaults
/// (`ceil_mode=False`, `count_include_pad=True`): every output pixel is the sum of the input
/// pixels under its window divided by the number of taps, padding counting as zeros.
///
///     y[n, c, i, j] = (1 / (kernelRows * kernelColumns)) sum over taps (a, b) of
///                     x[n, c, i s - p + a, j s - p + b]
///
/// The map is linear, so backward spreads each output gradient evenly over its window:
/// dL/dx[tap] += dL/dy / taps. Both passes are the Core kernels `avgPool2d` and
/// `avgPool2dBackward`; neither keeps state.
public final class AvgPool2d: ImageLayer {
  /// The channels, rows and columns of one input sample.
  public let inputShape: ImageShape
  /// The window: kernel, stride, padding (no dilation).
  public let window: SlidingWindow
  /// The input's channels on the pooled grid, `window.outputShape(of: inputShape)`.
  public let outputShape: ImageShape

  /// Average pooling of `input` images with `window`.
  /// - Precondition: the window fits the (padded) image, is not dilated (PyTorch's average
  ///   pooling has no dilation) and its padding is at most half its kernel in each direction.
  public init(input: ImageShape, window: SlidingWindow) {
    guard let outputShape = window.outputShape(of: input) else {
      preconditionFailure("AvgPool2d: window \(window) does not fit images \(input)")
    }
    precondition(
      window.dilationRows == 1 && window.dilationColumns == 1, "AvgPool2d: window \(window) must not be dilated")
    precondition(
      window.paddingRows <= window.kernelRows / 2 && window.paddingColumns <= window.kernelColumns / 2,
      "AvgPool2d: padding of window \(window) must be at most half the kernel")
    self.inputShape = input
    self.window = window
    self.outputShape = outputShape
  }

  /// `AvgPool2d(2x2, stride 2)`.
  public var description: String { "AvgPool2d(\(window))" }
  public func outputFeatures(inputFeatures: Int) -> Int { checkedOutputFeatures(inputFeatures: inputFeatures) }

  /// y = the mean under each window, padding included.
  /// - Complexity: O(batch * channels * outputPixels * window taps).
  public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
    checkForwardShapes(input, output)
    avgPool2d(input, image: inputShape, window: window, into: &output)
  }

  /// dL/dx: each output gradient divided by the taps, added over its window.
  /// - Complexity: O(batch * channels * outputPixels * window taps).
  public func backward(
    input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor, needsInputGradient: Bool
  ) {
    guard needsInputGradient else { return }
    checkBackwardShapes(input, outputGradient, inputGradient)
    avgPool2dBackward(outputGradient, image: inputShape, window: window, into: &inputGradient)
  }
}
