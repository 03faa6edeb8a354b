import SparsityCore
import Testing

@testable import SparsityNN

/// Seeded end-to-end pruning on the embedded digits.
@Suite struct PruningTrainingTests {
  static func model() -> Sequential {
    ModelArchitecture(
      inputFeatures: 64,
      layers: [.linear(outputFeatures: 128), .relu, .linear(outputFeatures: 64), .relu, .linear(outputFeatures: 10)]
    )
    .makeSequential(seed: 0)
  }

  static func settings(epochs: Int, pruning: PruningSettings?) -> TrainingSettings {
    var settings = TrainingSettings()
    settings.epochs = epochs
    settings.batchSize = 32
    settings.pruning = pruning
    return settings
  }

  /// Train dense, prune 90% one-shot, fine-tune: accuracy stays within 3 points, 90% of all
  /// Linear weights are exactly zero, and the zeros never move during fine-tuning.
  @Test func oneShotNinetyPercentWithFineTuningKeepsAccuracy() throws {
    let data = try TrainerTests.digits()
    let model = Self.model()
    _ = Trainer(model: model, settings: Self.settings(epochs: 10, pruning: nil)).fit(
      train: data.train, validation: data.validation)
    let dense = Evaluation.of(model, features: data.test.features, labels: data.test.labels).accuracy
    var fineTuning = Self.settings(epochs: 5, pruning: .oneShot(sparsity: 0.9))
    fineTuning.learningRate = 5e-3  // the pruned network's outputs are small: a larger step recovers faster
    let fineTuner = Trainer(model: model, settings: fineTuning)
    var zeroSets: [[Bool]] = []
    let history = fineTuner.fit(
      train: data.train, validation: data.validation,
      onEpoch: { _ in
        zeroSets.append(fineTuner.pruner!.weights.flatMap { $0.value.scalars.map { $0 == 0 } })
      })
    let pruned = Evaluation.of(model, features: data.test.features, labels: data.test.labels).accuracy
    #expect(history.count == 5)
    #expect(pruned >= dense - 0.03, "dense \(dense), pruned and fine-tuned \(pruned)")
    let weights = fineTuner.pruner!.weights.map(\.value)
    let total = weights.reduce(0) { $0 + $1.count }
    let zeros = weights.reduce(0) { $0 + $1.scalars.filter { $0 == 0 }.count }
    #expect(fineTuner.pruner!.masks.reduce(0) { $0 + $1.prunedCount } == Int(0.9 * Double(total)))
    #expect(abs(Double(zeros) / Double(total) - 0.9) < 0.001, "zero weights \(zeros) of \(total)")
    #expect(zeroSets.allSatisfy { $0 == zeroSets[0] }, "masks fixed while fine-tuning")
  }

  /// Gradual per-layer pruning with SGD momentum: dense before the start epoch, rising during the
  /// ramp, 80% in every layer from the end epoch on, and still accurate.
  @Test func gradualPerLayerPruningReachesTheTargetInEveryLayer() throws {
    let data = try TrainerTests.digits()
    let model = Self.model()
    var settings = Self.settings(
      epochs: 8,
      pruning: PruningSettings(sparsity: 0.8, scope: .perLayer, startEpoch: 2, endEpoch: 5, frequency: .everySteps(5)))
    settings.optimizer = .sgd(momentum: 0.9, nesterov: false)
    settings.learningRate = 0.05
    let history = Trainer(model: model, settings: settings).fit(train: data.train, validation: data.validation)
    let sparsity = history.map { $0.layers.compactMap(\.weightSparsity) }
    #expect(sparsity[0].allSatisfy { $0 == 0 }, "epoch 1 is dense")
    #expect(sparsity[1].allSatisfy { $0 > 0.2 && $0 < 0.8 }, "epoch 2 is on the ramp: \(sparsity[1])")
    for epoch in 4..<8 {
      for (layer, value) in sparsity[epoch].enumerated() {
        let count = model.layers.compactMap { ($0 as? Linear)?.weight.value.count }[layer]
        #expect(
          value >= Double(Int(0.8 * Double(count))) / Double(count), "epoch \(epoch + 1) layer \(layer): \(value)")
        #expect(value < 0.81)
      }
    }
    #expect(Evaluation.of(model, features: data.test.features, labels: data.test.labels).accuracy > 0.93)
  }
}
