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
  /// The hidden layers as an architecture list (`train --arch`, e.g. a convolutional network),
  /// replacing `hiddenLayers`, `activation` and `dropout`; the final Linear to the classes is
  /// added (after a `flatten` when the list ends on images).
  public var hiddenArchitecture: [ModelArchitecture.LayerSpec]?
  /// Optimization, regularization, pruning, seed and validation split.
  public var settings = TrainingSettings()
  /// The fraction of the data held out for testing (sources without their own test set).
  public var testFraction = 0.2
  /// The feature scaling fitted on the training part; nil trains on unscaled features.
  public var scaling: FeatureScaling? = .unitRange

  /// The defaults of `sparsity train`.
  public init() {}

  /// The network: Linear + activation (+ Dropout) per hidden width, then Linear to `classes`;
  /// or `hiddenArchitecture` on `image` samples (flat `inputs` features without an image), then
  /// Linear to `classes`.
  /// - Precondition: `architectureProblem(inputs:image:classes:)` is nil.
  public func architecture(inputs: Int, classes: Int, image: ImageShape? = nil) -> ModelArchitecture {
    if let problem = architectureProblem(inputs: inputs, classes: classes, image: image) {
      preconditionFailure("TrainingRecipe.architecture: \(problem)")
    }
    let (input, layers) = architectureLayers(inputs: inputs, classes: classes, image: image)
    return ModelArchitecture(input: input, layers: layers)
  }

  /// The network for the samples of `dataset` (its image shape, if any).
  public func architecture(for dataset: LabeledDataset) -> ModelArchitecture {
    architecture(inputs: dataset.featureCount, classes: dataset.classCount, image: dataset.imageShape)
  }

  /// Why `hiddenArchitecture` cannot take these samples, or nil.
  public func architectureProblem(inputs: Int, classes: Int, image: ImageShape?) -> String? {
    let (input, layers) = architectureLayers(inputs: inputs, classes: classes, image: image)
    return ModelArchitecture.problem(input: input, layers: layers)
  }

  /// Throws `ExperimentError.invalidSetting` naming `--arch` when the list cannot take the
  /// samples of `dataset` (a convolution on flat features, a window larger than the image).
  public func checkArchitecture(for dataset: LabeledDataset) throws(ExperimentError) {
    guard let hidden = hiddenArchitecture,
      let problem = architectureProblem(
        inputs: dataset.featureCount, classes: dataset.classCount, image: dataset.imageShape)
    else { return }
    let input =
      dataset.imageShape.map { "\($0.channels)x\($0.rows)x\($0.columns) images" }
      ?? "\(dataset.featureCount) flat features"
    throw .invalidSetting(
      option: "arch", value: hidden.map(\.token).joined(separator: ","),
      expected: "layers that take the data's \(input): \(problem)")
  }

  private func architectureLayers(inputs: Int, classes: Int, image: ImageShape?) -> (
    ModelArchitecture.SampleShape, [ModelArchitecture.LayerSpec]
  ) {
    guard let hidden = hiddenArchitecture else {
      var layers: [ModelArchitecture.LayerSpec] = []
      for width in hiddenLayers {
        layers.append(.linear(outputFeatures: width))
        layers.append(activation)
        if dropout > 0 { layers.append(.dropout(probability: dropout)) }
      }
      return (.features(inputs), layers + [.linear(outputFeatures: classes)])
    }
    let input: ModelArchitecture.SampleShape = image.map { .image($0) } ?? .features(inputs)
    var layers = hidden
    if case .success(let shapes) = ModelArchitecture.shapes(input: input, layers: hidden), shapes.last!.image != nil {
      layers.append(.flatten)
    }
    return (input, layers + [.linear(outputFeatures: classes)])
  }

  /// Throws when the network would be too large to allocate: the largest weight tensor may hold
  /// at most 2^28 values (1 GiB), the network at most 2^29, and its training
  /// (`MemoryEstimate.training`, with a gradient copy for each of the `localParts` parts of
  /// `settings.parts` this process computes) must fit in memory.
  /// - Throws: `ExperimentError.invalidSetting` naming `--layers` (or `--arch`) past the caps;
  ///   `MemoryBudgetError.insufficient` naming them, `--batch` and `--parts` when training
  ///   cannot fit.
  public func checkSize(inputs: Int, classes: Int, image: ImageShape? = nil, localParts: Int = 0) throws {
    let option = hiddenArchitecture == nil ? "layers" : "arch"
    let value =
      hiddenArchitecture.map { $0.map(\.token).joined(separator: ",") }
      ?? hiddenLayers.map(String.init).joined(separator: ",")
    if let problem = architectureProblem(inputs: inputs, classes: classes, image: image) {
      throw ExperimentError.invalidSetting(
        option: option, value: value, expected: "layers that take the data: \(problem)")
    }
    let (input, layers) = architectureLayers(inputs: inputs, classes: classes, image: image)
    let sizes = ModelArchitecture.tensorShapes(input: input, layers: layers).map { tensor in
      tensor.shape.reduce((partialValue: 1, overflow: false)) { total, side in
        let product = total.partialValue.multipliedReportingOverflow(by: side)
        return (product.partialValue, total.overflow || product.overflow)
      }
    }
    guard !sizes.contains(where: \.overflow), sizes.map(\.partialValue).max() ?? 0 <= 1 << 28,
      sizes.map(\.partialValue).reduce(0, +) <= 1 << 29
    else {
      throw ExperimentError.invalidSetting(
        option: option, value: value, expected: "layers whose weights fit in memory (at most 2^28 values each)")
    }
    let architecture = ModelArchitecture(input: input, layers: layers)
    try MemoryBudget.check(
      .training(architecture, batchSize: settings.batchSize, localParts: localParts),
      for: "--\(option) \(value) --batch \(settings.batchSize)\(settings.parts.map { " --parts \($0)" } ?? "") "
        + "with \(input) inputs and \(classes) classes")
  }

  /// The warning for training this recipe on `data` when it would take more than a day
  /// (`LongRunWarning`), nil otherwise; `runs` trainings of it (a sweep) count together.
  public func longRunWarning(on data: PreparedData, runs: Int = 1, work: String = "train") -> String? {
    let multiplyAdds = LongRunWarning.trainingMultiplyAdds(
      architecture(for: data.train), samples: data.train.sampleCount, epochs: settings.epochs)
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
    let model = architecture(for: data.train).makeSequential(seed: settings.seed)
    let trainer = Trainer(model: model, settings: settings)
    let history = trainer.fit(train: data.train, validation: data.validation, onBatch: onBatch, onEpoch: onEpoch)
    return (model, history, trainer.divergedEpoch)
  }

  /// Throws when the batches of `data`'s training part (cut into `settings.parts` parts) would
  /// give a batch normalization layer of this network one value per channel
  /// (`ModelArchitecture.normalizesSingleValues`, `Trainer.oneRowProblem`).
  /// - Throws: `ExperimentError.invalidSetting` naming `--batch`.
  public func checkBatches(on data: PreparedData) throws {
    guard architecture(for: data.train).normalizesSingleValues,
      let problem = Trainer.oneRowProblem(
        samples: data.train.sampleCount, batchSize: settings.batchSize, parts: settings.parts ?? 1)
    else { return }
    throw Self.oneRowError(batch: settings.batchSize, samples: data.train.sampleCount, problem: problem)
  }

  /// The error of `checkBatches` (and of fine-tuning's): `--batch` named, with `problem`.
  static func oneRowError(batch: Int, samples: Int, problem: String) -> ExperimentError {
    .invalidSetting(
      option: "batch", value: "\(batch)", expected: "a size that works with \(samples) training samples: \(problem)")
  }

  /// `train(on:onBatch:onEpoch:)`, with every batch cut into `settings.parts` parts (when set)
  /// that the processes of `reduction` share (`Trainer.fit(train:validation:parts:reduction:...)`):
  /// the same parts give the same network, bit for bit, on any number of processes, and 1 part
  /// gives the network of `train(on:)`. Every process holds the whole data set.
  /// - Throws: what `reduction` throws.
  public func train(
    on data: PreparedData, reduction: some PartReduction, onBatch: (Int, Int) -> Void = { _, _ in },
    onEpoch: (EpochReport) -> Void = { _ in }
  ) throws -> (model: Sequential, history: [EpochReport], divergedEpoch: Int?) {
    guard let parts = settings.parts else { return train(on: data, onBatch: onBatch, onEpoch: onEpoch) }
    let model = architecture(for: data.train).makeSequential(seed: settings.seed)
    let trainer = Trainer(model: model, settings: settings)
    let history = try trainer.fit(
      train: data.train, validation: data.validation, parts: parts, reduction: reduction, onBatch: onBatch,
      onEpoch: onEpoch)
    return (model, history, trainer.divergedEpoch)
  }
}
