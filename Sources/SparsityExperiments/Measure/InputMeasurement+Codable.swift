// The JSON form of a measured input, as `sparsity measure --json` prints it.

import SparsityCore

/// `{"input", "shape", ...}` then the members of `overall` (`SparsityMeasures`), then for a
/// matrix those of `matrix` (`MatrixPart`).
extension InputMeasurement: Encodable {
  private enum CodingKeys: String, CodingKey {
    case input, shape
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(input, forKey: .input)
    try container.encode(shape, forKey: .shape)
    try overall.encode(to: encoder)
    try matrix?.encode(to: encoder)
  }
}

/// `{"rows": {"count", "sparsity", "near_zero_fraction", "hoyer", "gini"}, "columns": {"count",
/// "sparsity", "index", "per_column_sparsity", "per_column_near_zero_fraction"}, "dead_columns",
/// "dropped_columns"}`: each per-row or per-column measure summarized as `{"mean", "min", "max"}`,
/// and the per-column arrays aligned with `columns.index`, the original column indices.
extension InputMeasurement.MatrixPart: Encodable {
  private enum CodingKeys: String, CodingKey {
    case rows, columns
    case deadColumns = "dead_columns"
    case droppedColumns = "dropped_columns"
  }

  private enum PartKeys: String, CodingKey {
    case count, sparsity, hoyer, gini, index
    case nearZeroFraction = "near_zero_fraction"
    case perColumnSparsity = "per_column_sparsity"
    case perColumnNearZeroFraction = "per_column_near_zero_fraction"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    var rows = container.nestedContainer(keyedBy: PartKeys.self, forKey: .rows)
    try rows.encode(self.rows, forKey: .count)
    try rows.encode(Summary(rowReports.map(\.sparsity)), forKey: .sparsity)
    try rows.encode(Summary(rowReports.map(\.nearZeroSparsity)), forKey: .nearZeroFraction)
    try rows.encode(Summary(rowReports.map(\.hoyer)), forKey: .hoyer)
    try rows.encode(Summary(rowReports.map(\.gini)), forKey: .gini)
    var columns = container.nestedContainer(keyedBy: PartKeys.self, forKey: .columns)
    try columns.encode(self.columns, forKey: .count)
    try columns.encode(Summary(columnReports.map(\.sparsity)), forKey: .sparsity)
    try columns.encode(columnIndices, forKey: .index)
    try columns.encode(columnReports.map(\.sparsity), forKey: .perColumnSparsity)
    try columns.encode(columnReports.map(\.nearZeroSparsity), forKey: .perColumnNearZeroFraction)
    try container.encode(deadColumns, forKey: .deadColumns)
    try container.encode(droppedColumns, forKey: .droppedColumns)
  }

  /// `{"mean", "min", "max"}` of one measure over the rows or columns.
  private struct Summary: Encodable {
    let statistics: SummaryStatistics

    init(_ values: [Double]) { statistics = SummaryStatistics(values) }

    private enum CodingKeys: String, CodingKey {
      case mean, min, max
    }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(statistics.mean, forKey: .mean)
      try container.encode(statistics.minimum, forKey: .min)
      try container.encode(statistics.maximum, forKey: .max)
    }
  }
}
