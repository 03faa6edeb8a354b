// The machine-readable output of `sparsity measure --json`.

import SparsityCore
import SparsityExperiments
import SparsityIO

extension InputMeasurement {
  /// One JSON object: the overall measures (`count`, `zeros`, `active`, `sparsity`,
  /// `near_zero`, `near_zero_fraction`, `epsilon`, `l1`, `l2`, `hoyer`, `gini`) with `input`
  /// and `shape`; for a matrix also `rows` and `columns` summaries, per-column arrays aligned
  /// with `columns.index`, and `dead_columns`.
  var json: JSONValue {
    var members: [(String, JSONValue)] = [
      ("input", .string(input)),
      ("shape", .array(shape.map { .integer($0) })),
    ]
    members += Self.reportMembers(overall)
    if let matrix {
      members += [
        (
          "rows",
          .object([
            ("count", .integer(matrix.rows)),
            ("sparsity", Self.summary(matrix.rowReports.map(\.sparsity))),
            ("near_zero_fraction", Self.summary(matrix.rowReports.map(\.nearZeroSparsity))),
            ("hoyer", Self.summary(matrix.rowReports.map(\.hoyer))),
            ("gini", Self.summary(matrix.rowReports.map(\.gini))),
          ])
        ),
        (
          "columns",
          .object([
            ("count", .integer(matrix.columns)),
            ("sparsity", Self.summary(matrix.columnReports.map(\.sparsity))),
            ("index", .array(matrix.columnIndices.map { .integer($0) })),
            ("per_column_sparsity", .array(matrix.columnReports.map { .double($0.sparsity) })),
            ("per_column_near_zero_fraction", .array(matrix.columnReports.map { .double($0.nearZeroSparsity) })),
          ])
        ),
        ("dead_columns", .array(matrix.deadColumns.map { .integer($0) })),
        ("dropped_columns", .array(matrix.droppedColumns.map { .integer($0) })),
      ]
    }
    return .object(members)
  }

  private static func reportMembers(_ r: SparsityMeasures) -> [(String, JSONValue)] {
    [
      ("count", .integer(r.count)),
      ("zeros", .integer(r.zeros)),
      ("active", .integer(r.active)),
      ("sparsity", .double(r.sparsity)),
      ("near_zero", .integer(r.nearZeros)),
      ("near_zero_fraction", .double(r.nearZeroSparsity)),
      ("epsilon", .float(r.epsilon)),
      ("l1", .double(r.l1)),
      ("l2", .double(r.l2)),
      ("hoyer", .double(r.hoyer)),
      ("gini", .double(r.gini)),
    ]
  }

  private static func summary(_ values: [Double]) -> JSONValue {
    let s = SummaryStatistics(values)
    return .object([("mean", .double(s.mean)), ("min", .double(s.minimum)), ("max", .double(s.maximum))])
  }
}
