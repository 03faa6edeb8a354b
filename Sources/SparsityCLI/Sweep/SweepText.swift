// The text output of `sparsity sweep`: a line per trained model and the closing table.

import SparsityExperiments
import Foundation

enum SweepText {
  /// The columns of the table, also used by the report.
  static let header = ["value", "test acc", "train acc", "gap", "act zeros", "dead", "zero weights", "speedup b1"]

  /// One row of cells: the value, accuracies in %, the gap in points, sparsities in %, dead
  /// units, speedup; "diverged at epoch N" when training diverged.
  static func cells(_ run: SweepRun) -> [String] {
    guard let test = run.test, let train = run.train else {
      return [run.value.text, "diverged at epoch \(run.divergedEpoch ?? 0)", "", "", "", "", "", ""]
    }
    return [
      run.value.text, String(format: "%.2f%%", test.accuracy * 100), String(format: "%.2f%%", train.accuracy * 100),
      String(format: "%.2f", run.gapPoints ?? .nan), String(format: "%.1f%%", (run.activationSparsity ?? .nan) * 100),
      "\(run.deadUnits ?? 0)", String(format: "%.1f%%", (run.weightSparsity ?? .nan) * 100),
      run.timing.map { String(format: "%.2fx", $0.speedup) } ?? "-",
    ]
  }

  /// The line printed after each model.
  static func summaryLine(_ run: SweepRun) -> String {
    let c = cells(run)
    guard run.test != nil else { return "training diverged at epoch \(run.divergedEpoch ?? 0); no measurements" }
    return
      "test \(c[1])  train \(c[2])  gap \(c[3]) points  act zeros \(c[4])  dead \(c[5])  zero weights \(c[6])  speedup b1 \(c[7])"
  }

  /// The closing table with a line on what the columns mean.
  static func table(_ sweep: SweepResult) -> String {
    let rows = [[sweep.parameter.rawValue] + header.dropFirst()] + sweep.runs.map(cells)
    let timed = sweep.runs.compactMap(\.timing).first
    let note =
      timed.map { t in
        "speedup b1: dense sgemv / activation skipping, Linear layers \(t.layers.map(String.init).joined(separator: ", ")), \(t.samples) test inputs at batch 1 (see 'sparsity help sweep')"
      } ?? "speedup b1: no Linear layer reads activations"
    return BenchReport.aligned(rows)
      + "\ngap = train - test accuracy in points; act zeros and dead units on the \(sweep.data.test.sampleCount) test samples\n"
      + note
  }
}
