// `sparsity eval`: accuracy and per-layer sparsity of a saved model.

import Foundation
import SparsityCore
import SparsityExperiments
import SparsityIO
import SparsityNN

/// The `eval` subcommand.
enum EvalCommand {
  static let command = Command(
    name: "eval", summary: "test accuracy and per-layer activation sparsity, dead units and weight sparsity of a model",
    usage: usage, options: ["data", "label-column", "architecture", "test-fraction", "seed", "scaling"],
    flags: ["json"], run: run)

  static let usage = """
    usage: sparsity eval MODEL.safetensors [--data SOURCE] [--label-column N]
                         [--architecture ARCH] [--test-fraction F] [--seed S]
                         [--scaling unit|standardize|none] [--json]

    Evaluates a model on the test part of a data set: the same split `train` used (the data
    source, test fraction, seed and feature scaling saved in the model file are the defaults),
    or MNIST's own test set. Prints test accuracy and, for every layer, activation sparsity
    (exact zeros), dead units (zero on every test sample) and weight sparsity (exact zeros and
    |w| < 1e-3). --json prints one object with accuracy, loss, samples and layers (each with
    name, activation_sparsity, dead_units, weight_sparsity).
    A model saved from PyTorch has no metadata: give --architecture (\(ModelArchitecture.syntax.split(separator: "\n").first ?? "")).
    """

  static func run(_ arguments: Arguments) throws {
    guard let path = arguments.positionals.first else {
      throw CLIError.missingArgument("MODEL.safetensors", command: "eval")
    }
    if arguments.positionals.count > 1 {
      throw CLIError.unexpectedArguments(Array(arguments.positionals.dropFirst()), command: "eval")
    }
    let architecture = try arguments.value("architecture").map { text throws in try ModelArchitecture(parsing: text) }
    let model = try ModelFile.read(contentsOf: URL(fileURLWithPath: path), architecture: architecture)
    let overrides = try DataOverrides(arguments, record: model.record)
    let source = PreparedData.source(for: model.record, overrides)
    let data = try PreparedData.load(
      for: model.record, inputs: model.network.inputFeatures, file: path, overrides: overrides)
    try data.checkLabels(outputs: model.network.outputFeatures, source: source, file: path)
    let evaluation = Evaluation.of(model.network, features: data.test.features, labels: data.test.labels)
    let layers = NetworkSparsity.measure(model.network, features: data.test.features)
    if arguments.flag("json") {
      let report = TestReport(evaluation: evaluation, samples: data.test.sampleCount, layers: layers)
      print(try JSONValue(encoding: report).text)
    } else {
      print("\(path) on \(source) (test part, \(data.test.sampleCount) samples)")
      print(TrainingReportText.final(test: evaluation, layers: layers, samples: data.test.sampleCount))
    }
  }
}
