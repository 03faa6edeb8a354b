// What `sparsity prune` reports: per-layer weight sparsity and accuracy, before and after.

import Foundation
import SparsityIO
import SparsityNN

/// The result of `sparsity prune`, printed as text or JSON and recorded in the model file.
struct PruneSummary {
  /// One Linear layer's weights.
  struct Layer {
    var index: Int
    var name: String
    var weights: Int
    var zeros: Int
  }

  var request: PruneRequest
  var input: String
  var before: [Layer]
  var after: [Layer] = []
  var samples: Int?
  var accuracyBefore: Double?
  var accuracyPruned: Double?
  var accuracyAfter: Double?
  var history: [EpochReport] = []

  init(request: PruneRequest, input: String, before: [Layer]) {
    self.request = request
    self.input = input
    self.before = before
  }

  /// Exact zeros of every Linear weight matrix of `network`.
  static func weightSparsity(of network: Sequential) -> [Layer] {
    network.layers.enumerated().compactMap { index, layer in
      guard let linear = layer as? Linear else { return nil }
      let values = linear.weight.value.scalars
      return Layer(
        index: index, name: linear.description, weights: values.count,
        zeros: values.reduce(0) { $0 + ($1 == 0 ? 1 : 0) })
    }
  }

  /// `x%` with up to two decimals.
  static func percent(_ fraction: Double) -> String {
    String(format: "%.2f%%", fraction * 100).replacingOccurrences(of: ".00%", with: "%")
  }

  private static func fraction(_ layers: [Layer]) -> Double {
    let total = layers.reduce(0) { $0 + $1.weights }
    return total == 0 ? 0 : Double(layers.reduce(0) { $0 + $1.zeros }) / Double(total)
  }

  /// The human-readable report.
  var text: String {
    var rows = [["layer", "weights", "zero before", "zero after"]]
    for (old, new) in zip(before, after) {
      rows.append([
        "\(old.index) \(old.name)", "\(old.weights)", Self.percent(Double(old.zeros) / Double(old.weights)),
        Self.percent(Double(new.zeros) / Double(new.weights)),
      ])
    }
    rows.append([
      "all Linear weights", "\(before.reduce(0) { $0 + $1.weights })", Self.percent(Self.fraction(before)),
      Self.percent(Self.fraction(after)),
    ])
    var lines = ["Pruned \(input) to \(request.description) (Linear weights; biases kept)", BenchReport.aligned(rows)]
    if let samples, let accuracyBefore, let accuracyPruned {
      var accuracy =
        "Test accuracy (\(samples) samples): before \(Self.percent(accuracyBefore)), pruned \(Self.percent(accuracyPruned))"
      if let accuracyAfter { accuracy += ", fine-tuned \(Self.percent(accuracyAfter)) (\(history.count) epochs)" }
      lines.append(accuracy)
    }
    lines.append("Saved \(request.output)")
    return lines.joined(separator: "\n")
  }

  /// The pruning settings and outcome, as the model file records them.
  var record: PruningRecord {
    PruningRecord(
      sparsity: request.sparsity, scope: request.scope.description, pattern: request.pattern.description,
      fineTuneEpochs: request.fineTuneEpochs,
      fineTune: request.fineTuneEpochs > 0
        ? request.training.recipe.settings.summary.filter { $0.0 != "epochs" }.map(RecordedSetting.init) : [],
      weightSparsityBefore: Self.fraction(before), weightSparsityAfter: Self.fraction(after),
      accuracyBefore: accuracyBefore, accuracyPruned: accuracyPruned, accuracyAfter: accuracyAfter)
  }

  /// `prune --json`: the settings, accuracies, every layer and the fine-tuning history.
  func json() throws -> JSONValue {
    let layers = zip(before, after).map { old, new in
      JSONValue.object([
        ("index", .integer(old.index)), ("name", .string(old.name)), ("weights", .integer(old.weights)),
        ("weight_sparsity_before", .double(Double(old.zeros) / Double(old.weights))),
        ("weight_sparsity_after", .double(Double(new.zeros) / Double(new.weights))),
      ])
    }
    guard case .object(let settings) = try JSONValue(encoding: record) else { preconditionFailure("an object") }
    return .object(
      settings + [
        ("samples", samples.map { .integer($0) } ?? .null), ("layers", .array(layers)),
        ("history", try JSONValue(encoding: history)), ("out", .string(request.output)),
      ])
  }
}
