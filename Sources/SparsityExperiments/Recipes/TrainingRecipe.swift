// One way of training a classifier: data, network, regularization and optimization, typed.

import SparsityCore
import SparsityIO
import SparsityNN

/// Everything `sparsity train` needs to train one classifier, as typed values: the CLI parses
/// its options into one, the demo and the sweep build theirs in code, and `arguments` gives
/// back the `sparsity train` flags that reproduce it.
public struct TrainingRecipe: Sendable, Equatable {
  /// Where the data comes from.
  public var source: DatasetSource = .digits
  /// The widths of the hidden layers.
  public var hiddenLayers = [256, 128]
  /// The activation after every hidden Linear layer.
  public var activation: ModelArchitecture.LayerSpec = .relu
  /// Dropout probability after every hidden activation (0: no Dropout layers).
  public var dropout: Float = 0
  /// Optimization, regularization, pruning, seed and validation split.
  public var settings = TrainingSettings()
  /// The fraction of the data held out for testing (sources without their own test set).
  public var testFraction = 0.2
  /// The feature scaling fitted on the training part; nil trains on unscaled features.
  public var scaling: FeatureScaling? = .unitRange

  /// The defaults of `sparsity train`.
  public init() {}

  /// The network: Linear + activation (+ Dropout) per hidden width, then Linear to `classes`.
  public func architecture(inputs: Int, classes: Int) -> ModelArchitecture {
    var layers: [ModelArchitecture.LayerSpec] = []
    for width in hiddenLayers {
      layers.append(.linear(outputFeatures: width))
      layers.append(activation)
      if dropout > 0 { layers.append(.dropout(probability: dropout)) }
    }
    layers.append(.linear(outputFeatures: classes))
    return ModelArchitecture(inputFeatures: inputs, layers: layers)
  }

  /// Throws when the network would be too large to allocate: the largest weight matrix may hold
  /// at most 2^28 values (1 GiB), the network at most 2^29, and its training
  /// (`MemoryEstimate.training`) must fit in memory.
  /// - Throws: `ExperimentError.invalidSetting` naming `--layers` past the caps;
  ///   `MemoryBudgetError.insufficient` naming `--layers` and `--batch` when training cannot fit.
  public func checkSize(inputs: Int, classes: Int) throws {
    let widths = [inputs] + hiddenLayers + [classes]
    let sizes = zip(widths, widths.dropFirst()).map { $0.multipliedReportingOverflow(by: $1) }
    guard !sizes.contains(where: \.overflow), sizes.map(\.partialValue).max() ?? 0 <= 1 << 28,
      sizes.map(\.partialValue).reduce(0, +) <= 1 << 29
    else {
      throw ExperimentError.invalidSetting(
        option: "layers", value: hiddenLayers.map(String.init).joined(separator: ","),
        expected: "widths whose weight matrices fit in memory (at most 2^28 values each)")
    }
    try MemoryBudget.check(
      .training(widths: widths, batchSize: settings.batchSize),
      for: "--layers \(hiddenLayers.map(String.init).joined(separator: ",")) --batch \(settings.batchSize)"
        + " with \(inputs) inputs and \(classes) classes")
  }

  /// The warning for training this recipe on `data` when it would take more than a day
  /// (`LongRunWarning`), nil otherwise; `runs` trainings of it (a sweep) count together.
  public func longRunWarning(on data: PreparedData, runs: Int = 1, work: String = "train") -> String? {
    let widths = [data.train.featureCount] + hiddenLayers + [data.train.classCount]
    let multiplyAdds = LongRunWarning.trainingMultiplyAdds(
      widths: widths, samples: data.train.sampleCount, epochs: settings.epochs)
    return LongRunWarning.message(
      "\(work) --epochs \(settings.epochs) on \(data.train.sampleCount) samples",
      multiplyAdds: multiplyAdds * Double(runs))
  }

  /// Throws when a TopK activation would keep every unit of the narrowest hidden layer.
  public func checkActivation() throws(ExperimentError) {
    if case .topK(let k) = activation, let narrowest = hiddenLayers.min(), k >= narrowest {
      throw .invalidSetting(
        option: "activation", value: "topk:\(k)",
        expected: "a K below the narrowest hidden layer (\(narrowest)), or TopK keeps everything")
    }
  }

  /// The data part of a model file's record: this recipe's source and split, and `scaler`.
  public func dataRecord(scaler: FeatureScaler?) -> DataRecord {
    DataRecord(source: source, testFraction: testFraction, splitSeed: settings.seed, scaler: scaler)
  }

  /// The model file of `network`, trained by this recipe on `data`: the network, and a record of
  /// the settings, the data (source, split and fitted scaler) and the per-epoch `history`.
  public func modelFile(_ network: Sequential, data: PreparedData, history: [EpochReport]) -> ModelFile {
    ModelFile(
      network: network,
      record: ModelRecord(settings: settings, data: dataRecord(scaler: data.scaler), history: history))
  }

  /// Loads and prepares the recipe's data: split with `testFraction` and the seed, `scaling`
  /// fitted on the training part, the validation part held out.
  public func loadData() throws -> PreparedData {
    try PreparedData.load(
      source, testFraction: testFraction, validationFraction: settings.validationFraction, seed: settings.seed,
      scaling: scaling)
  }

  /// Trains the recipe's network on `data` (initialized with the seed) and returns it with the
  /// per-epoch reports; `onBatch(done, total)` and `onEpoch` report progress.
  public func train(
    on data: PreparedData, onBatch: (Int, Int) -> Void = { _, _ in }, onEpoch: (EpochReport) -> Void = { _ in }
  ) -> (model: Sequential, history: [EpochReport], divergedEpoch: Int?) {
    let model = architecture(inputs: data.train.featureCount, classes: data.train.classCount)
      .makeSequential(seed: settings.seed)
    let trainer = Trainer(model: model, settings: settings)
    let history = trainer.fit(train: data.train, validation: data.validation, onBatch: onBatch, onEpoch: onEpoch)
    return (model, history, trainer.divergedEpoch)
  }
}
