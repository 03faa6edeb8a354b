// The text form of a pruning summary, for `sparsity prune`.

import SparsityExperiments

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
      "all weights", "\(before.reduce(0) { $0 + $1.weights })", Self.percent(Self.fraction(before)),
      Self.percent(Self.fraction(after)),
    ])
    var lines = [
      "Pruned \(input) to \(request.description) (Linear and Conv2d weights; biases kept)", BenchReport.aligned(rows),
    ]
    if let samples, let accuracyBefore, let accuracyPruned {
      var accuracy =
        "Test accuracy (\(samples) samples): before \(Self.percent(accuracyBefore)), pruned \(Self.percent(accuracyPruned))"
      if let accuracyAfter { accuracy += ", fine-tuned \(Self.percent(accuracyAfter)) (\(history.count) epochs)" }
      lines.append(accuracy)
    }
    lines.append("Saved \(request.output)")
    return lines.joined(separator: "\n")
  }
}
