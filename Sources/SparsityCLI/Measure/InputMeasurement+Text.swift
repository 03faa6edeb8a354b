// The human-readable summary `sparsity measure` prints.

import Foundation
import SparsityCore
import SparsityExperiments

extension InputMeasurement {
  /// A few aligned lines: the overall measures, then per-row and per-column summaries of a matrix.
  var text: String {
    var lines = [headline]
    lines += Self.reportLines(overall)
    if let matrix { lines += Self.matrixLines(matrix) }
    return lines.joined(separator: "\n")
  }

  private var headline: String {
    let name = input.count > 60 ? input.prefix(57) + "..." : input
    let count = Self.grouped(overall.count)
    guard let matrix else { return "\(name): \(count) values" }
    let view = shape.count > 2 ? " (shape \(shape.map(String.init).joined(separator: "x")), leading axes as rows)" : ""
    let dropped =
      matrix.droppedColumns.isEmpty
      ? "" : ", without column\(matrix.droppedColumns.count == 1 ? "" : "s") \(Self.list(matrix.droppedColumns))"
    return
      "\(name): \(matrix.rows) x \(matrix.columns) matrix\(view)\(dropped), \(count) values; rows are samples, columns are units"
  }

  private static func reportLines(_ r: SparsityMeasures) -> [String] {
    let n = grouped(r.count)
    return [
      row("zeros", "\(grouped(r.zeros)) of \(n)", "sparsity \(percent(r.sparsity)) (exactly zero)"),
      row("active (L0)", "\(grouped(r.active)) of \(n)", "density \(percent(r.density))"),
      row("near-zero", "\(grouped(r.nearZeros)) of \(n)", "\(percent(r.nearZeroSparsity)) with |x| <= \(r.epsilon)"),
      row("L1 norm", number(r.l1), ""),
      row("L2 norm", number(r.l2), ""),
      row("Hoyer", number(r.hoyer), "0 = equal magnitudes, 1 = a single nonzero"),
      row("Gini", number(r.gini), "0 = equal magnitudes, 1 - 1/n = a single nonzero"),
    ]
  }

  private static func matrixLines(_ m: MatrixPart) -> [String] {
    let rowSparsity = SummaryStatistics(m.rowReports.map(\.sparsity))
    let columnSparsity = m.columnReports.map(\.sparsity)
    let alwaysActive = zip(m.columnIndices, columnSparsity).filter { $0.1 == 0 }.map(\.0)
    let mostlyZero = columnSparsity.filter { $0 >= 0.9 && $0 < 1 }.count
    return [
      "per row (sample), \(grouped(m.rows)) rows:",
      row("sparsity", spread(rowSparsity), ""),
      row("Hoyer", spread(SummaryStatistics(m.rowReports.map(\.hoyer)), percentages: false), ""),
      "per column (unit), \(grouped(m.columns)) columns:",
      row("sparsity", spread(SummaryStatistics(columnSparsity)), "fraction of rows where the unit is 0"),
      row(
        "dead", "\(m.deadColumns.count) of \(m.columns)",
        m.deadColumns.isEmpty ? "no unit is zero in every row" : "zero in every row: \(list(m.deadColumns))"),
      row("mostly zero", "\(mostlyZero) of \(m.columns)", "zero in 90% to <100% of rows"),
      row(
        "always active", "\(alwaysActive.count) of \(m.columns)",
        alwaysActive.isEmpty ? "" : "nonzero in every row: \(list(alwaysActive))"),
    ]
  }

  /// `  label       value       note`, aligned.
  private static func row(_ label: String, _ value: String, _ note: String) -> String {
    let line = "  " + label.padding(toLength: 14, withPad: " ", startingAt: 0) + " " + value
    return note.isEmpty
      ? line : line.padding(toLength: Swift.max(line.count, 44), withPad: " ", startingAt: 0) + "  " + note
  }

  private static func spread(_ s: SummaryStatistics, percentages: Bool = true) -> String {
    let format = percentages ? percent : number
    return "mean \(format(s.mean))  min \(format(s.minimum))  max \(format(s.maximum))"
  }

  /// A fraction as a percentage with one decimal, never rounding a nonzero fraction to 0.0%
  /// or a fraction below one to 100.0%.
  static func percent(_ fraction: Double) -> String {
    if fraction > 0 && fraction < 0.0005 { return "<0.1%" }
    if fraction < 1 && fraction > 0.9995 { return ">99.9%" }
    return String(format: "%.1f%%", fraction * 100)
  }

  /// Six significant digits.
  static func number(_ value: Double) -> String { String(format: "%.6g", value) }

  /// An integer with thousands separators.
  static func grouped(_ value: Int) -> String {
    let digits = String(value)
    return digits.enumerated().map { i, d in i > 0 && (digits.count - i) % 3 == 0 ? ",\(d)" : "\(d)" }.joined()
  }

  /// Indices as `0, 32, 39`, the first 20 then `... (N more)`.
  private static func list(_ indices: [Int]) -> String {
    let shown = indices.prefix(20).map(String.init).joined(separator: ", ")
    return indices.count > 20 ? shown + ", ... (\(indices.count - 20) more)" : shown
  }
}
