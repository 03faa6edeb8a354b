// One model of a sweep: trained, evaluated on train and test data, its sparsity measured and timed.

import SparsityBench
import SparsityCore
import SparsityNN

/// What one value of a sweep produced.
public struct SweepRun: Sendable {
  /// The value of the swept setting.
  public var value: SweepParameter.Value
  /// The network trained.
  public var architecture: ModelArchitecture
  /// Every epoch's report (train and validation accuracy, sparsity on the validation data).
  public var history: [EpochReport]
  /// The epoch whose loss became NaN or infinite; the measurements below are then nil.
  public var divergedEpoch: Int?
  /// Accuracy on the test part, evaluation mode.
  public var test: Evaluation?
  /// Accuracy on the training part (without the validation part), evaluation mode (no dropout).
  public var train: Evaluation?
  /// Every layer on the test data: activation sparsity, dead units, weight sparsity.
  public var layers: [LayerSparsity]
  /// Batch-1 time of the layers that read activations, dense against zero-skipping.
  public var timing: ZeroSkippingTiming?

  /// train accuracy - test accuracy, in percentage points.
  public var gapPoints: Double? { train.flatMap { train in test.map { (train.accuracy - $0.accuracy) * 100 } } }

  /// The mean over the activation layers of the fraction of exact zeros on the test data.
  public var activationSparsity: Double? {
    let values = layers.compactMap(\.activationSparsity)
    return values.isEmpty || test == nil ? nil : values.reduce(0, +) / Double(values.count)
  }

  /// Units of the activation layers that are zero on every test input.
  public var deadUnits: Int? { test == nil ? nil : layers.compactMap(\.deadUnits).reduce(0) { $0 + $1.count } }

  /// The fraction of exactly-zero weights over all Linear and Conv2d layers together (biases not
  /// counted).
  public var weightSparsity: Double? {
    guard test != nil else { return nil }
    let pairs = layers.compactMap { layer in layer.weightSparsity.map { ($0, layer) } }
    let total = pairs.reduce(0.0) { $0 + weightCount(of: $1.1) }
    return total == 0 ? 0 : pairs.reduce(0.0) { $0 + $1.0 * weightCount(of: $1.1) } / total
  }

  /// The weight count of a layer: as measured, or for records without it (Linear layers), its
  /// output units times the units of the layer before.
  private func weightCount(of layer: LayerSparsity) -> Double {
    if let count = layer.weightCount { return Double(count) }
    let before = layer.index == 0 ? architecture.inputFeatures : layers[layer.index - 1].units
    return Double(before * layer.units)
  }

  public init(
    value: SweepParameter.Value, architecture: ModelArchitecture, history: [EpochReport], divergedEpoch: Int?,
    layers: [LayerSparsity] = []
  ) {
    self.value = value
    self.architecture = architecture
    self.history = history
    self.divergedEpoch = divergedEpoch
    self.layers = layers
  }

  /// Trains `recipe` on `data`, then measures the model (with `timingSamples` > 0, the batch-1
  /// timing too). `onBatch(done, total)` and `onEpoch` report progress.
  public static func train(
    _ value: SweepParameter.Value, recipe: TrainingRecipe, data: PreparedData, timingSamples: Int,
    onBatch: (Int, Int) -> Void = { _, _ in }, onEpoch: (EpochReport) -> Void = { _ in }
  ) -> (run: SweepRun, model: Sequential) {
    let architecture = recipe.architecture(for: data.train)
    let (model, history, diverged) = recipe.train(on: data, onBatch: onBatch, onEpoch: onEpoch)
    var run = SweepRun(value: value, architecture: architecture, history: history, divergedEpoch: diverged)
    if diverged == nil { run.measure(model, data: data, timingSamples: timingSamples) }
    return (run, model)
  }

  /// Fills in the measurements of the trained `model`: accuracy on the test and training parts,
  /// every layer's sparsity on the test part, and (with `timingSamples` > 0) the batch-1 timing.
  public mutating func measure(_ model: Sequential, data: PreparedData, timingSamples: Int) {
    test = Evaluation.of(model, features: data.test.features, labels: data.test.labels)
    train = Evaluation.of(model, features: data.train.features, labels: data.train.labels)
    layers = NetworkSparsity.measure(model, features: data.test.features)
    timing =
      timingSamples > 0 ? ZeroSkippingTiming.measure(model, features: data.test.features, samples: timingSamples) : nil
  }
}
