// What `compile` and `bench MODEL` share: the model, its data split and scaling, calibration rows.

import Foundation
import SparsityCore
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
    guard let path = arguments.positionals.first else { throw CLIError.missingArgument("MODEL.safetensors", command: command) }
    if arguments.positionals.count > 1 { throw CLIError.unexpectedArguments(Array(arguments.positionals.dropFirst()), command: command) }
    let architecture = try arguments.value("architecture").map { text throws in try ModelArchitecture(parsing: text) }
    let model = try ModelFile.read(contentsOf: URL(fileURLWithPath: path), architecture: architecture)
    let saved = try SavedTraining(json: model.training, file: path)
    let labelColumn = try arguments.value("label-column", expected: "an integer column index", { Int($0) }) ?? saved.labelColumn ?? -1
    let source = try DatasetSource(parsing: arguments.value("data") ?? saved.data ?? "digits", labelColumn: labelColumn)
    var scaling: FeatureScaling? = .unitRange
    var scaler: FeatureScaler?
    switch saved.scaling {
    case .unknown: break
    case .none: scaling = nil
    case .scaler(let saved): scaler = saved
    }
    let data = try PreparedData.load(
      source, testFraction: saved.testFraction ?? 0.2, validationFraction: 0, seed: saved.seed ?? 0, scaling: scaling, scaler: scaler)
    guard data.test.featureCount == model.network.inputFeatures else {
      throw CLIError.invalidInput("\(path): the model takes \(model.network.inputFeatures) features but \(source) has \(data.test.featureCount)")
    }
    if let largest = data.test.labels.max(), largest >= model.network.outputFeatures {
      throw CLIError.invalidInput("\(path): the model has \(model.network.outputFeatures) outputs but \(source) has labels up to \(largest)")
    }
    return InferenceInputs(path: path, network: model.network, source: source, calibration: data.train.features, test: data.test)
  }
}
