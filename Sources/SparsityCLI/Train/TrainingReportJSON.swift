// JSON for `train --json`, `eval --json` and the metadata of model files.

import SparsityCore
import SparsityIO
import SparsityNN

enum TrainingReportJSON {
  /// One layer: name, activation sparsity, dead units, weight sparsity.
  static func layer(_ layer: LayerSparsity) -> JSONValue {
    var members: [(String, JSONValue)] = [
      ("index", .integer(layer.index)), ("name", .string(layer.name)), ("units", .integer(layer.units)),
    ]
    members.append(("activation_sparsity", layer.activationSparsity.map { .double($0) } ?? .null))
    members.append(("dead_units", layer.deadUnits.map { .integer($0.count) } ?? .null))
    members.append(("dead_unit_indices", layer.deadUnits.map { .array($0.map { .integer($0) }) } ?? .null))
    members.append(("weight_sparsity", layer.weightSparsity.map { .double($0) } ?? .null))
    members.append(("small_weight_fraction", layer.smallWeightFraction.map { .double($0) } ?? .null))
    return .object(members)
  }

  /// The result of an evaluation: accuracy, loss and every layer.
  static func evaluation(_ evaluation: Evaluation, layers: [LayerSparsity], samples: Int) -> [(String, JSONValue)] {
    [
      ("accuracy", .double(evaluation.accuracy)), ("loss", .double(evaluation.loss)), ("samples", .integer(samples)),
      ("layers", .array(layers.map(layer))),
    ]
  }

  /// `train --json`: the test evaluation plus the history.
  static func result(test: Evaluation, layers: [LayerSparsity], history: [EpochReport]) -> JSONValue {
    .object(
      evaluation(test, layers: layers, samples: 0).filter { $0.0 != "samples" } + [("history", self.history(history))])
  }

  /// Per-epoch metrics.
  static func history(_ reports: [EpochReport]) -> JSONValue {
    .array(
      reports.map { r in
        .object([
          ("epoch", .integer(r.epoch)), ("learning_rate", .float(r.learningRate)), ("train_loss", .double(r.trainLoss)),
          ("penalty", .double(r.penalty)), ("train_accuracy", .double(r.trainAccuracy)),
          ("validation_loss", .double(r.validationLoss)), ("validation_accuracy", .double(r.validationAccuracy)),
          ("seconds", .double(r.trainingSeconds)), ("samples_per_second", .double(r.samplesPerSecond)),
          ("layers", .array(r.layers.map(layer))),
        ])
      })
  }

  /// The training settings, data source, split and scaler, for the model file.
  static func training(options: TrainOptions, scaler: FeatureScaler?) -> JSONValue {
    var members: [(String, JSONValue)] = options.settings.summary.map { ($0, .string($1)) }
    members.append(("data", .string(options.source.description)))
    if case .csv(_, let labelColumn) = options.source { members.append(("label_column", .integer(labelColumn))) }
    members.append(("test_fraction", .double(options.testFraction)))
    members.append(("split_seed", .string("\(options.settings.seed)")))
    members.append(("scaling", scaler?.json ?? .null))
    return .object(members)
  }
}
