// `sparsity eval`: accuracy and per-layer sparsity of a saved model.

import Foundation
import SparsityCore
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
    let saved = try SavedTraining(json: model.training, file: path)
    let (source, data) = try saved.loadData(
      named: arguments.value("data") ?? saved.data ?? "digits", arguments, model: model.network, file: path,
      validationFraction: 0)
    guard let largest = data.test.labels.max(), largest < model.network.outputFeatures else {
      throw CLIError.invalidInput(
        "\(path): the model has \(model.network.outputFeatures) outputs but \(source) has labels up to \(data.test.labels.max() ?? 0)"
      )
    }
    let evaluation = Evaluation.of(model.network, features: data.test.features, labels: data.test.labels)
    let layers = NetworkSparsity.measure(model.network, features: data.test.features)
    if arguments.flag("json") {
      print(
        JSONValue.object(TrainingReportJSON.evaluation(evaluation, layers: layers, samples: data.test.sampleCount)).text
      )
    } else {
      print("\(path) on \(source) (test part, \(data.test.sampleCount) samples)")
      print(TrainingReportText.final(test: evaluation, layers: layers, samples: data.test.sampleCount))
    }
  }
}

/// What a model file's `training` metadata says about its data, split and scaling.
struct SavedTraining {
  /// How the model's features were scaled.
  enum Scaling {
    /// The file says nothing (a model saved by PyTorch): `--scaling` decides.
    case unknown
    /// Trained on unscaled features.
    case none
    case scaler(FeatureScaler)
  }

  var data: String?
  var labelColumn: Int?
  var testFraction: Double?
  var seed: UInt64?
  var scaling = Scaling.unknown

  /// Reads the metadata of the model file `file`; values out of range are errors naming it.
  init(json: String?, file: String) throws {
    guard let json, let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
      return
    }
    data = object["data"] as? String
    labelColumn = object["label_column"] as? Int
    seed = (object["split_seed"] as? String).flatMap { UInt64($0) }
    if let fraction = object["test_fraction"] as? Double {
      guard fraction > 0 && fraction < 1 else {
        throw CLIError.invalidInput("\(file): metadata test_fraction \(fraction) is not in (0, 1)")
      }
      testFraction = fraction
    }
    switch object["scaling"] {
    case nil: scaling = .unknown
    case is NSNull: scaling = .none
    case let saved as [String: Any]: scaling = .scaler(try Self.scaler(saved, file: file))
    default: throw CLIError.invalidInput("\(file): metadata scaling is neither null nor an object")
    }
  }

  static func scaler(_ saved: [String: Any], file: String) throws -> FeatureScaler {
    let offsets = (saved["offsets"] as? [Any])?.compactMap { ($0 as? NSNumber)?.floatValue }
    let scales = (saved["scales"] as? [Any])?.compactMap { ($0 as? NSNumber)?.floatValue }
    guard let offsets, let scales, offsets.count == scales.count, !scales.isEmpty,
      (offsets + scales).allSatisfy(\.isFinite)
    else { throw CLIError.invalidInput("\(file): metadata scaling needs as many finite offsets as scales") }
    let kind: FeatureScaling = saved["kind"] as? String == "standardize" ? .standardize : .unitRange
    return FeatureScaler(scaling: kind, offsets: offsets, scales: scales)
  }
}
