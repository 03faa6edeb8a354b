// Human-readable lines for `train` and `eval`.

import Foundation
import SparsityNN

enum TrainingReportText {
  /// One line per epoch: loss, accuracies, and per activation layer its sparsity and dead units.
  static func epochLine(_ report: EpochReport, epochs: Int) -> String {
    var line = String(
      format: "epoch %ld/%ld  loss %.4f  train %.2f%%  val %.2f%%", report.epoch, epochs, report.trainLoss,
      report.trainAccuracy * 100, report.validationAccuracy * 100)
    if report.penalty > 0 { line += String(format: "  penalty %.4f", report.penalty) }
    let activations = report.layers.compactMap { layer -> String? in
      guard let sparsity = layer.activationSparsity else { return nil }
      return String(format: "#%ld %.1f%%", layer.index, sparsity * 100)
        + (layer.deadUnits!.isEmpty ? "" : " (\(layer.deadUnits!.count) dead)")
    }
    line += "  act zeros " + activations.joined(separator: ", ")
    let weights = report.layers.compactMap { layer in
      layer.weightSparsity.map { String(format: "#%ld %.1f%%", layer.index, $0 * 100) }
    }
    if weights.contains(where: { !$0.hasSuffix(" 0.0%") }) {
      line += "  zero weights " + weights.joined(separator: ", ")
    }
    line += String(format: "  %.2fs", report.trainingSeconds)
    return line
  }

  /// The closing summary: test accuracy and a per-layer table.
  static func final(test: Evaluation, layers: [LayerSparsity], samples: Int) -> String {
    var rows = [["layer", "units", "activation zeros", "dead units", "zero weights", "|w| < 1e-3"]]
    for layer in layers {
      rows.append([
        "\(layer.index) \(layer.name)", "\(layer.units)",
        layer.activationSparsity.map { String(format: "%.1f%%", $0 * 100) } ?? "",
        layer.deadUnits.map { "\($0.count)" } ?? "",
        layer.weightSparsity.map { String(format: "%.1f%%", $0 * 100) } ?? "",
        layer.smallWeightFraction.map { String(format: "%.1f%%", $0 * 100) } ?? "",
      ])
    }
    return String(format: "Test accuracy %.2f%% (loss %.4f) on %ld samples\n", test.accuracy * 100, test.loss, samples)
      + BenchReport.aligned(rows)
  }
}
