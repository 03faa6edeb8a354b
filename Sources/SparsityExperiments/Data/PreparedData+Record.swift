// The data a saved model was trained on, split and scaled as its record says.

import SparsityIO
import SparsityNN

/// What a user changes when evaluating a saved model on data: each nil keeps what the model's
/// record says (and, for a model without a record, the defaults of `sparsity train`).
public struct DataOverrides: Sendable, Equatable {
  /// Another data source (`--data`).
  public var source: DatasetSource?
  /// Another label column for a CSV source (`--label-column`), when `source` is nil.
  public var labelColumn: Int?
  /// Another test fraction (`--test-fraction`).
  public var testFraction: Double?
  /// Another split seed (`--seed`).
  public var splitSeed: UInt64?
  /// Another scaling, fitted on the training part (`--scaling`): `.some(nil)` for none.
  public var scaling: FeatureScaling??

  public init(
    source: DatasetSource? = nil, labelColumn: Int? = nil, testFraction: Double? = nil, splitSeed: UInt64? = nil,
    scaling: FeatureScaling?? = nil
  ) {
    self.source = source
    self.labelColumn = labelColumn
    self.testFraction = testFraction
    self.splitSeed = splitSeed
    self.scaling = scaling
  }
}

extension PreparedData {
  /// The source a model's data comes from: `overrides.source`, else the recorded source (with
  /// `overrides.labelColumn` for a CSV file), else the embedded digits.
  public static func source(for record: ModelRecord, _ overrides: DataOverrides) -> DatasetSource {
    if let source = overrides.source { return source }
    guard let recorded = record.data?.source else { return .digits }
    if case .csv(let file, _) = recorded, let column = overrides.labelColumn {
      return .csv(file: file, labelColumn: column)
    }
    return recorded
  }

  /// Loads the data of the model in `file` as it saw it: the source, test fraction, split seed
  /// and feature scaling of `record` (the saved scaler itself, not refitted), each replaced by
  /// `overrides` where given. A model without a record gets `sparsity train`'s defaults (test
  /// fraction 0.2, seed 0, unit-range scaling fitted on the training part). MNIST keeps its own
  /// test set.
  /// - Throws: `ExperimentError.unusableData` naming `file` when the data's feature count is
  ///   not the model's `inputs`; `DatasetError` when the data cannot be read.
  public static func load(
    for record: ModelRecord, inputs: Int, file: String, overrides: DataOverrides = DataOverrides(),
    validationFraction: Double = 0
  ) throws -> PreparedData {
    let source = source(for: record, overrides)
    var scaling: FeatureScaling? = .unitRange
    var scaler: FeatureScaler?
    if let chosen = overrides.scaling {
      scaling = chosen
    } else if let recorded = record.data {
      scaling = nil
      scaler = recorded.scaler
    }
    let data = try load(
      source, testFraction: overrides.testFraction ?? record.data?.testFraction ?? 0.2,
      validationFraction: validationFraction, seed: overrides.splitSeed ?? record.data?.splitSeed ?? 0,
      scaling: scaling, scaler: scaler)
    guard data.test.featureCount == inputs else {
      throw ExperimentError.unusableData(
        "\(file): the model takes \(inputs) features but \(source) has \(data.test.featureCount)")
    }
    return data
  }
}

extension PreparedData {
  /// Throws unless images in the data (when it has an image shape) are of the shape the
  /// network's input takes: images of another shape with the same pixel count would otherwise
  /// be read as the model's. `source` and `file` name the data and the model in the message.
  public func checkImages(of network: Sequential, source: DatasetSource, file: String) throws(ExperimentError) {
    guard case .image(let expected)? = ModelArchitecture(describing: network)?.input,
      let found = test.imageShape, found != expected
    else { return }
    throw .unusableData("\(file): the model takes \(expected) images but \(source) holds \(found) images")
  }

  /// Throws unless every label of the training and test parts is below `outputs`, the model's
  /// output count; `source` and `file` name the data and the model in the message.
  public func checkLabels(outputs: Int, source: DatasetSource, file: String) throws(ExperimentError) {
    let largest = Swift.max(train.labels.max() ?? 0, test.labels.max() ?? 0)
    guard largest < outputs else {
      throw .unusableData("\(file): the model has \(outputs) outputs but \(source) has labels up to \(largest)")
    }
  }
}

extension PreparedData {
  /// The data of the saved `model` (read from `file`), as its record says and `overrides`
  /// change it, checked against the network: as many features as its inputs, images of its
  /// input's shape (when both are images), labels below its outputs. Returns the source too,
  /// for messages.
  /// - Throws: `ExperimentError.unusableData` naming `file` when the data does not fit the
  ///   network; `DatasetError` when it cannot be read.
  public static func load(
    for model: ModelFile, file: String, overrides: DataOverrides = DataOverrides(), validationFraction: Double = 0
  ) throws -> (source: DatasetSource, data: PreparedData) {
    let source = source(for: model.record, overrides)
    let data = try load(
      for: model.record, inputs: model.network.inputFeatures, file: file, overrides: overrides,
      validationFraction: validationFraction)
    try data.checkLabels(outputs: model.network.outputFeatures, source: source, file: file)
    try data.checkImages(of: model.network, source: source, file: file)
    return (source, data)
  }
}
