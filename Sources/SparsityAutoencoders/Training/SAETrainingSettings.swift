// The settings of sparse-autoencoder training, with the defaults of the published recipes.
import Foundation

/// How to train a sparse autoencoder. Defaults follow EleutherAI's sparsify and OpenAI's TopK
/// recipe: Adam (0.9, 0.999, 1e-8) at 2e-4 / √(latents / 16384), warm-up over the first 5% of
/// steps, linear decay to 0 over the last 20%, batches of 1024 rows, AuxK with k_aux = inputs / 2
/// and coefficient 1/32 on latents dead for a whole epoch.
public struct SAETrainingSettings: Equatable, Sendable {
  /// The kind of autoencoder and its sparsity term.
  public var objective: SAEObjective
  /// Latents (the code's width, d_sae).
  public var latents: Int
  /// Passes over the training rows.
  public var epochs: Int = 10
  /// Rows per step.
  public var batchSize: Int = 1024
  /// Adam's base learning rate; nil for 2e-4 / √(latents / 16384).
  public var learningRate: Float?
  /// Fraction of the steps over which the rate rises linearly from 0.
  public var warmUpFraction: Double = 0.05
  /// Fraction of the steps at the end over which the rate falls linearly to 0.
  public var decayFraction: Double = 0.2
  /// Adam's moment decays and ε.
  public var beta1: Float = 0.9
  public var beta2: Float = 0.999
  public var epsilon: Float = 1e-8
  /// Scale the rows to unit mean squared norm while training (folded back into the saved
  /// weights, so the saved autoencoder takes raw rows).
  public var normalizesInputs = true
  /// AuxK: latents among the dead ones that reconstruct the residual (nil: inputs / 2), and
  /// the weight of that loss. Applies to TopK and BatchTopK.
  public var auxK: Int?
  public var auxCoefficient: Float = 1.0 / 32
  /// A latent is dead once it has not fired for this many training rows (nil: one epoch).
  public var deadWindow: Int?
  /// Rows used for the geometric median that initializes b_dec.
  public var medianSampleRows = 4096
  /// BatchTopK: the weight of the newest batch in the moving average of the threshold.
  public var thresholdUpdateRate: Float = 0.1
  /// JumpReLU: the initial threshold of every latent (when `initialL0` is nil, and for latents
  /// the sample cannot place).
  public var initialThreshold: Float = 0.001
  /// JumpReLU: start each latent's threshold where the initialized autoencoder keeps about this
  /// many latents per row of the sample, every latent at the same rate (`initialThresholds`); nil
  /// starts every threshold at `initialThreshold`, as SAELens does, from which a run of a few
  /// hundred steps stays dense (4 epochs of `jumprelu:0.002` on the benchmark's rows: L0 429).
  public var initialL0: Double? = 64
  /// JumpReLU: the log thresholds' learning rate over the base rate. Adam moves log θ by about
  /// the rate per step, so at 1 (SAELens) the thresholds of a short run barely move and the L0
  /// coefficient has little effect; at 10, on 490 steps of the real-activation benchmark, the
  /// held-out L0 went from 31 to 22 as the coefficient rose from 3e-4 to 3e-3 (docs/sae.md).
  public var thresholdLearningRateScale: Float = 10
  /// The seed of every random choice (initialization, batch order).
  public var seed: UInt64 = 0

  /// Settings for `objective` with `latents` latents and the defaults above.
  public init(objective: SAEObjective, latents: Int) {
    self.objective = objective
    self.latents = latents
  }

  /// The base learning rate: the one given, or 2e-4 / √(latents / 16384).
  public var baseLearningRate: Float {
    learningRate ?? Float(2e-4 / (Double(latents) / 16384).squareRoot())
  }

  /// The learning rate of step `step` (0-based) of `total`: linear warm-up, constant, then
  /// linear decay to 0 over the last steps.
  public func learningRate(step: Int, of total: Int) -> Float {
    let warmUp = Swift.max(1, Int((warmUpFraction * Double(total)).rounded()))
    let decay = Swift.max(1, Int((decayFraction * Double(total)).rounded()))
    let rise = Swift.min(1, Double(step + 1) / Double(warmUp))
    let fall = Swift.min(1, Double(total - step) / Double(decay))
    return Float(Double(baseLearningRate) * rise * Swift.max(0, fall))
  }
}
