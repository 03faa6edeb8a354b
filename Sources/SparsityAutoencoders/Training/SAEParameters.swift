// The trainable parameters of a sparse autoencoder, their gradients, and Adam's moments.
import SparsityCore

/// The trainable parameters of a sparse autoencoder, in the layout of `SparseAutoencoder`:
/// `encoder` and `decoder` (latents, inputs), `encoderBias` (latents), `decoderBias` (inputs),
/// and for JumpReLU `logThresholds` (latents, θ_j = exp(logThresholds[j])).
///
/// The same type holds the gradients and Adam's two moments of each parameter.
public struct SAEParameters: Equatable, Sendable {
  public var encoder: [Float]
  public var encoderBias: [Float]
  public var decoder: [Float]
  public var decoderBias: [Float]
  public var logThresholds: [Float]

  /// Zeros for an autoencoder of `latents` latents over `inputs` inputs (`logThresholds` only
  /// when `thresholds`).
  public init(latents: Int, inputs: Int, thresholds: Bool) {
    encoder = [Float](repeating: 0, count: latents * inputs)
    encoderBias = [Float](repeating: 0, count: latents)
    decoder = [Float](repeating: 0, count: latents * inputs)
    decoderBias = [Float](repeating: 0, count: inputs)
    logThresholds = thresholds ? [Float](repeating: 0, count: latents) : []
  }

  /// Total number of values.
  public var count: Int {
    encoder.count + encoderBias.count + decoder.count + decoderBias.count + logThresholds.count
  }

  /// The number of values of parameters of this shape, without making them.
  public static func count(latents: Int, inputs: Int, thresholds: Bool) -> Int {
    2 * latents * inputs + latents + inputs + (thresholds ? latents : 0)
  }
}

/// Adam over every array of `SAEParameters`, the moments kept beside them.
struct SAEAdam: Sendable {
  var firstMoment: SAEParameters
  var secondMoment: SAEParameters
  var step = 0
  let beta1: Float
  let beta2: Float
  let epsilon: Float
  /// The log thresholds' learning rate over the others'.
  let thresholdRateScale: Float
  /// The learning rate of the update under way.
  private var learningRate: Float = 0

  init(like parameters: SAEParameters, beta1: Float, beta2: Float, epsilon: Float, thresholdRateScale: Float = 1) {
    let zeros = SAEParameters(
      latents: parameters.encoderBias.count, inputs: parameters.decoderBias.count,
      thresholds: !parameters.logThresholds.isEmpty)
    firstMoment = zeros
    secondMoment = zeros
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.thresholdRateScale = thresholdRateScale
  }

  /// The constants of the next update at `learningRate`, counting it as taken.
  mutating func nextStep(learningRate: Float) -> AdamStep {
    self.learningRate = learningRate
    step += 1
    return AdamStep(beta1: beta1, beta2: beta2, epsilon: epsilon, l2: 0, learningRate: learningRate, step: step)
  }

  /// One update of every parameter at `learningRate` (`AdamStep`, PyTorch's formulas).
  mutating func update(_ parameters: inout SAEParameters, gradient: SAEParameters, learningRate: Float) {
    let adam = nextStep(learningRate: learningRate)
    adam.apply(
      weights: &parameters.encoder, gradient: gradient.encoder, firstMoment: &firstMoment.encoder,
      secondMoment: &secondMoment.encoder)
    adam.apply(
      weights: &parameters.decoder, gradient: gradient.decoder, firstMoment: &firstMoment.decoder,
      secondMoment: &secondMoment.decoder)
    updateBiases(
      &parameters, step: adam, encoderBias: gradient.encoderBias, decoderBias: gradient.decoderBias,
      logThresholds: gradient.logThresholds)
  }

  /// The update of `step` on b_enc, b_dec and (JumpReLU) the log thresholds alone, given their
  /// gradients; the log thresholds at `thresholdRateScale` times the rate.
  mutating func updateBiases(
    _ parameters: inout SAEParameters, step: AdamStep, encoderBias: [Float], decoderBias: [Float],
    logThresholds: [Float]
  ) {
    step.apply(
      weights: &parameters.encoderBias, gradient: encoderBias, firstMoment: &firstMoment.encoderBias,
      secondMoment: &secondMoment.encoderBias)
    step.apply(
      weights: &parameters.decoderBias, gradient: decoderBias, firstMoment: &firstMoment.decoderBias,
      secondMoment: &secondMoment.decoderBias)
    if !parameters.logThresholds.isEmpty {
      let step = AdamStep(
        beta1: beta1, beta2: beta2, epsilon: epsilon, l2: 0, learningRate: learningRate * thresholdRateScale,
        step: self.step)
      step.apply(
        weights: &parameters.logThresholds, gradient: logThresholds, firstMoment: &firstMoment.logThresholds,
        secondMoment: &secondMoment.logThresholds)
    }
  }
}
