// The cells of a sweep's table, shared by the terminal output and the report.

import Foundation

/// A sweep's table: its columns and one row of cells per value.
public enum SweepTable {
  /// The columns of the table; the first is named after the swept setting where it is shown.
  public static let header = [
    "value", "test acc", "train acc", "gap", "act zeros", "dead", "zero weights", "speedup b1",
  ]

  /// One row of cells: the value, accuracies in %, the gap in points, sparsities in %, dead
  /// units, speedup; "diverged at epoch N" when training diverged.
  public static func cells(_ run: SweepRun) -> [String] {
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
}
