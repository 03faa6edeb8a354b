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

  /// `--image-shape`, else the data set's own image shape, else a square one when the feature
  /// count is a perfect square.
  /// - Throws: `CLIError.invalidValue` when `--image-shape` does not have the data's pixel count.
  static func imageShape(_ arguments: Arguments, dataset: LabeledDataset) throws -> ImageShape? {
    guard let given = try arguments.value(AnalyzeCommand.imageShape) else {
      return dataset.imageShape ?? ImageShape.square(featureCount: dataset.featureCount)
    }
    guard let shape = given else { return nil }
    guard shape.pixelCount == dataset.featureCount else {
      throw CLIError.invalidValue(
        option: AnalyzeCommand.imageShape.name, value: "\(shape)",
        expected: "a shape of \(dataset.featureCount) pixels (the data's features)")
    }
    return shape
  }
}
