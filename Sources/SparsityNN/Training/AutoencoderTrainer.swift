import Foundation
import SparsityCore

/// What one epoch of autoencoder training measured.
public struct AutoencoderEpochReport: Sendable, Equatable {
  /// 1 for the first epoch.
  public var epoch: Int
  /// Mean reconstruction loss over the epoch's mini-batches (mean squared error per element).
  public var trainLoss: Double
  /// Mean total penalty (activation and weight penalties) over the epoch's mini-batches.
  public var penalty: Double
  /// Reconstruction loss on the validation data after the epoch (evaluation mode).
  public var validationLoss: Double
  /// Mean over the validation data and the units of the code layer's output.
  public var meanCodeActivation: Double
  /// Wall time of the epoch's training pass (not the validation).
  public var trainingSeconds: Double
}

/// Trains an autoencoder: a `Sequential` whose output reconstructs its input, by mini-batch
/// gradient descent on the mean squared error plus the sparsity penalties of the settings.
///
/// Objective per mini-batch X (B samples x F features), with f the network:
///
///     L = (1 / (B F)) Σ_ij (f(X)_ij − X_ij)²  +  β Σ_j KL(ρ ‖ ρ̂_j)  (Sigmoid layers, `klSparsity`)
///                                            +  λ_act Σ |a|        (other activations, `activationL1`)
///                                            +  weight penalties   (`weightL1`, `weightDecay`)
///
/// The classic sparse autoencoder is Linear → Sigmoid (the code) → Linear with a KL target ρ
/// such as 0.05: each hidden unit is pushed to be near 0 on all but a few inputs.
/// Used from the settings: epochs, batch size, learning rate and schedule, optimizer, seed,
/// `activationL1`, `klSparsity`, `weightL1` (and its mode) and `weightDecay`. Not used:
/// `pruning`, `earlyStoppingPatience` and `validationFraction` (the caller passes validation data).
///
/// Reference: Andrew Ng, "Sparse autoencoder", CS294A lecture notes, Stanford 2011.
public final class AutoencoderTrainer {
  /// The network being trained (changed in place).
  public let model: Sequential
  /// How it is trained.
  public let settings: TrainingSettings
  /// The index in `model.layers` of the layer whose output is the code.
  public let codeLayer: Int
  /// The epoch whose training loss became NaN or infinite, if any; `fit` stops there.
  public private(set) var divergedEpoch: Int?
  private let optimizer: any Optimizer
  private var generator: Xoshiro256StarStar

  /// A trainer for `model`, with a fresh optimizer and a generator seeded by `settings.seed`.
  /// - Parameters:
  ///   - model: input features in, the same number of features out.
  ///   - codeLayer: the layer whose output is the code (its index in `model.layers`).
  ///   - settings: the optimizer, its schedule, the batch size, the seed and the penalties.
  public init(model: Sequential, codeLayer: Int, settings: TrainingSettings) {
    precondition(
      model.outputFeatures == model.inputFeatures,
      "AutoencoderTrainer: the output (\(model.outputFeatures)) must have the input's \(model.inputFeatures) features")
    precondition(
      model.layers.indices.contains(codeLayer),
      "AutoencoderTrainer: code layer \(codeLayer) is not a layer of the model")
    precondition(
      settings.batchSize > 0 && settings.epochs >= 0,
      "AutoencoderTrainer: batch size must be positive and epochs non-negative")
    self.model = model
    self.codeLayer = codeLayer
    self.settings = settings
    optimizer = settings.optimizer.makeOptimizer()
    generator = Xoshiro256StarStar(seed: settings.seed)
  }

  /// Trains on `train` (samples x features), measuring `validation` after every epoch.
  /// `onBatch(done, total)` reports progress within an epoch. Stops when the loss diverges.
  public func fit(
    train: Tensor, validation: Tensor,
    onBatch: (Int, Int) -> Void = { _, _ in }, onEpoch: (AutoencoderEpochReport) -> Void = { _ in }
  ) -> [AutoencoderEpochReport] {
    var reports: [AutoencoderEpochReport] = []
    divergedEpoch = settings.runEpochs(
      { trainEpoch(train, learningRate: $0, onBatch: onBatch) },
      finished: { epoch, _, loss, penalty, seconds in
        let report = AutoencoderEpochReport(
          epoch: epoch, trainLoss: loss, penalty: penalty, validationLoss: reconstructionError(validation),
          meanCodeActivation: Self.mean(encode(validation)), trainingSeconds: seconds)
        reports.append(report)
        onEpoch(report)
        return false
      })
    return reports
  }

  /// One pass over `data` in shuffled mini-batches; returns the mean loss and mean penalty.
  public func trainEpoch(_ data: Tensor, learningRate: Float, onBatch: (Int, Int) -> Void = { _, _ in }) -> (
    loss: Double, penalty: Double
  ) {
    let samples = data.rows
    let order = generator.permutation(samples)
    // A batch never exceeds the samples, so no batch size (up to Int.max) overflows the slicing.
    let batchSize = Swift.max(1, Swift.min(settings.batchSize, samples))
    let batches = (samples + batchSize - 1) / batchSize
    let parameters = model.parameters
    let weightRegularizers = settings.weightRegularizers
    let hook = ActivationPenaltyHook(model: model, settings: settings)
    var batch = Tensor(zeros: [0, data.columns])
    var gradient = Tensor(zeros: [0, 0])
    var totalLoss = 0.0
    var totalPenalty = 0.0
    for index in 0..<batches {
      data.gatherRows(
        order[(index * batchSize)..<Swift.min((index + 1) * batchSize, samples)], into: &batch)
      model.zeroGradients()
      let output = model.forward(batch, training: true)
      totalLoss += Double(meanSquaredError(prediction: output, target: batch, gradient: &gradient))
      model.backward(gradient, activationPenalty: hook?.apply)
      totalPenalty += Double(hook?.penalty ?? 0)
      for regularizer in weightRegularizers {
        totalPenalty += Double(regularizer.penalty(parameters))
        regularizer.addGradient(to: parameters)
      }
      optimizer.step(parameters, learningRate: learningRate)
      for regularizer in weightRegularizers {
        regularizer.applyProximalStep(to: parameters, learningRate: learningRate)
      }
      onBatch(index + 1, batches)
    }
    return (totalLoss / Double(Swift.max(batches, 1)), totalPenalty / Double(Swift.max(batches, 1)))
  }

  /// Mean squared reconstruction error per element on `features`, evaluation mode. O(one forward pass).
  public func reconstructionError(_ features: Tensor, batchSize: Int = 256) -> Double {
    guard features.count > 0 else { return 0 }
    var total = 0.0
    var gradient = Tensor(zeros: [0, 0])
    for start in stride(from: 0, to: features.rows, by: batchSize) {
      let batch = features.rows(start..<Swift.min(start + batchSize, features.rows))
      total += Double(
        meanSquaredError(
          prediction: model.forward(batch, training: false), target: batch, reduction: .sum, gradient: &gradient))
    }
    return total / Double(features.count)
  }

  /// The mean of all entries of `tensor` (0 when empty), in Double.
  static func mean(_ tensor: Tensor) -> Double {
    tensor.count == 0 ? 0 : tensor.scalars.reduce(0.0) { $0 + Double($1) } / Double(tensor.count)
  }

  /// The codes of `features`: the output of `codeLayer` (samples x its units), evaluation mode.
  public func encode(_ features: Tensor, batchSize: Int = 256) -> Tensor {
    let units = model.features[codeLayer + 1]
    var scalars: [Float] = []
    scalars.reserveCapacity(features.rows * units)
    for start in stride(from: 0, to: features.rows, by: batchSize) {
      model.forward(features.rows(start..<Swift.min(start + batchSize, features.rows)), training: false)
      scalars += model.activations[codeLayer + 1].scalars
    }
    return Tensor(shape: [features.rows, units], scalars: scalars)
  }
}
