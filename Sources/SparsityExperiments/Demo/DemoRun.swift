// One row of `sparsity demo`: a recipe trained on the digits and everything measured about it.

import SparsityAnalysis
import SparsityCore
import SparsityIO
import SparsityBench
import SparsityInference
import SparsityNN

/// A trained model of the demo and its measurements on the test part of the digits.
public struct DemoRun {
  public var recipe: DemoRecipe
  /// Accuracies, per-layer sparsity and training history (the sweep's measurements).
  public var run: SweepRun
  /// The classifier: for the autoencoder row, its encoder followed by the linear classifier.
  public var model: Sequential
  /// Activations at `DemoRun.epsilon`: near zeros, active units per input, selectivity.
  public var analysis: NetworkAnalysis?
  /// Multiply-adds dense against those with neither a zero input nor a zero weight.
  public var work: MultiplyAddCount?
  /// Dense against compiled at batch 1 (and the other batches for the sparsest accurate model).
  public var benchmarks: [ModelBenchmarkResult] = []
  /// The autoencoder's mean squared reconstruction error per pixel on the test part ([0, 1] pixels).
  public var reconstructionError: Double?

  /// Activations with |a| <= epsilon count as near zero: sigmoid units are never exactly 0.
  public static let epsilon: Float = 0.05

  /// The mean over the hidden activation layers of the active units per input (|a| > epsilon).
  public var activeUnitsPerInput: Double? { mean(analysis?.activations.map(\.activeUnitsPerInput.mean)) }
  /// The mean over the hidden activation layers of the fraction of |a| <= epsilon.
  public var nearZeroFraction: Double? { mean(analysis?.activations.map(\.nearZeroFraction)) }
  /// Units active on fewer inputs than this share are left out of the selectivity: a unit that
  /// fires on one or two images scores 1 by construction.
  public static let selectivityFloor = 0.02

  /// The mean over the hidden activation layers of the mean class selectivity of their units
  /// that are active on at least `selectivityFloor` of the test images.
  public var meanSelectivity: Double? {
    mean(analysis?.activations.compactMap { $0.meanSelectivity(minimumFiringRate: Self.selectivityFloor) })
  }
  /// The mean over the hidden activation layers of the fraction of exact zeros.
  public var zeroFraction: Double? { mean(analysis?.activations.map(\.zeroFraction)) }
  /// Units never above epsilon on the test data, all hidden layers.
  public var deadUnits: Int? { analysis.map { $0.activations.reduce(0) { $0 + $1.deadUnits.count } } }
  /// Hidden units of all hidden layers.
  public var hiddenUnits: Int { analysis.map { $0.activations.reduce(0) { $0 + $1.units } } ?? 0 }
  /// Units of a hidden layer, on average over the hidden layers (0 without hidden layers).
  public var unitsPerLayer: Int { hiddenUnits / Swift.max(1, analysis?.activations.count ?? 1) }
  /// Active units per input as a fraction of the layer's units (comparable across widths).
  public var activeFraction: Double? { activeUnitsPerInput.map { unitsPerLayer == 0 ? 0 : $0 / Double(unitsPerLayer) } }
  /// The batch-1 benchmark.
  public var batchOne: ModelBenchmarkResult? { benchmarks.first { $0.batch == 1 } }

  private func mean(_ values: [Double]?) -> Double? {
    guard let values, !values.isEmpty else { return nil }
    return values.reduce(0, +) / Double(values.count)
  }

  /// Trains `recipe` on `data` and measures accuracy, sparsity and work (no timing yet).
  /// `onBatch` reports mini-batches of the current epoch; `onEpoch` each finished epoch's number.
  public static func train(
    _ recipe: DemoRecipe, index: Int, scale: DemoScale, data: PreparedData,
    onBatch: @escaping (Int, Int) -> Void, onEpoch: @escaping (Int) -> Void
  ) -> DemoRun {
    let label = SweepParameter.Value(text: recipe.name, number: Double(index))
    var result: DemoRun
    switch recipe.kind {
    case .classifier(let classifier):
      let (run, model) = SweepRun.train(
        label, recipe: classifier, data: data, timingSamples: 0, onBatch: onBatch, onEpoch: { onEpoch($0.epoch) })
      result = DemoRun(recipe: recipe, run: run, model: model)
    case .sparseAutoencoder(let hidden, let kl, let learningRate):
      result = trainAutoencoder(
        recipe, label: label, hidden: hidden, kl: kl, learningRate: learningRate, scale: scale, data: data,
        onBatch: onBatch, onEpoch: onEpoch)
    }
    if result.run.divergedEpoch == nil {
      result.analysis = NetworkAnalysis.analyze(
        network: result.model, features: data.test.features, labels: data.test.labels, classes: data.test.classCount,
        settings: .init(epsilon: epsilon, topInputs: 5))
      result.work = MultiplyAddCount.measure(result.model, features: data.test.features)
    }
    return result
  }

  /// The sparse autoencoder 64 -> hidden sigmoid -> 64 (MSE + KL), then Linear(hidden, classes)
  /// trained on its frozen codes; the model of the row is encoder + that classifier.
  private static func trainAutoencoder(
    _ recipe: DemoRecipe, label: SweepParameter.Value, hidden: Int, kl: KLSparsity, learningRate: Float,
    scale: DemoScale, data: PreparedData,
    onBatch: @escaping (Int, Int) -> Void, onEpoch: @escaping (Int) -> Void
  ) -> DemoRun {
    let inputs = data.train.featureCount
    let classes = data.train.classCount
    var settings = TrainingSettings()
    settings.epochs = scale.autoencoderEpochs
    settings.learningRate = learningRate
    settings.seed = scale.seed
    settings.klSparsity = kl
    let autoencoder = ModelArchitecture(
      inputFeatures: inputs, layers: [.linear(outputFeatures: hidden), .sigmoid, .linear(outputFeatures: inputs)]
    )
    .makeSequential(seed: scale.seed, initialization: .xavier)
    let trainer = AutoencoderTrainer(model: autoencoder, codeLayer: 1, settings: settings)
    _ = trainer.fit(train: data.train.features, validation: data.validation.features, onBatch: onBatch) {
      onEpoch($0.epoch)
    }
    let architecture = ModelArchitecture(
      inputFeatures: inputs, layers: [.linear(outputFeatures: hidden), .sigmoid, .linear(outputFeatures: classes)])
    var run = SweepRun(
      value: label, architecture: architecture, history: [], divergedEpoch: trainer.divergedEpoch, layers: [])
    guard trainer.divergedEpoch == nil else { return DemoRun(recipe: recipe, run: run, model: autoencoder) }
    func codes(_ part: LabeledDataset) -> LabeledDataset {
      LabeledDataset(
        features: trainer.encode(part.features), labels: part.labels, classCount: part.classCount,
        name: "\(part.name) codes")
    }
    settings.klSparsity = nil
    settings.epochs = scale.epochs
    let classifier = ModelArchitecture(inputFeatures: hidden, layers: [.linear(outputFeatures: classes)])
      .makeSequential(seed: scale.seed)
    let probe = Trainer(model: classifier, settings: settings)
    run.history = probe.fit(train: codes(data.train), validation: codes(data.validation), onBatch: onBatch) {
      onEpoch($0.epoch)
    }
    run.divergedEpoch = probe.divergedEpoch
    let model = Sequential(inputFeatures: inputs, [autoencoder.layers[0], autoencoder.layers[1], classifier.layers[0]])
    if probe.divergedEpoch == nil { run.measure(model, data: data, timingSamples: 0) }
    var result = DemoRun(recipe: recipe, run: run, model: model)
    result.reconstructionError = trainer.reconstructionError(data.test.features)
    return result
  }

  /// Dense against compiled at each of `batches`, `scale.timingSamples` samples per timing; the
  /// planner times the kernels on the training part.
  public func benchmark(data: PreparedData, batches: [Int], scale: DemoScale) -> [ModelBenchmarkResult] {
    guard !batches.isEmpty else { return [] }
    var benchmark = ModelBenchmark()
    benchmark.batches = batches
    benchmark.samples = scale.timingSamples
    return benchmark.run(
      model, features: data.test.features, labels: data.test.labels, calibration: data.train.features)
  }

  /// Among the runs whose test accuracy is within `DemoClaims.noiseSamples` test samples of the
  /// plain network's (the first run) or better, the index of the one that leaves the fewest
  /// multiply-adds; nil when the plain network did not train.
  public static func sparsestAccurate(_ runs: [DemoRun], testSamples: Int) -> Int? {
    guard let plain = runs.first?.run.test?.accuracy else { return nil }
    let tolerance = Double(DemoClaims.noiseSamples) / Double(Swift.max(1, testSamples)) + 1e-9
    let accurate = runs.indices.filter { i in (runs[i].run.test?.accuracy).map { $0 >= plain - tolerance } ?? false }
    return accurate.min { (runs[$0].work?.fraction ?? 1) < (runs[$1].work?.fraction ?? 1) }
  }
}
