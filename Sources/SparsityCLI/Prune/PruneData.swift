// The data a saved model is pruned, evaluated and fine-tuned on.

import SparsityCore
import SparsityIO
import SparsityNN

/// Loads the data set of a saved model the way `eval` does: the source, label column, test
/// fraction, split seed and feature scaling saved in its metadata, overridable by flags.
enum PruneData {
  /// The prepared data (train, validation, test), or nil when no source is known (no --data,
  /// no metadata) and `required` is false.
  /// - Throws: `CLIError` when a source is required but unknown, or when it does not fit the
  ///   model's inputs or outputs; `DatasetError` when it cannot be read.
  static func load(_ arguments: Arguments, saved: SavedTraining, model: Sequential, file: String, required: Bool) throws
    -> PreparedData?
  {
    guard let name = arguments.value("data") ?? saved.data else {
      if required { throw CLIError.invalidInput("prune: \(file) names no data set; give --data SOURCE to fine-tune") }
      return nil
    }
    let (source, data) = try saved.loadData(
      named: name, arguments, model: model, file: file, validationFraction: 0.1, seedSelectsSplit: false)
    let largest = Swift.max(data.train.labels.max() ?? 0, data.test.labels.max() ?? 0)
    guard largest < model.outputFeatures else {
      throw CLIError.invalidInput(
        "\(file): the model has \(model.outputFeatures) outputs but \(source) has labels up to \(largest)")
    }
    return data
  }
}
