// `sparsity eval`: accuracy and per-layer sparsity of a saved model.

import Foundation
import SparsityCore
import SparsityNN

/// The `eval` subcommand.
enum EvalCommand {
  static let command = Command(
    name: "eval", summary: "test accuracy and per-layer activation sparsity, dead units and weight sparsity of a model",
    usage: usage, options: ["data", "label-column", "architecture", "test-fraction", "seed", "scaling"], flags: ["json"], run: run)

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
    guard arguments.positionals.count == 1, let path = arguments.positionals.first else {
      throw CLIError.missingArgument("MODEL.safetensors", command: "eval")
    }
    let architecture = try arguments.value("architecture").map { text throws in try ModelArchitecture(parsing: text) }
    let model = try ModelFile.read(contentsOf: URL(fileURLWithPath: path), architecture: architecture)
    let saved = SavedTraining(json: model.training)
    let labelColumn = try arguments.value("label-column", expected: "an integer column index", { Int($0) }) ?? -1
    let source = try DatasetSource(parsing: arguments.value("data") ?? saved.data ?? "digits", labelColumn: labelColumn)
    let testFraction = try arguments.value("test-fraction", expected: "a fraction in (0, 1)", TrainOptions.openFraction) ?? saved.testFraction ?? 0.2
    let seed = try arguments.value("seed", expected: "a non-negative integer", { UInt64($0) }) ?? saved.seed ?? 0
    let scaling = try arguments.value("scaling", expected: "unit, standardize or none", TrainOptions.scaling) ?? .some(.unitRange)
    let data = try PreparedData.load(
      source, testFraction: testFraction, validationFraction: 0, seed: seed, scaling: scaling,
      scaler: arguments.value("scaling") == nil ? saved.scaler : nil)
    guard data.test.featureCount == model.network.inputFeatures else {
      throw CLIError.invalidInput("\(path): the model takes \(model.network.inputFeatures) features but \(source) has \(data.test.featureCount)")
    }
    let evaluation = Evaluation.of(model.network, features: data.test.features, labels: data.test.labels)
    let layers = NetworkSparsity.measure(model.network, features: data.test.features)
    if arguments.flag("json") {
      print(JSONValue.object(TrainingReportJSON.evaluation(evaluation, layers: layers, samples: data.test.sampleCount)).text)
    } else {
      print("\(path) on \(source) (test part, \(data.test.sampleCount) samples)")
      print(TrainingReportText.final(test: evaluation, layers: layers, samples: data.test.sampleCount))
    }
  }
}

/// What a model file's `training` metadata says about its data, split and scaling.
struct SavedTraining {
  var data: String?
  var testFraction: Double?
  var seed: UInt64?
  var scaler: FeatureScaler?

  init(json: String?) {
    guard let json, let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return }
    data = object["data"] as? String
    testFraction = object["test_fraction"] as? Double
    seed = (object["split_seed"] as? String).flatMap { UInt64($0) }
    if let scaling = object["scaling"] as? [String: Any],
      let offsets = (scaling["offsets"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.floatValue }),
      let scales = (scaling["scales"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.floatValue }),
      offsets.count == scales.count
    {
      let kind: FeatureScaling = scaling["kind"] as? String == "standardize" ? .standardize : .unitRange
      scaler = FeatureScaler(scaling: kind, offsets: offsets, scales: scales)
    }
  }
}
