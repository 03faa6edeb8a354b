import SparsityCore

/// A 2-D convolution over NCHW samples, as PyTorch's `torch.nn.Conv2d`.
///
///     y[n, o, p, q] = b[o] + sum over c in o's group, i, j of
///                     w[o, c, i, j] * x[n, c, p * stride - padding + i * dilation, ...]
///
/// Shapes: a batch is (batch, channels * rows * columns), each row one sample in NCHW order
/// (`geometry.input` in, `geometry.output` out). The weight is (out, in / groups, kernel rows,
/// kernel columns) and the bias (out), PyTorch's layout. Forward and backward are the Core
/// kernels `convolve` and `convolutionGradients` (im2col, then one BLAS product per block of
/// images), the bias gradient `accumulateChannelSums`.
///
/// Reference: Y. LeCun, L. Bottou, Y. Bengio and P. Haffner, "Gradient-Based Learning Applied
/// to Document Recognition", Proceedings of the IEEE 86(11), 1998.
public final class Conv2d: ImageLayer {
  /// The input image, window, groups and output image.
  public let geometry: ConvolutionGeometry
  /// w, shape (out, in / groups, kernel rows, kernel columns), named `weight`.
  public let weight: Parameter
  /// b, shape (out), named `bias`; nil for a layer built with `bias: false`.
  public let bias: Parameter?
  /// [weight, bias], or [weight] without bias.
  public let parameters: [Parameter]
  /// A convolution with weights drawn by `initialization`, fanIn = in / groups * taps and
  /// fanOut = out * taps (PyTorch's fans).
  public init(
    _ geometry: ConvolutionGeometry, bias: Bool = true, initialization: Initialization = .he,
    using generator: inout Xoshiro256StarStar
  ) {
    self.geometry = geometry
    let (fanIn, fanOut) = (geometry.patchLength, geometry.output.channels * geometry.window.tapCount)
    weight = Parameter(
      name: "weight",
      value: initialization.weight(shape: geometry.weightShape, fanIn: fanIn, fanOut: fanOut, using: &generator))
    self.bias =
      bias
      ? Parameter(
        name: "bias",
        value: initialization.bias(fanIn: fanIn, fanOut: geometry.output.channels, using: &generator))
      : nil
    parameters = [weight] + (self.bias.map { [$0] } ?? [])
  }

  /// The input image of one sample.
  public var inputShape: ImageShape { geometry.input }
  /// The output image of one sample.
  public var outputShape: ImageShape { geometry.output }

  public var description: String {
    "Conv2d(\(geometry.input.channels), \(geometry.output.channels), \(geometry.window)"
      + (geometry.groups > 1 ? ", groups \(geometry.groups)" : "") + (bias == nil ? ", bias: false" : "") + ")"
  }

  public func outputFeatures(inputFeatures: Int) -> Int { checkedOutputFeatures(inputFeatures: inputFeatures) }

  /// y = w * x + b. - Complexity: O(batch * output features * in / groups * taps).
  public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
    convolve(input, weight: weight.value.scalars, bias: bias?.value.scalars, geometry: geometry, into: &output)
  }

  /// Adds dL/dw and dL/db; writes dL/dx into `inputGradient` when `needsInputGradient`.
  /// - Complexity: O(batch * output features * in / groups * taps), twice with the input gradient.
  public func backward(
    input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor, needsInputGradient: Bool
  ) {
    let overwrite = weight.beginAccumulation()
    if needsInputGradient {
      precondition(
        inputGradient.shape == input.shape,
        "\(description).backward: input gradient \(inputGradient.shape), input \(input.shape)")
      inputGradient.scalars.withUnsafeMutableBufferPointer { dx in
        convolutionGradients(
          input: input, outputGradient: outputGradient, weight: weight.value.scalars, geometry: geometry,
          weightGradient: &weight.gradient.scalars, overwriteWeightGradient: overwrite, inputGradient: dx.baseAddress)
      }
    } else {
      convolutionGradients(
        input: input, outputGradient: outputGradient, weight: weight.value.scalars, geometry: geometry,
        weightGradient: &weight.gradient.scalars, overwriteWeightGradient: overwrite, inputGradient: nil)
    }
    if let bias {
      if bias.beginAccumulation() { bias.zeroGradient() }
      accumulateChannelSums(of: outputGradient, channels: geometry.output.channels, into: &bias.gradient.scalars)
    }
  }
}
