// The data a saved model is pruned, evaluated and fine-tuned on.

import SparsityCore
import SparsityNN

/// Loads the data set of a saved model the way `eval` does: the source, label column, test
/// fraction, split seed and feature scaling saved in its metadata, overridable by flags.
enum PruneData {
  /// The prepared data (train, validation, test), or nil when no source is known (no --data,
  /// no metadata) and `required` is false.
  /// - Throws: `CLIError` when a source is required but unknown, or when it does not fit the
  ///   model's inputs or outputs; `DatasetError` when it cannot be read.
  static func load(_ arguments: Arguments, saved: SavedTraining, model: Sequential, file: String, required: Bool) throws -> PreparedData? {
    guard let name = arguments.value("data") ?? saved.data else {
      if required { throw CLIError.invalidInput("prune: \(file) names no data set; give --data SOURCE to fine-tune") }
      return nil
    }
    let labelColumn = try arguments.value("label-column", expected: "an integer column index", { Int($0) }) ?? saved.labelColumn ?? -1
    let source = try DatasetSource(parsing: name, labelColumn: labelColumn)
    let testFraction = try arguments.value("test-fraction", expected: "a fraction in (0, 1)", TrainOptions.openFraction) ?? saved.testFraction ?? 0.2
    var scaling: FeatureScaling? = .unitRange
    var scaler: FeatureScaler?
    switch saved.scaling {
    case .unknown: break
    case .none: scaling = nil
    case .scaler(let saved): scaler = saved
    }
    let data = try PreparedData.load(
      source, testFraction: testFraction, validationFraction: 0.1, seed: saved.seed ?? 0, scaling: scaling, scaler: scaler)
    guard data.test.featureCount == model.inputFeatures else {
      throw CLIError.invalidInput("\(file): the model takes \(model.inputFeatures) features but \(source) has \(data.test.featureCount)")
    }
    let largest = Swift.max(data.train.labels.max() ?? 0, data.test.labels.max() ?? 0)
    guard largest < model.outputFeatures else {
      throw CLIError.invalidInput("\(file): the model has \(model.outputFeatures) outputs but \(source) has labels up to \(largest)")
    }
    return data
  }
}
