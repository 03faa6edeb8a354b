// The data a saved model is pruned, evaluated and fine-tuned on.

import SparsityCore
import SparsityExperiments
import SparsityIO
import SparsityNN

/// Loads the data set of a saved model the way `eval` does: the source, label column, test
/// fraction, split seed and feature scaling saved in its metadata, overridable by flags.
enum PruneData {
  /// The prepared data (train, validation, test), or nil when no source is known (no --data,
  /// no metadata) and `required` is false.
  /// - Throws: `CLIError` when a source is required but unknown, or when it does not fit the
  ///   model's inputs or outputs; `DatasetError` when it cannot be read.
  static func load(_ arguments: Arguments, model: ModelFile, file: String, required: Bool) throws -> PreparedData? {
    guard try arguments.value(ModelOptions.data) != nil || model.record.data != nil else {
      if required { throw CLIError.invalidInput("prune: \(file) names no data set; give --data SOURCE to fine-tune") }
      return nil
    }
    let overrides = try DataOverrides(arguments, record: model.record, seedSelectsSplit: false)
    return try PreparedData.load(for: model, file: file, overrides: overrides, validationFraction: 0.1).data
  }
}
