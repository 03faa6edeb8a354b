// What `compile` and `bench MODEL` share: the model, its data split and scaling, calibration rows.

import Foundation
import SparsityCore
import SparsityExperiments
import SparsityIO
import SparsityNN

/// A model file and the data it runs on, prepared the way `eval` prepares them: the data
/// source, test fraction, split seed and feature scaling saved in the model are the defaults.
struct InferenceInputs {
  var path: String
  var network: Sequential
  var source: DatasetSource
  /// The training part (scaled): the planner's calibration samples.
  var calibration: Tensor
  /// The test part (scaled): timing batches and accuracy.
  var test: LabeledDataset

  /// The value options this loader reads.
  static let options: Set<String> = ["data", "label-column", "architecture"]

  /// Loads the model named by the single positional argument and its data.
  static func load(_ arguments: Arguments, command: String) throws -> InferenceInputs {
    guard let path = arguments.positionals.first else {
      throw CLIError.missingArgument("MODEL.safetensors", command: command)
    }
    if arguments.positionals.count > 1 {
      throw CLIError.unexpectedArguments(Array(arguments.positionals.dropFirst()), command: command)
    }
    let architecture = try arguments.value("architecture").map { text throws in try ModelArchitecture(parsing: text) }
    let model = try ModelFile.read(contentsOf: URL(fileURLWithPath: path), architecture: architecture)
    let overrides = try DataOverrides(arguments, record: model.record)
    let source = PreparedData.source(for: model.record, overrides)
    let data = try PreparedData.load(
      for: model.record, inputs: model.network.inputFeatures, file: path, overrides: overrides)
    try data.checkLabels(outputs: model.network.outputFeatures, source: source, file: path)
    return InferenceInputs(
      path: path, network: model.network, source: source, calibration: data.train.features, test: data.test)
  }
}
