import SparsityCore

/// Max pooling over each channel, PyTorch's `nn.MaxPool2d` (`ceil_mode=False`, dilation
/// supported): every output pixel is the largest input pixel under its window, padding counting
/// as -infinity.
///
///     y[n, c, i, j] = max over taps (a, b) of x[n, c, i s - p + a d, j s - p + b d]
///
/// Among equal values the first in the window's row-major scan wins, as in PyTorch. Forward
/// records the index of each maximum in a buffer reused across calls (reallocated only when the
/// batch size changes); backward sends each output gradient to that pixel:
/// dL/dx[argmax] += dL/dy. Both passes are the Core kernels `maxPool2d` and `maxPool2dBackward`.
public final class MaxPool2d: ImageLayer {
  /// The channels, rows and columns of one input sample.
  public let inputShape: ImageShape
  /// The window: kernel, stride, padding, dilation.
  public let window: SlidingWindow
  /// The input's channels on the pooled grid, `window.outputShape(of: inputShape)`.
  public let outputShape: ImageShape
  private var argmax: [Int32] = []

  /// Max pooling of `input` images with `window`.
  /// - Precondition: the window fits the (padded) image, and its padding is at most half its
  ///   kernel in each direction (PyTorch's rule).
  public init(input: ImageShape, window: SlidingWindow) {
    guard let outputShape = window.outputShape(of: input) else {
      preconditionFailure("MaxPool2d: window \(window) does not fit images \(input)")
    }
    precondition(
      window.paddingRows <= window.kernelRows / 2 && window.paddingColumns <= window.kernelColumns / 2,
      "MaxPool2d: padding of window \(window) must be at most half the kernel")
    self.inputShape = input
    self.window = window
    self.outputShape = outputShape
  }

  /// `MaxPool2d(2x2, stride 2)`.
  public var description: String { "MaxPool2d(\(window))" }
  public func outputFeatures(inputFeatures: Int) -> Int { checkedOutputFeatures(inputFeatures: inputFeatures) }

  /// y = the maximum under each window; records where it was.
  /// - Complexity: O(batch * channels * outputPixels * window taps).
  public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
    checkForwardShapes(input, output)
    if argmax.count != output.count { argmax = [Int32](repeating: -1, count: output.count) }
    maxPool2d(input, image: inputShape, window: window, into: &output, argmax: &argmax)
  }

  /// dL/dx: each output gradient added at its window's maximum, 0 elsewhere.
  /// - Complexity: O(batch * (input features + output features)).
  public func backward(
    input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor, needsInputGradient: Bool
  ) {
    guard needsInputGradient else { return }
    checkBackwardShapes(input, outputGradient, inputGradient)
    precondition(
      argmax.count == outputGradient.count,
      "\(description).backward: \(argmax.count) indices from the last forward for output gradient \(outputGradient.shape)"
    )
    maxPool2dBackward(outputGradient, argmax: argmax, image: inputShape, into: &inputGradient)
  }
}
