// Training a sparse autoencoder: initialization, the step (gradient, AuxK, unit-norm decoder,
// Adam) and dead-latent tracking.
import Foundation
import SparsityCore

/// Trains a sparse autoencoder step by step.
///
/// Initialization: decoder rows drawn from N(0, 1) and scaled to unit norm, the encoder tied
/// to them (W_enc = W_dec, i.e. the transpose of SAELens's W_enc), b_enc = 0, b_dec at the
/// geometric median of a sample of rows (`geometricMedian`), JumpReLU thresholds from the
/// sample at `initialL0` (`initialThresholds`) or at `initialThreshold`. With
/// `normalizesInputs`, rows are scaled by s = 1 / √(mean ||x||²) while training, and
/// `autoencoder` folds s back into the weights.
///
/// Each `step`: the batch's loss (`SAEGradient`, with AuxK over the latents that have not fired
/// for `deadWindow` rows), then, latent by latent, the gradient, the decoder gradient's
/// component parallel to its unit-norm row removed, one Adam update at the scheduled rate and
/// the decoder row renormalized (`SAEGradient.backwardAndUpdate`).
public struct SAETrainer {
  /// The settings trained with.
  public let settings: SAETrainingSettings
  /// Values per row.
  public let inputs: Int
  /// The parameters, in the normalized units of training.
  public internal(set) var parameters: SAEParameters
  /// The factor s every row is multiplied by before it is used (1 without normalization).
  public let inputScale: Float
  /// Training rows since each latent last fired.
  public internal(set) var rowsSinceFired: [Int]
  /// BatchTopK's learned threshold (a moving average of each batch's smallest kept value).
  public private(set) var batchThreshold: Float?
  /// Steps taken.
  public internal(set) var steps = 0
  private var gradientStep: SAEGradient
  /// One forward and backward pass per part of `step(parts:of:reduction:totalSteps:)`, and its buffers.
  var partSteps: [SAEGradient] = []
  var partBuffers = PartBuffers(SAEParameters(latents: 0, inputs: 0, thresholds: false))
  private var adam: SAEAdam
  private let deadWindow: Int

  /// A trainer for rows of `inputs` values, initialized from `sample` (rows, inputs), a sample of
  /// the training rows, and their mean squared norm over the whole training set.
  public init(settings: SAETrainingSettings, sample: Tensor, meanSquaredNorm: Double, rowsPerEpoch: Int) {
    precondition(sample.rank == 2 && sample.rows > 0, "SAETrainer: the sample must be a non-empty matrix")
    precondition(settings.latents > 0 && settings.batchSize > 0, "SAETrainer: latents and batch size must be positive")
    let (n, d) = (settings.latents, sample.columns)
    self.settings = settings
    inputs = d
    let scale = settings.normalizesInputs && meanSquaredNorm > 0 ? Float(1 / meanSquaredNorm.squareRoot()) : 1
    inputScale = scale
    var p = SAEParameters(
      latents: n, inputs: d, thresholds: { if case .jumpReLU = settings.objective { true } else { false } }())
    var generator = Xoshiro256StarStar(seed: settings.seed)
    for j in 0..<n {
      var norm: Float = 0
      for c in 0..<d {
        let value = generator.normal()
        p.decoder[j * d + c] = value
        norm += value * value
      }
      let inverse = 1 / Swift.max(norm.squareRoot(), .leastNormalMagnitude)
      for c in 0..<d { p.decoder[j * d + c] *= inverse }
    }
    p.encoder = p.decoder
    let scaled = sample.scalars.map { $0 * scale }
    p.decoderBias = scaled.withUnsafeBufferPointer { geometricMedian($0.baseAddress!, count: sample.rows, width: d) }
    if !p.logThresholds.isEmpty {
      var thresholds = [Float](repeating: settings.initialThreshold, count: n)
      if let l0 = settings.initialL0 {
        // A batch's worth of the sample: the pre-activations take what one step's do.
        let rows = Swift.min(sample.rows, settings.batchSize)
        thresholds = scaled.withUnsafeBufferPointer {
          initialThresholds(
            sample: $0.baseAddress!, rows: rows, encoder: p.encoder, encoderBias: p.encoderBias,
            decoderBias: p.decoderBias, l0: l0, fallback: settings.initialThreshold)
        }
      }
      for j in 0..<n { p.logThresholds[j] = Foundation.log(thresholds[j]) }
    }
    parameters = p
    adam = SAEAdam(
      like: p, beta1: settings.beta1, beta2: settings.beta2, epsilon: settings.epsilon,
      thresholdRateScale: settings.thresholdLearningRateScale)
    gradientStep = SAEGradient(
      objective: settings.objective, latents: n, inputs: d, auxK: settings.auxK ?? d / 2,
      auxCoefficient: settings.auxCoefficient)
    rowsSinceFired = [Int](repeating: 0, count: n)
    deadWindow = settings.deadWindow ?? rowsPerEpoch
  }

  /// The latents that have not fired for more than the dead window, ascending.
  public var deadLatents: [Int32] {
    var dead = [Int32]()
    for j in rowsSinceFired.indices where rowsSinceFired[j] > deadWindow { dead.append(Int32(j)) }
    return dead
  }

  /// One training step on `rows` raw rows in `batch` (rows x inputs; scaled in place by
  /// `inputScale`), the `step`-th of `totalSteps` for the learning-rate schedule: the backward
  /// pass fused with the update (`SAEGradient.backwardAndUpdate`).
  public mutating func step(_ batch: UnsafeMutablePointer<Float>, rows: Int, totalSteps: Int) -> SAEBatchLoss {
    scaleInputs(batch, rows: rows)
    var loss = gradientStep.lossAndOutputGradient(parameters, batch: batch, rows: rows, dead: deadLatents)
    track(loss, rows: rows)
    gradientStep.backwardAndUpdate(
      &parameters, rows: rows, loss: &loss, adam: &adam,
      learningRate: settings.learningRate(step: steps, of: totalSteps),
      unitNormDecoder: settings.objective.hasUnitNormDecoder)
    loss.total = loss.fvu + Double(settings.auxCoefficient) * loss.auxFVU + loss.sparsityTerm
    steps += 1
    return loss
  }

  /// Reference twin of `step`, unfused: the whole gradient (`SAEGradient.compute`), its decoder
  /// part made tangent to the unit-norm rows, one Adam update of every array, the decoder rows
  /// renormalized.
  mutating func referenceStep(_ batch: UnsafeMutablePointer<Float>, rows: Int, totalSteps: Int) -> SAEBatchLoss {
    scaleInputs(batch, rows: rows)
    var gradient = SAEParameters(
      latents: settings.latents, inputs: inputs, thresholds: !parameters.logThresholds.isEmpty)
    let loss = gradientStep.compute(parameters, batch: batch, rows: rows, dead: deadLatents, into: &gradient)
    track(loss, rows: rows)
    applyUpdate(gradient, totalSteps: totalSteps)
    return loss
  }

  /// A forward and backward pass with this trainer's objective and AuxK settings.
  func makeGradientStep() -> SAEGradient {
    SAEGradient(
      objective: settings.objective, latents: settings.latents, inputs: inputs, auxK: settings.auxK ?? inputs / 2,
      auxCoefficient: settings.auxCoefficient)
  }

  /// The update of the unfused steps: the decoder gradient made tangent to its unit-norm rows
  /// (when the objective has them), one Adam step at the scheduled rate, the rows renormalized.
  mutating func applyUpdate(_ gradient: SAEParameters, totalSteps: Int) {
    var gradient = gradient
    let unitNorm = settings.objective.hasUnitNormDecoder
    if unitNorm {
      removeRowParallelComponents(&gradient.decoder, along: parameters.decoder, rows: settings.latents, width: inputs)
    }
    adam.update(&parameters, gradient: gradient, learningRate: settings.learningRate(step: steps, of: totalSteps))
    if unitNorm { normalizeRows(&parameters.decoder, rows: settings.latents, width: inputs) }
    steps += 1
  }

  /// The batch's rows scaled in place by `inputScale` (nothing to do without normalization).
  func scaleInputs(_ batch: UnsafeMutablePointer<Float>, rows: Int) {
    guard inputScale != 1 else { return }
    for e in 0..<(rows * inputs) { batch[e] *= inputScale }
  }

  /// Dead-latent tracking and BatchTopK's threshold, from the batch just coded.
  private mutating func track(_ loss: SAEBatchLoss, rows: Int) {
    let codes = gradientStep.workspace.codes
    for j in rowsSinceFired.indices { rowsSinceFired[j] += rows }
    for q in 0..<codes.nonzeroCount { rowsSinceFired[Int(codes.indices[q])] = 0 }
    updateBatchThreshold(smallestKept: loss.smallestKept)
  }

  /// BatchTopK's threshold for inference: a moving average of each batch's smallest kept value.
  mutating func updateBatchThreshold(smallestKept: Float) {
    if case .batchTopK = settings.objective, smallestKept > 0 {
      let rate = settings.thresholdUpdateRate
      batchThreshold = batchThreshold.map { $0 + rate * (smallestKept - $0) } ?? smallestKept
    }
  }

  /// The trained autoencoder for raw rows: the input scale folded into the weights
  /// (W_enc · s, W_dec / s, b_dec / s), BatchTopK saved as JumpReLU at its threshold.
  public var autoencoder: SparseAutoencoder {
    let (n, d, s) = (settings.latents, inputs, inputScale)
    let activation: SAEActivation
    switch settings.objective {
    case .l1: activation = .relu
    case .topK(let k): activation = .topK(k)
    case .batchTopK: activation = .jumpReLU(thresholds: [Float](repeating: batchThreshold ?? 0, count: n))
    case .jumpReLU: activation = .jumpReLU(thresholds: parameters.logThresholds.map { Foundation.exp($0) })
    }
    return SparseAutoencoder(
      encoder: Tensor(shape: [n, d], scalars: parameters.encoder.map { $0 * s }),
      encoderBias: parameters.encoderBias,
      decoder: Tensor(shape: [n, d], scalars: parameters.decoder.map { $0 / s }),
      decoderBias: parameters.decoderBias.map { $0 / s }, activation: activation)
  }
}
