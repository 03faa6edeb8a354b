// What `sparsity analyze` describes: a model, the test part of its data and the analysis of both.

import SparsityAnalysis
import SparsityCore
import SparsityIO
import SparsityNN

/// What the text, JSON and HTML outputs of an analysis describe: the model, its data and the
/// analysis.
public struct AnalyzeSubject {
  /// The model file as named on the command line.
  public var path: String
  /// The analysed samples and how to show them.
  public var data: AnalyzeData
  /// The model and its record (training history, data, settings).
  public var model: ModelFile
  /// Activation and weight statistics of `model` on `data`.
  public var analysis: NetworkAnalysis

  /// A subject of the given parts.
  public init(path: String, data: AnalyzeData, model: ModelFile, analysis: NetworkAnalysis) {
    self.path = path
    self.data = data
    self.model = model
    self.analysis = analysis
  }
}

/// The analysed part of a data set and how to show its inputs.
public struct AnalyzeData: Sendable {
  /// The analysed samples: the test part, scaled as in training.
  public var dataset: LabeledDataset
  /// The data source, as given or saved in the model.
  public var source: DatasetSource
  /// The pixel grid of the inputs, nil when they are not shown as images.
  public var imageShape: ImageShape?

  /// Data of the given parts.
  public init(dataset: LabeledDataset, source: DatasetSource, imageShape: ImageShape?) {
    self.dataset = dataset
    self.source = source
    self.imageShape = imageShape
  }

  /// Loads the test part of the data for `model`, read from `path`, as `eval` does: the data
  /// source, test fraction, split seed, label column and feature scaling saved in the model file
  /// are the defaults, each replaced by `overrides` where given; MNIST uses its own test set.
  /// `imageShape` is the shape asked for: nil for none asked (`imageShape(given:dataset:)`).
  /// - Throws: `ExperimentError` naming the model file or the shape when they do not fit the
  ///   data; `DatasetError` when the data cannot be read.
  public static func load(
    model: ModelFile, path: String, overrides: DataOverrides = DataOverrides(), imageShape: ImageShape?? = nil
  ) throws -> AnalyzeData {
    let source = PreparedData.source(for: model.record, overrides)
    let data = try PreparedData.load(
      for: model.record, inputs: model.network.inputFeatures, file: path, overrides: overrides)
    try data.checkImages(of: model.network, source: source, file: path)
    let shape = try Self.imageShape(given: imageShape, dataset: data.test)
    // A model of images is shown its own images: another grid of the same pixel count is not them.
    if case .image(let own)? = ModelArchitecture(describing: model.network)?.input, let shape,
      imageShape != nil, shape != own
    {
      throw ExperimentError.invalidSetting(
        option: "image-shape", value: "\(shape)", expected: "the model's input images, \(own) (or none)")
    }
    return AnalyzeData(dataset: data.test, source: source, imageShape: shape)
  }

  /// The shape `given` (`.some(nil)`: no images), else the data set's own image shape, else a
  /// square one when the feature count is a perfect square. The pictures are gray, so a data set
  /// of several channels has none unless a one-channel shape is given.
  /// - Throws: `ExperimentError.invalidSetting` (for `--image-shape`) when the given shape does
  ///   not have the data's pixel count.
  public static func imageShape(given: ImageShape??, dataset: LabeledDataset) throws(ExperimentError) -> ImageShape? {
    guard let given else {
      guard let own = dataset.imageShape else { return ImageShape.square(featureCount: dataset.featureCount) }
      return own.channels == 1 ? own : nil
    }
    guard let shape = given else { return nil }
    guard shape.pixelCount == dataset.featureCount else {
      throw .invalidSetting(
        option: "image-shape", value: "\(shape)",
        expected: "a shape of \(dataset.featureCount) pixels (the data's features)")
    }
    return shape
  }
}

/// Unit indices as short text for summaries and reports.
public enum UnitList {
  /// `3: 0, 5, 9` or `13: 0, 5, 9, ... (10 more)` with at most `limit` listed, or `none`.
  public static func text(_ units: [Int], limit: Int = 10) -> String {
    guard !units.isEmpty else { return "none" }
    let shown = units.prefix(limit).map(String.init).joined(separator: ", ")
    return "\(units.count): \(shown)" + (units.count > limit ? ", ... (\(units.count - limit) more)" : "")
  }
}
