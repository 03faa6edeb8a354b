// The options that choose a saved model's data: `eval`, `analyze`, `prune`, `compile`, `bench MODEL`.

import SparsityExperiments
import SparsityIO
import SparsityNN

extension DataOverrides {
  /// The options that change which data a saved model is run on and how it is split and scaled.
  static let optionNames: Set<String> = ["data", "label-column", "test-fraction", "seed", "scaling"]

  /// `--data`, `--label-column`, `--test-fraction`, `--seed` (only when `seedSelectsSplit`;
  /// `prune` uses `--seed` for fine-tuning) and `--scaling`; a `--data` CSV source takes the
  /// label column of `--label-column`, else the recorded one.
  init(_ arguments: Arguments, record: ModelRecord, seedSelectsSplit: Bool = true) throws {
    self.init()
    labelColumn = try arguments.value("label-column", expected: "an integer column index", { Int($0) })
    if let data = arguments.value("data") {
      var recorded = -1
      if case .csv(_, let column)? = record.data?.source { recorded = column }
      source = try DatasetSource(parsing: data, labelColumn: labelColumn ?? recorded)
    }
    testFraction = try arguments.value("test-fraction", expected: "a fraction in (0, 1)", TrainOptions.openFraction)
    if seedSelectsSplit {
      splitSeed = try arguments.value("seed", expected: "a non-negative integer", { UInt64($0) })
    }
    scaling = try arguments.value("scaling", expected: "unit, standardize or none", TrainOptions.scaling)
  }
}
