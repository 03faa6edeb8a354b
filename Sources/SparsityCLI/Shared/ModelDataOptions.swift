// The options that choose a saved model's data: `eval`, `analyze`, `prune`, `compile`, `bench MODEL`.

import Foundation
import SparsityExperiments
import SparsityIO
import SparsityNN

/// The model file argument and the options that load it and change its data.
enum ModelOptions {
  static let model = Positional("MODEL.safetensors")
  static let architecture = Option<String>(
    "architecture", "ARCH",
    help: "the architecture of a model saved without one, by PyTorch, e.g. 784-256-relu-128-relu-10")
  static let data = Option<String>(
    "data", "SOURCE", help: "the data (default: the model's, else digits; \(DatasetSource.forms))")
  static let labelColumn = Option<Int>(
    "label-column", "N", expected: "an integer column index",
    help: "the label column of a CSV source (default: the model's, else the last)", parse: { Int($0) })
  static let testFraction = Option<Double>(
    "test-fraction", "F", expected: "a fraction in (0, 1)",
    help: "the test fraction of the split (default: the model's)",
    parse: Parse.openFraction)
  static let splitSeed = Option<UInt64>(
    "seed", "S", expected: "a non-negative integer", help: "the seed of the split (default: the model's)",
    parse: Parse.seed)
  static let scaling = Option<FeatureScaling?>(
    "scaling", "unit|standardize|none", expected: "unit, standardize or none",
    help: "refit this scaling instead of the model's saved one", parse: TrainOptions.parseScaling)

  /// The options that choose the data and, with `split`, the test fraction, seed and scaling.
  static func dataOptions(split: Bool) -> [OptionSpec] {
    [data.spec, labelColumn.spec, architecture.spec] + (split ? [testFraction.spec, splitSeed.spec, scaling.spec] : [])
  }

  /// Reads the model file of the single positional argument.
  static func read(_ arguments: Arguments) throws -> (path: String, file: ModelFile) {
    let path = arguments.positionals[0]
    let architecture = try arguments.value(architecture).map { text throws in try ModelArchitecture(parsing: text) }
    return (path, try ModelFile.read(contentsOf: URL(fileURLWithPath: path), architecture: architecture))
  }
}

extension DataOverrides {
  /// `--data`, `--label-column`, `--test-fraction`, `--seed` (only when `seedSelectsSplit`;
  /// `prune` uses `--seed` for fine-tuning) and `--scaling`; a `--data` CSV source takes the
  /// label column of `--label-column`, else the recorded one.
  init(_ arguments: Arguments, record: ModelRecord, seedSelectsSplit: Bool = true) throws {
    self.init()
    labelColumn = try arguments.value(ModelOptions.labelColumn)
    if let data = try arguments.value(ModelOptions.data) {
      var recorded = -1
      if case .csv(_, let column)? = record.data?.source { recorded = column }
      source = try DatasetSource(parsing: data, labelColumn: labelColumn ?? recorded)
    }
    testFraction = try arguments.value(ModelOptions.testFraction)
    if seedSelectsSplit { splitSeed = try arguments.value(ModelOptions.splitSeed) }
    scaling = try arguments.value(ModelOptions.scaling)
  }
}
