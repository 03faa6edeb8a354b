import Foundation
import SparsityCore
import SparsityIO

/// Trains a classifier with mini-batch gradient descent and measures its sparsity every epoch.
///
/// Each epoch: a seeded shuffle, mini-batches through forward, loss, backward (activation
/// penalties added on the way), weight penalties, one optimizer step and, for proximal L1,
/// soft-thresholding; then evaluation of train and validation accuracy and of every layer's
/// sparsity on the validation data. Buffers are reused from batch to batch.
///
/// With `settings.pruning`, the masks are recomputed at the schedule's pruning steps (before
/// the step's forward pass), gradients of pruned weights are zeroed before every optimizer step
/// and pruned weights are set back to exactly 0 after it. Early stopping only starts counting
/// once the final sparsity is reached.
public final class Trainer {
  public let model: Sequential
  public let settings: TrainingSettings
  /// The pruner of `settings.pruning` (nil without pruning): its masks, its sparsity.
  public let pruner: Pruner?
  /// The pruning schedule in steps, fixed by the first epoch's number of mini-batches.
  public private(set) var pruningSchedule: PruningSchedule?
  /// Optimizer steps taken so far.
  public private(set) var step = 0
  private let optimizer: any Optimizer
  private var generator: Xoshiro256StarStar
  private var bestValidationLoss = Double.infinity
  private var bestValues: [Tensor]?
  private var epochsSinceBest = 0
  /// The epoch whose training loss became NaN or infinite, if any; `fit` stops there.
  public private(set) var divergedEpoch: Int?

  public init(model: Sequential, settings: TrainingSettings) {
    precondition(
      settings.batchSize > 0 && settings.epochs >= 0, "Trainer: batch size must be positive and epochs non-negative")
    self.model = model
    self.settings = settings
    optimizer = settings.optimizer.makeOptimizer()
    generator = Xoshiro256StarStar(seed: settings.seed)
    pruner = settings.pruning.map { Pruner(model: model, scope: $0.scope, pattern: $0.pattern) }
  }

  /// Trains on `train`, validating on `validation` after every epoch; `onBatch(done, total)`
  /// reports progress within an epoch and `onEpoch` each finished epoch. Returns every epoch's
  /// report; with early stopping the best weights are restored at the end. Training stops when
  /// the loss becomes NaN or infinite (`divergedEpoch` tells which epoch).
  public func fit(
    train: LabeledDataset, validation: LabeledDataset,
    onBatch: (Int, Int) -> Void = { _, _ in }, onEpoch: (EpochReport) -> Void = { _ in }
  ) -> [EpochReport] {
    fit(train: train, validation: validation, onEpoch: onEpoch) {
      trainEpoch(train, learningRate: $0, onBatch: onBatch)
    }
  }

  /// `fit`'s epochs, each trained by `trainEpoch(learningRate)`.
  func fit(
    train: LabeledDataset, validation: LabeledDataset, onEpoch: (EpochReport) -> Void,
    trainEpoch: (Float) throws -> (loss: Double, penalty: Double)
  ) rethrows -> [EpochReport] {
    var reports: [EpochReport] = []
    divergedEpoch = try settings.runEpochs(
      trainEpoch,
      finished: { epoch, learningRate, loss, penalty, seconds in
        let trainEvaluation = Evaluation.of(model, features: train.features, labels: train.labels)
        let validationEvaluation = Evaluation.of(model, features: validation.features, labels: validation.labels)
        let report = EpochReport(
          epoch: epoch, learningRate: learningRate, trainLoss: loss, penalty: penalty,
          trainAccuracy: trainEvaluation.accuracy, validationLoss: validationEvaluation.loss,
          validationAccuracy: validationEvaluation.accuracy,
          layers: NetworkSparsity.measure(model, features: validation.features),
          trainingSeconds: seconds, samplesPerSecond: Double(train.labels.count) / Swift.max(seconds, 1e-9))
        reports.append(report)
        onEpoch(report)
        return isPruningDone && shouldStop(after: validationEvaluation.loss)
      })
    if let bestValues, settings.earlyStoppingPatience != nil {
      for (parameter, value) in zip(model.parameters, bestValues) { parameter.value = value }
    }
    return reports
  }

  /// One pass over `data` in shuffled mini-batches; returns the mean loss and mean penalty.
  public func trainEpoch(_ data: LabeledDataset, learningRate: Float, onBatch: (Int, Int) -> Void = { _, _ in }) -> (
    loss: Double, penalty: Double
  ) {
    let hook = ActivationPenaltyHook(model: model, settings: settings)
    var batch = Tensor(zeros: [0, data.features.columns])
    var labels: [Int] = []
    var gradient = Tensor(zeros: [0, 0])
    return epoch(data, learningRate: learningRate, onBatch: onBatch) { rows in
      data.features.gatherRows(rows, into: &batch)
      labels.removeAll(keepingCapacity: true)
      for row in rows { labels.append(data.labels[row]) }
      model.zeroGradients()
      let logits = model.forward(batch, training: true)
      let loss = softmaxCrossEntropy(logits: logits, labels: labels, reduction: .mean, gradient: &gradient)
      model.backward(gradient, activationPenalty: hook?.apply)
      return (Double(loss), Double(hook?.penalty ?? 0))
    }
  }

  /// The loop of an epoch: a seeded shuffle, then per mini-batch the pruning step (on the
  /// schedule's steps), `gradient(rows)` (the batch's loss and activation penalty, the
  /// parameters' gradients left in place), the weight penalties, masking, one optimizer step and
  /// the proximal step. Returns the mean loss and mean penalty over the batches.
  func epoch(
    _ data: LabeledDataset, learningRate: Float, onBatch: (Int, Int) -> Void,
    gradient: (ArraySlice<Int>) throws -> (loss: Double, penalty: Double)
  ) rethrows -> (loss: Double, penalty: Double) {
    let samples = data.labels.count
    let order = generator.permutation(samples)
    // A batch never exceeds the samples, so no batch size (up to Int.max) overflows the slicing.
    let batchSize = Swift.max(1, Swift.min(settings.batchSize, samples))
    let batches = (samples + batchSize - 1) / batchSize
    let parameters = model.parameters
    let weightRegularizers = settings.weightRegularizers
    if let pruning = settings.pruning, pruningSchedule == nil {
      pruningSchedule = pruning.schedule(stepsPerEpoch: Swift.max(batches, 1))
    }
    var totalLoss = 0.0
    var totalPenalty = 0.0
    for index in 0..<batches {
      let rows = order[(index * batchSize)..<Swift.min((index + 1) * batchSize, samples)]
      if let pruner, let schedule = pruningSchedule, schedule.isPruningStep(step) {
        pruner.prune(toSparsity: schedule.sparsity(atStep: step))
      }
      let (loss, penalty) = try gradient(rows)
      totalLoss += loss
      totalPenalty += penalty
      for regularizer in weightRegularizers {
        totalPenalty += Double(regularizer.penalty(parameters))
        regularizer.addGradient(to: parameters)
      }
      pruner?.maskGradients()
      optimizer.step(parameters, learningRate: learningRate)
      for regularizer in weightRegularizers {
        regularizer.applyProximalStep(to: parameters, learningRate: learningRate)
      }
      pruner?.applyMasks()
      step += 1
      onBatch(index + 1, batches)
    }
    return (totalLoss / Double(Swift.max(batches, 1)), totalPenalty / Double(Swift.max(batches, 1)))
  }

  /// True without pruning, and once the schedule's last pruning step has run.
  private var isPruningDone: Bool {
    guard settings.pruning != nil else { return true }
    return pruningSchedule.map { step > $0.endStep } ?? false
  }

  /// Early stopping bookkeeping: remembers the best weights; true when patience ran out.
  private func shouldStop(after validationLoss: Double) -> Bool {
    guard let patience = settings.earlyStoppingPatience else { return false }
    if validationLoss < bestValidationLoss {
      bestValidationLoss = validationLoss
      bestValues = model.parameters.map(\.value)
      epochsSinceBest = 0
      return false
    }
    epochsSinceBest += 1
    return epochsSinceBest >= patience
  }
}
