// One-shot pruning of a saved model as `sparsity prune` does it: prune, fine-tune, measure.

import SparsityIO
import SparsityNN

/// What `sparsity prune` is asked to do: magnitude-prune every Linear weight matrix and Conv2d filter (biases
/// never) to a sparsity, a scope and an N:M pattern, then optionally fine-tune with the pruned
/// weights held at exactly 0.
public struct PruneRequest: Sendable {
  /// The fraction of the weights pruned (0 with a pattern alone).
  public var sparsity: Double
  /// Whether the weights of all layers are ranked together or each layer is pruned to `sparsity`.
  public var scope: PruningScope
  /// At most N nonzeros in every M consecutive inputs of a unit, or unstructured.
  public var pattern: PruningPattern
  /// Epochs of fine-tuning after pruning (0: none).
  public var fineTuneEpochs: Int
  /// The training settings of fine-tuning (its epochs and pruning are set by the request).
  public var fineTuning: TrainingSettings
  /// Where the pruned model is written.
  public var output: String

  /// A request of the given parts.
  public init(
    sparsity: Double, scope: PruningScope = .global, pattern: PruningPattern = .unstructured,
    fineTuneEpochs: Int = 0, fineTuning: TrainingSettings = TrainingSettings(), output: String
  ) {
    self.sparsity = sparsity
    self.scope = scope
    self.pattern = pattern
    self.fineTuneEpochs = fineTuneEpochs
    self.fineTuning = fineTuning
    self.output = output
  }

  /// E.g. `90% global unstructured`, or `2:4` for N:M alone.
  public var description: String {
    sparsity == 0 && pattern != .unstructured ? "\(pattern)" : "\(PruneSummary.percent(sparsity)) \(scope) \(pattern)"
  }

  /// The settings fine-tuning trains with: `fineTuning` for `fineTuneEpochs` epochs, with the
  /// one-shot pruning of this request (whose masks the trainer recomputes at its first step:
  /// the weights pruned before are exactly 0 and rank first).
  public var fineTuningSettings: TrainingSettings {
    var settings = fineTuning
    settings.epochs = fineTuneEpochs
    settings.pruning = .oneShot(sparsity: sparsity, scope: scope, pattern: pattern)
    return settings
  }

  /// Throws when fine-tuning `network` on `data` would give a batch normalization layer one
  /// value per channel (`Trainer.batchProblem`).
  /// - Throws: `ExperimentError.invalidSetting` naming `--batch`.
  public func checkBatches(_ network: Sequential, data: PreparedData?) throws(ExperimentError) {
    guard let data, fineTuneEpochs > 0 else { return }
    let batch = fineTuningSettings.batchSize
    if let problem = Trainer.batchProblem(model: network, samples: data.train.sampleCount, batchSize: batch) {
      throw TrainingRecipe.oneRowError(batch: batch, samples: data.train.sampleCount, problem: problem)
    }
  }

  /// Prunes `network` in place and, with `data` and `fineTuneEpochs` > 0, fine-tunes it, measuring
  /// the weights before and after and, with `data`, the test accuracy before pruning, after
  /// pruning and after fine-tuning. `input` names the model in the summary. `onBatch(done, total)`
  /// and `onEpoch` report fine-tuning's progress. A diverged fine-tuning is reported in the
  /// summary's `divergedEpoch`, not thrown.
  public func run(
    _ network: Sequential, input: String, data: PreparedData?, onBatch: (Int, Int) -> Void = { _, _ in },
    onEpoch: (EpochReport) -> Void = { _ in }
  ) -> PruneSummary {
    func accuracy(_ data: PreparedData) -> Double {
      Evaluation.of(network, features: data.test.features, labels: data.test.labels).accuracy
    }
    var summary = PruneSummary(request: self, input: input, before: PruneSummary.weightSparsity(of: network))
    summary.samples = data?.test.sampleCount
    summary.accuracyBefore = data.map(accuracy)
    Pruner(model: network, scope: scope, pattern: pattern).prune(toSparsity: sparsity)
    summary.accuracyPruned = data.map(accuracy)
    if let data, fineTuneEpochs > 0 {
      let trainer = Trainer(model: network, settings: fineTuningSettings)
      summary.history = trainer.fit(train: data.train, validation: data.validation, onBatch: onBatch, onEpoch: onEpoch)
      summary.divergedEpoch = trainer.divergedEpoch
      if trainer.divergedEpoch == nil { summary.accuracyAfter = accuracy(data) }
    }
    summary.after = PruneSummary.weightSparsity(of: network)
    return summary
  }
}
