// One model of a sweep: trained, evaluated on train and test data, its sparsity measured and timed.

import Foundation
import SparsityCore
import SparsityNN

/// What one value of a sweep produced.
struct SweepRun {
  /// The value of the swept setting.
  var value: SweepParameter.Value
  /// The network trained.
  var architecture: ModelArchitecture
  /// Every epoch's report (train and validation accuracy, sparsity on the validation data).
  var history: [EpochReport]
  /// The epoch whose loss became NaN or infinite; the measurements below are then nil.
  var divergedEpoch: Int?
  /// Accuracy on the test part, evaluation mode.
  var test: Evaluation?
  /// Accuracy on the training part (without the validation part), evaluation mode (no dropout).
  var train: Evaluation?
  /// Every layer on the test data: activation sparsity, dead units, weight sparsity.
  var layers: [LayerSparsity]
  /// Batch-1 time of the layers that read activations, dense against zero-skipping.
  var timing: ZeroSkippingTiming?

  /// train accuracy - test accuracy, in percentage points.
  var gapPoints: Double? { train.flatMap { train in test.map { (train.accuracy - $0.accuracy) * 100 } } }

  /// The mean over the activation layers of the fraction of exact zeros on the test data.
  var activationSparsity: Double? {
    let values = layers.compactMap(\.activationSparsity)
    return values.isEmpty || test == nil ? nil : values.reduce(0, +) / Double(values.count)
  }

  /// Units of the activation layers that are zero on every test input.
  var deadUnits: Int? { test == nil ? nil : layers.compactMap(\.deadUnits).reduce(0) { $0 + $1.count } }

  /// The fraction of exactly-zero weights over all Linear layers together (biases not counted).
  var weightSparsity: Double? {
    guard test != nil else { return nil }
    let pairs = layers.compactMap { layer in layer.weightSparsity.map { ($0, layer) } }
    let total = pairs.reduce(0.0) { $0 + weightCount(of: $1.1) }
    return total == 0 ? 0 : pairs.reduce(0.0) { $0 + $1.0 * weightCount(of: $1.1) } / total
  }

  /// The weight count of a Linear layer: its output units times the units of the layer before.
  private func weightCount(of layer: LayerSparsity) -> Double {
    let before = layer.index == 0 ? architecture.inputFeatures : layers[layer.index - 1].units
    return Double(before * layer.units)
  }

  /// Trains a model with `options` on `data`, printing epoch lines and a progress bar unless
  /// `quiet`, then measures it. `onBatch(done, total)` and `onEpoch(epoch)` report progress.
  static func train(
    _ value: SweepParameter.Value, options: TrainOptions, data: PreparedData, quiet: Bool, timingSamples: Int,
    onBatch: (Int, Int) -> Void = { _, _ in }, onEpoch: (Int) -> Void = { _ in }
  ) -> (run: SweepRun, model: Sequential) {
    let architecture = options.architecture(inputs: data.train.featureCount, classes: data.train.classCount)
    let model = architecture.makeSequential(seed: options.initializationSeed)
    let trainer = Trainer(model: model, settings: options.settings)
    let progress = BatchProgress(enabled: !quiet)
    let history = trainer.fit(
      train: data.train, validation: data.validation,
      onBatch: {
        progress.update($0, $1)
        onBatch($0, $1)
      },
      onEpoch: { report in
        progress.clear()
        if !quiet { print("  " + TrainingReportText.epochLine(report, epochs: options.settings.epochs)) }
        onEpoch(report.epoch)
      })
    var run = SweepRun(
      value: value, architecture: architecture, history: history, divergedEpoch: trainer.divergedEpoch, layers: [])
    if trainer.divergedEpoch == nil { run.measure(model, data: data, timingSamples: timingSamples) }
    return (run, model)
  }

  /// Fills in the measurements of the trained `model`: accuracy on the test and training parts,
  /// every layer's sparsity on the test part, and (with `timingSamples` > 0) the batch-1 timing.
  mutating func measure(_ model: Sequential, data: PreparedData, timingSamples: Int) {
    test = Evaluation.of(model, features: data.test.features, labels: data.test.labels)
    train = Evaluation.of(model, features: data.train.features, labels: data.train.labels)
    layers = NetworkSparsity.measure(model, features: data.test.features)
    timing =
      timingSamples > 0 ? ZeroSkippingTiming.measure(model, features: data.test.features, samples: timingSamples) : nil
  }
}
