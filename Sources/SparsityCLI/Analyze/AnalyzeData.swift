// The data `sparsity analyze` runs a model on: the split and scaling the model was trained with.

import Foundation
import SparsityCore
import SparsityExperiments
import SparsityIO
import SparsityNN

/// The analysed part of a data set and how to show its inputs.
struct AnalyzeData {
  /// The analysed samples: the test part, scaled as in training.
  var dataset: LabeledDataset
  /// The data source, as given or saved in the model.
  var source: DatasetSource
  /// The pixel grid of the inputs, nil when they are not shown as images.
  var imageShape: ImageShape?

  /// Loads the test part of the data for the model at `path`, as `eval` does: the data source,
  /// test fraction, split seed, label column and feature scaling saved in the model file are
  /// the defaults; MNIST uses its own test set.
  /// - Throws: `CLIError` naming the model file or data when they do not fit together.
  static func load(_ arguments: Arguments, model: ModelFile, path: String) throws -> AnalyzeData {
    let overrides = try DataOverrides(arguments, record: model.record)
    let source = PreparedData.source(for: model.record, overrides)
    let data = try PreparedData.load(
      for: model.record, inputs: model.network.inputFeatures, file: path, overrides: overrides)
    let shape = try imageShape(arguments, dataset: data.test)
    return AnalyzeData(dataset: data.test, source: source, imageShape: shape)
  }

  /// `--image-shape RxC|none`, else the data set's own image shape, else a square one when the
  /// feature count is a perfect square.
  static func imageShape(_ arguments: Arguments, dataset: LabeledDataset) throws -> ImageShape? {
    guard let text = arguments.value("image-shape") else {
      return dataset.imageShape ?? ImageShape.square(featureCount: dataset.featureCount)
    }
    if text == "none" { return nil }
    let parts = text.split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
    guard parts.count == 2, let rows = parts[0], let columns = parts[1], rows > 0, columns > 0 else {
      throw CLIError.invalidValue(option: "image-shape", value: text, expected: "ROWSxCOLUMNS (e.g. 28x28) or none")
    }
    guard rows * columns == dataset.featureCount else {
      throw CLIError.invalidValue(
        option: "image-shape", value: text, expected: "a shape of \(dataset.featureCount) pixels (the data's features)")
    }
    return ImageShape(rows: rows, columns: columns)
  }
}
