// The text output of `sparsity sweep`: a line per trained model and the closing table.

import Foundation
import SparsityExperiments

enum SweepText {
  /// The line printed after each model.
  static func summaryLine(_ run: SweepRun) -> String {
    let c = SweepTable.cells(run)
    guard run.test != nil else { return "training diverged at epoch \(run.divergedEpoch ?? 0); no measurements" }
    return
      "test \(c[1])  train \(c[2])  gap \(c[3]) points  act zeros \(c[4])  dead \(c[5])  zero weights \(c[6])  speedup b1 \(c[7])"
  }

  /// The closing table with a line on what the columns mean.
  static func table(_ sweep: SweepResult) -> String {
    let rows = [[sweep.parameter.rawValue] + SweepTable.header.dropFirst()] + sweep.runs.map(SweepTable.cells)
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
