import SparsityCore

/// Channel-wise inverted dropout, PyTorch's `nn.Dropout2d`: in training, each channel of each
/// sample is zeroed as a whole with probability p and the surviving channels are scaled by
/// 1 / (1 - p); in evaluation it is the identity.
///
/// Training: y[n, c, r, q] = x[n, c, r, q] * m[n, c] with m[n, c] = 0 with probability p,
/// 1 / (1 - p) otherwise, one draw per (sample, channel) in that order, afresh on every
/// `forward`, from the layer's own seeded generator (`drawDropoutMask`; the same seed gives the
/// same sequence of masks). Backward: dL/dx = dL/dy * m with the mask of the last `forward`
/// (dL/dx = dL/dy after an evaluation forward). Whole feature maps are dropped because
/// neighbouring pixels of a convolution's output are strongly correlated, so dropping single
/// pixels regularizes little. Both passes are the Core kernel `scaleChannels`; the mask buffer is
/// reallocated only when the batch size changes.
///
/// Reference: J. Tompson, R. Goroshin, A. Jain, Y. LeCun and C. Bregler, "Efficient Object
/// Localization Using Convolutional Networks", CVPR 2015 (spatial dropout).
public final class ChannelDropout: ImageLayer, StochasticLayer {
  /// The channels, rows and columns of one sample; the output has the same shape.
  public let inputShape: ImageShape
  /// The probability p that a channel is zeroed in training, in [0, 1).
  public let probability: Float
  private var generator: Xoshiro256StarStar
  private var mask: [Float] = []
  private var lastForwardWasTraining = false

  /// Channel dropout on `input` images, zeroing channels with `probability`, its masks drawn
  /// from a generator seeded with `seed`.
  public init(input: ImageShape, probability: Float, seed: UInt64) {
    precondition(probability >= 0 && probability < 1, "ChannelDropout: probability \(probability) not in [0, 1)")
    self.inputShape = input
    self.probability = probability
    generator = Xoshiro256StarStar(seed: seed)
  }

  public func reseed(_ seed: UInt64) { generator = Xoshiro256StarStar(seed: seed) }

  /// The same shape as the input.
  public var outputShape: ImageShape { inputShape }
  /// `ChannelDropout(0.2)`.
  public var description: String { "ChannelDropout(\(probability))" }
  public func outputFeatures(inputFeatures: Int) -> Int { checkedOutputFeatures(inputFeatures: inputFeatures) }

  /// y = x * m per channel in training (new mask), y = x in evaluation.
  /// - Complexity: O(batch * features), one random draw per sample and channel in training.
  public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
    checkForwardShapes(input, output)
    lastForwardWasTraining = training
    guard training else {
      copyValues(input.scalars, into: &output.scalars)
      return
    }
    let planes = input.rows * inputShape.channels
    if mask.count != planes { mask = [Float](repeating: 0, count: planes) }
    drawDropoutMask(&mask, probability: probability, using: &generator)
    scaleChannels(input, image: inputShape, by: mask, into: &output)
  }

  /// dL/dx = dL/dy * m (training) or dL/dy (evaluation). - Complexity: O(batch * features).
  public func backward(
    input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor, needsInputGradient: Bool
  ) {
    guard needsInputGradient else { return }
    checkBackwardShapes(input, outputGradient, inputGradient)
    guard lastForwardWasTraining else {
      copyValues(outputGradient.scalars, into: &inputGradient.scalars)
      return
    }
    precondition(
      mask.count == input.rows * inputShape.channels,
      "\(description).backward: mask of \(mask.count) from the last forward, input \(input.shape)")
    scaleChannels(outputGradient, image: inputShape, by: mask, into: &inputGradient)
  }
}
