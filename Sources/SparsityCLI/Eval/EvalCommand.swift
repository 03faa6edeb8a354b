// `sparsity eval`: accuracy and per-layer sparsity of a saved model.

import Foundation
import SparsityCore
import SparsityExperiments
import SparsityIO
import SparsityNN

/// The `eval` subcommand.
enum EvalCommand {
  static let json = Flag(
    "json",
    help:
      "print one object: accuracy, loss, samples and layers (each with name, activation_sparsity, dead_units, weight_sparsity)"
  )

  static let command = Command(
    name: "eval", summary: "test accuracy and per-layer activation sparsity, dead units and weight sparsity of a model",
    positionals: [ModelOptions.model], options: ModelOptions.dataOptions(split: true) + [json.spec],
    description: """
      Evaluates a model on the test part of a data set: the same split `train` used (the data
      source, test fraction, seed and feature scaling saved in the model file are the defaults),
      or MNIST's own test set. Prints test accuracy and, for every layer, activation sparsity
      (exact zeros), dead units (zero on every test sample) and weight sparsity (exact zeros and
      |w| < 1e-3). A model saved from PyTorch has no metadata: give --architecture.
      """, run: run)

  static func run(_ arguments: Arguments) throws {
    let (path, model) = try ModelOptions.read(arguments)
    let (source, data) = try PreparedData.load(
      for: model, file: path, overrides: DataOverrides(arguments, record: model.record))
    let evaluation = Evaluation.of(model.network, features: data.test.features, labels: data.test.labels)
    let layers = NetworkSparsity.measure(model.network, features: data.test.features)
    if arguments.flag(Self.json) {
      let report = TestReport(evaluation: evaluation, samples: data.test.sampleCount, layers: layers)
      print(try JSONValue(encoding: report).text)
    } else {
      print("\(path) on \(source) (test part, \(data.test.sampleCount) samples)")
      print(TrainingReportText.final(test: evaluation, layers: layers, samples: data.test.sampleCount))
    }
  }
}
