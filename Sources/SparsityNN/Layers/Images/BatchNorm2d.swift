import SparsityCore

/// Batch normalization of each channel, PyTorch's `nn.BatchNorm2d` (affine, tracking running
/// statistics):
///
///     y[n, c, r, q] = (x[n, c, r, q] - mean[c]) / sqrt(variance[c] + epsilon) * gamma[c] + beta[c]
///
/// In training, mean and variance are the batch's own, over the M = batch * rows * columns
/// values of each channel (the biased variance), and the running statistics move toward them:
///
///     running_mean <- (1 - momentum) running_mean + momentum mean
///     running_var  <- (1 - momentum) running_var + momentum variance * M / (M - 1)
///
/// (the unbiased variance, as PyTorch), and `num_batches_tracked` counts the batches. In
/// evaluation, the running statistics normalize and nothing changes. Which of the two the last
/// `forward` did is remembered, with the statistics it used, so `backward` differentiates that:
/// with batch statistics dL/dx = gamma / sigma (dy - mean(dy) - xhat mean(dy xhat)) per
/// channel, with running statistics dL/dx = gamma / sigma dy. Both add dL/dgamma = sum dy xhat
/// and dL/dbeta = sum dy to the parameters' gradients. The loops are the Core kernels
/// `channelMeansAndVariances`, `normalizeChannels`, `batchNormParameterGradients` and
/// `batchNormInputGradient`; every per-channel array is allocated once, at construction.
///
/// Parameters `weight` (gamma, ones) and `bias` (beta, zeros), buffers `running_mean` (zeros),
/// `running_var` (ones), each of shape [channels], and `num_batches_tracked` of shape [] (a
/// scalar; PyTorch's is a 0-dimensional int64, here a Float count, exact up to 2^24 batches).
///
/// Reference: S. Ioffe and C. Szegedy, "Batch Normalization: Accelerating Deep Network Training
/// by Reducing Internal Covariate Shift", ICML 2015.
public final class BatchNorm2d: ImageLayer {
  /// The channels, rows and columns of one sample; the output has the same shape.
  public let inputShape: ImageShape
  /// Added to the variance before the square root.
  public let epsilon: Float
  /// The weight of the newest batch in the running statistics, in [0, 1].
  public let momentum: Float
  /// gamma, shape [channels], named `weight`.
  public let weight: Parameter
  /// beta, shape [channels], named `bias`.
  public let bias: Parameter
  /// [weight, bias].
  public let parameters: [Parameter]
  /// The running mean, shape [channels], named `running_mean`.
  public let runningMean: Buffer
  /// The running (unbiased) variance, shape [channels], named `running_var`.
  public let runningVariance: Buffer
  /// The number of training batches seen, shape [] (one Float), named `num_batches_tracked`.
  public let batchesTracked: Buffer
  /// [running_mean, running_var, num_batches_tracked], PyTorch's order.
  public let buffers: [Buffer]

  /// The statistics the last forward normalized with, and gamma / sigma.
  private var means: [Float]
  private var variances: [Float]
  private var inverseDeviations: [Float]
  private var scales: [Float]
  /// The last backward's sum dy xhat and sum dy per channel.
  private var weightSums: [Float]
  private var biasSums: [Float]
  private var lastForwardUsedBatchStatistics = false

  /// Batch normalization of the channels of `input` images.
  public init(input: ImageShape, epsilon: Float = 1e-5, momentum: Float = 0.1) {
    precondition(epsilon > 0, "BatchNorm2d: epsilon \(epsilon) must be positive")
    precondition(momentum >= 0 && momentum <= 1, "BatchNorm2d: momentum \(momentum) not in [0, 1]")
    let channels = input.channels
    self.inputShape = input
    self.epsilon = epsilon
    self.momentum = momentum
    weight = Parameter(name: "weight", value: Tensor(repeating: 1, shape: [channels]))
    bias = Parameter(name: "bias", value: Tensor(zeros: [channels]))
    parameters = [weight, bias]
    runningMean = Buffer(name: "running_mean", value: Tensor(zeros: [channels]))
    runningVariance = Buffer(name: "running_var", value: Tensor(repeating: 1, shape: [channels]))
    batchesTracked = Buffer(name: "num_batches_tracked", value: Tensor(shape: [], scalars: [0]))
    buffers = [runningMean, runningVariance, batchesTracked]
    let zeros = [Float](repeating: 0, count: channels)
    (means, variances, inverseDeviations, scales, weightSums, biasSums) = (zeros, zeros, zeros, zeros, zeros, zeros)
  }

  /// The same shape as the input.
  public var outputShape: ImageShape { inputShape }

  /// `BatchNorm2d(16)`, with `epsilon` and `momentum` when they are not PyTorch's defaults.
  public var description: String {
    var text = "BatchNorm2d(\(inputShape.channels)"
    if epsilon != 1e-5 { text += ", epsilon: \(epsilon)" }
    if momentum != 0.1 { text += ", momentum: \(momentum)" }
    return text + ")"
  }

  public func outputFeatures(inputFeatures: Int) -> Int { checkedOutputFeatures(inputFeatures: inputFeatures) }

  /// Normalizes with the batch's statistics (training; updates the running ones) or the running
  /// statistics (evaluation).
  /// - Precondition: in training, more than one value per channel (batch * pixels != 1), as in
  ///   PyTorch; an empty batch leaves the running statistics alone.
  /// - Complexity: O(batch * features), three passes in training, one in evaluation.
  public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
    checkForwardShapes(input, output)
    lastForwardUsedBatchStatistics = training
    if training {
      let count = input.rows * inputShape.pixelCount
      precondition(count != 1, "\(description): training needs more than one value per channel, got 1")
      channelMeansAndVariances(of: input, image: inputShape, means: &means, variances: &variances)
      batchesTracked.value.scalars[0] += 1
      if count > 1 { updateRunningStatistics(count: count) }
    } else {
      copyValues(runningMean.value.scalars, into: &means)
      copyValues(runningVariance.value.scalars, into: &variances)
    }
    for c in 0..<inputShape.channels {
      inverseDeviations[c] = 1 / (variances[c] + epsilon).squareRoot()
      scales[c] = weight.value.scalars[c] * inverseDeviations[c]
    }
    normalizeChannels(input, image: inputShape, means: means, scales: scales, shifts: bias.value.scalars, into: &output)
  }

  /// Adds dL/dgamma and dL/dbeta; writes dL/dx when `needsInputGradient`, through the batch
  /// statistics if the last forward used them.
  /// - Complexity: O(batch * features), two passes.
  public func backward(
    input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor, needsInputGradient: Bool
  ) {
    precondition(
      input.rank == 2 && input.columns == inputShape.featureCount && outputGradient.shape == input.shape,
      "\(description).backward: input \(input.shape), output gradient \(outputGradient.shape)")
    batchNormParameterGradients(
      outputGradient, input: input, image: inputShape, means: means, inverseDeviations: inverseDeviations,
      weightGradient: &weightSums, biasGradient: &biasSums)
    accumulate(weightSums, into: weight)
    accumulate(biasSums, into: bias)
    guard needsInputGradient else { return }
    checkBackwardShapes(input, outputGradient, inputGradient)
    batchNormInputGradient(
      outputGradient, input: input, image: inputShape, means: means, inverseDeviations: inverseDeviations,
      scales: scales, weightGradient: weightSums, biasGradient: biasSums,
      batchStatistics: lastForwardUsedBatchStatistics, into: &inputGradient)
  }

  /// Moves the running statistics toward this batch's (unbiased variance for `count` values).
  private func updateRunningStatistics(count: Int) {
    let correction = Float(count) / Float(count - 1)
    for c in 0..<inputShape.channels {
      runningMean.value.scalars[c] = (1 - momentum) * runningMean.value.scalars[c] + momentum * means[c]
      runningVariance.value.scalars[c] =
        (1 - momentum) * runningVariance.value.scalars[c] + momentum * variances[c] * correction
    }
  }

  /// Adds per-channel sums to a parameter's gradient (overwriting a reset one).
  private func accumulate(_ sums: [Float], into parameter: Parameter) {
    if parameter.beginAccumulation() {
      copyValues(sums, into: &parameter.gradient.scalars)
    } else {
      for c in sums.indices { parameter.gradient.scalars[c] += sums[c] }
    }
  }
}
