// The data a saved model was trained on, split and scaled the same way: shared by `eval`,
// `analyze`, `prune`, `compile` and `bench MODEL`.

import SparsityCore
import SparsityIO
import SparsityNN

extension SavedTraining {
  /// Loads `dataName` as the model in `file` saw it: the label column, test fraction, split seed
  /// and feature scaling saved in its metadata, each overridden by `--label-column`,
  /// `--test-fraction`, `--seed` (only when `seedSelectsSplit`; `prune` uses `--seed` for
  /// training) and `--scaling` where the command takes them. MNIST keeps its own test set.
  /// - Throws: `CLIError` naming `file` when the data's feature count differs from the model's
  ///   inputs; `DatasetError` when the data cannot be read.
  func loadData(
    named dataName: String, _ arguments: Arguments, model: Sequential, file: String,
    validationFraction: Double, seedSelectsSplit: Bool = true
  ) throws -> (source: DatasetSource, data: PreparedData) {
    let labelColumn =
      try arguments.value("label-column", expected: "an integer column index", { Int($0) }) ?? self.labelColumn ?? -1
    let source = try DatasetSource(parsing: dataName, labelColumn: labelColumn)
    let testFraction =
      try arguments.value("test-fraction", expected: "a fraction in (0, 1)", TrainOptions.openFraction) ?? self
      .testFraction ?? 0.2
    let seedOption =
      seedSelectsSplit ? try arguments.value("seed", expected: "a non-negative integer", { UInt64($0) }) : nil
    let flag = try arguments.value("scaling", expected: "unit, standardize or none", TrainOptions.scaling)
    var scaling: FeatureScaling? = flag ?? .unitRange
    var scaler: FeatureScaler?
    if flag == nil {
      switch self.scaling {
      case .unknown: break
      case .none: scaling = nil
      case .scaler(let saved): scaler = saved
      }
    }
    let data = try PreparedData.load(
      source, testFraction: testFraction, validationFraction: validationFraction, seed: seedOption ?? seed ?? 0,
      scaling: scaling, scaler: scaler)
    guard data.test.featureCount == model.inputFeatures else {
      throw CLIError.invalidInput(
        "\(file): the model takes \(model.inputFeatures) features but \(source) has \(data.test.featureCount)")
    }
    return (source, data)
  }
}
