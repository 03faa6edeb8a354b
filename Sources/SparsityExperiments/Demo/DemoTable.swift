// The cells of the demo's comparison table, shared by the terminal output and the report.

import Foundation

/// The demo's comparison table: its columns and one row of cells per run.
public enum DemoTable {
  /// The columns of the comparison table.
  public static let columns = [
    "model", "test acc", "train acc", "gap", "act zeros", "|a|<=0.05", "active/input", "dead", "selectivity",
    "zero weights", "MACs left", "speedup b1",
  ]

  /// One row of cells for `run`: accuracies and shares in percent, the gap in points, the batch-1
  /// speedup; for a diverged run its name, "diverged at epoch N" and empty cells.
  public static func cells(_ run: DemoRun) -> [String] {
    guard let test = run.run.test, let train = run.run.train else {
      return [run.recipe.name, "diverged at epoch \(run.run.divergedEpoch ?? 0)"]
        + Array(repeating: "", count: columns.count - 2)
    }
    return [
      run.recipe.name, String(format: "%.2f%%", test.accuracy * 100), String(format: "%.2f%%", train.accuracy * 100),
      String(format: "%.2f", run.run.gapPoints ?? .nan), percent(run.zeroFraction), percent(run.nearZeroFraction),
      run.unitsPerLayer == 0 ? "-" : String(format: "%.0f/%ld", run.activeUnitsPerInput ?? .nan, run.unitsPerLayer),
      "\(run.deadUnits ?? 0)", run.meanSelectivity.map { String(format: "%.2f", $0) } ?? "-",
      percent(run.run.weightSparsity), percent(run.work?.fraction),
      run.batchOne.map { String(format: "%.2fx", $0.speedup) } ?? "-",
    ]
  }

  /// `fraction` in percent with one decimal (`62.5%`); `-` for nil or a non-finite value.
  public static func percent(_ fraction: Double?) -> String {
    guard let fraction, fraction.isFinite else { return "-" }
    return String(format: "%.1f%%", fraction * 100)
  }
}
