// The text and JSON forms of a pruning summary, for `sparsity prune`.

import SparsityExperiments
import SparsityIO

extension PruneSummary {
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
