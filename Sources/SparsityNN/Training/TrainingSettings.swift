import Foundation
import SparsityCore

/// Everything that decides how a network is trained, including which sparsity techniques are on.
///
/// The objective minimized per mini-batch is
///   mean softmax cross-entropy
///   + weightL1 * sum |W|        (subgradient mode; proximal mode soft-thresholds after each step)
///   + weightDecay / 2 * sum W^2
///   + activationL1 * mean over samples of sum_j |a_j|   (on the ReLU-family layers)
///   + beta * sum_j KL(rho || mean activation of j)      (on the Sigmoid layers)
/// with dropout and TopK, when the network has them, acting in the forward pass, and with
/// `pruning` holding the pruned weights at zero.
public struct TrainingSettings: Sendable, Equatable {
  public var epochs = 20
  public var batchSize = 64
  public var learningRate: Float = 1e-3
  public var optimizer: OptimizerKind = .adam
  public var schedule: LearningRateSchedule = .constant
  /// Seeds shuffling and the validation split (initialization and dropout have their own seeds).
  public var seed: UInt64 = 0
  /// Fraction of the training data held out to validate on after every epoch.
  public var validationFraction = 0.1
  /// Stop when validation loss has not improved for this many epochs (nil: never stop early);
  /// the best weights are restored.
  public var earlyStoppingPatience: Int?
  /// L1 strength on weight matrices (0: off).
  public var weightL1: Float = 0
  public var weightL1Mode: WeightL1.Mode = .proximal
  /// L2 strength on weight matrices (0: off).
  public var weightDecay: Float = 0
  /// L1 strength on the outputs of ReLU-family layers (0: off): the seed's sparsity penalty.
  public var activationL1: Float = 0
  /// KL sparsity target on Sigmoid layers (nil: off).
  public var klSparsity: KLSparsity?
  /// Magnitude pruning of the Linear and Conv2d weights during training (nil: off); see `PruningSettings`.
  public var pruning: PruningSettings?
  /// The parts every batch is cut into for data-parallel training, nil for the plain trainer.
  /// Part of the recipe (recorded in model files): the same parts give the same network on any
  /// number of processes, and batch normalization works per part. `Trainer` takes the parts as
  /// an argument (`fit(train:validation:parts:reduction:)`); `TrainingRecipe` reads them here.
  public var parts: Int?

  public init() {}

  /// The weight regularizers these settings switch on.
  public var weightRegularizers: [any WeightRegularizer] {
    var regularizers: [any WeightRegularizer] = []
    if weightL1 > 0 { regularizers.append(WeightL1(strength: weightL1, mode: weightL1Mode)) }
    if weightDecay > 0 { regularizers.append(WeightDecay(strength: weightDecay)) }
    return regularizers
  }

  /// The settings as JSON-ready key-value pairs (for model files and reports).
  public var summary: [(String, String)] {
    var pairs: [(String, String)] = [
      ("epochs", "\(epochs)"), ("batch_size", "\(batchSize)"), ("learning_rate", "\(learningRate)"),
      ("optimizer", optimizer.description), ("schedule", schedule.description), ("seed", "\(seed)"),
      ("validation_fraction", "\(validationFraction)"),
    ]
    if let earlyStoppingPatience { pairs.append(("early_stopping_patience", "\(earlyStoppingPatience)")) }
    if weightL1 > 0 { pairs.append(("weight_l1", "\(weightL1) (\(weightL1Mode == .proximal ? "prox" : "grad"))")) }
    if weightDecay > 0 { pairs.append(("weight_decay", "\(weightDecay)")) }
    if activationL1 > 0 { pairs.append(("activation_l1", "\(activationL1)")) }
    if let klSparsity { pairs.append(("kl_sparsity", "rho \(klSparsity.target), beta \(klSparsity.weight)")) }
    if let pruning { pairs.append(("pruning", pruning.description)) }
    if let parts { pairs.append(("parts", "\(parts)")) }
    return pairs
  }
}

/// What one epoch of training measured.
public struct EpochReport: Sendable, Equatable {
  public var epoch: Int
  public var learningRate: Float
  /// Mean cross-entropy over the epoch's mini-batches (training mode).
  public var trainLoss: Double
  /// Mean of the regularization penalties over the epoch's mini-batches.
  public var penalty: Double
  /// Accuracy on the training data in evaluation mode.
  public var trainAccuracy: Double
  /// Cross-entropy and accuracy on the validation data in evaluation mode.
  public var validationLoss: Double
  public var validationAccuracy: Double
  /// Every layer's sparsity on the validation data.
  public var layers: [LayerSparsity]
  /// Wall-clock seconds of the epoch's training steps (without evaluation).
  public var trainingSeconds: Double
  /// Training samples per second over those steps.
  public var samplesPerSecond: Double
}

extension TrainingSettings {
  /// The epoch loop of `Trainer` and `AutoencoderTrainer`: for epoch 1...`epochs`, the learning
  /// rate of the schedule, one pass of `trainEpoch(learningRate)` timed, then
  /// `finished(epoch, learningRate, loss, penalty, seconds)`, which returns true to stop early.
  /// Returns the epoch whose loss was NaN or infinite (training stops there), or nil.
  func runEpochs(
    _ trainEpoch: (Float) throws -> (loss: Double, penalty: Double),
    finished: (_ epoch: Int, _ learningRate: Float, _ loss: Double, _ penalty: Double, _ seconds: Double) -> Bool
  ) rethrows -> Int? {
    for epoch in 1...Swift.max(1, epochs) where epochs > 0 {
      let rate = schedule.learningRate(base: learningRate, epoch: epoch - 1)
      let started = Date()
      let (loss, penalty) = try trainEpoch(rate)
      guard loss.isFinite else { return epoch }
      if finished(epoch, rate, loss, penalty, Date().timeIntervalSince(started)) { break }
    }
    return nil
  }
}
