// Everything `sparsity measure` computes about one input, before it is printed.

import SparsityCore

/// The sparsity of a whole input and, for a matrix of several rows, of each row (sample) and
/// each column (unit), with the dead units.
public struct InputMeasurement: Sendable {
  /// Per-row and per-column measures of a matrix whose rows are samples and columns units.
  public struct MatrixPart: Sendable {
    /// Rows (samples) and columns (units) measured.
    public let rows: Int, columns: Int
    /// The original index of each measured column (differs from 0..<columns after dropping).
    public let columnIndices: [Int]
    /// Columns left out of every measure, by original index.
    public let droppedColumns: [Int]
    /// One report per row and per measured column.
    public let rowReports: [SparsityMeasures], columnReports: [SparsityMeasures]
    /// Original indices of the columns that are exactly zero in every row.
    public let deadColumns: [Int]
  }

  /// How the input is named in the output.
  public let input: String
  /// The shape of the input as stored.
  public let shape: [Int]
  /// The measures of all values (after dropping columns).
  public let overall: SparsityMeasures
  /// Row and column measures; nil for a vector or a single row.
  public let matrix: MatrixPart?

  /// Measures `tensor`. A rank-3 or higher tensor is viewed as a matrix whose columns are its
  /// last axis. `droppedColumns` (original indices, already validated) are removed first.
  /// - Complexity: O(n log n) for n values.
  public init(input: String, tensor: Tensor, epsilon: Float, droppedColumns: [Int]) {
    self.input = input
    shape = tensor.shape
    guard tensor.rank >= 2, let last = tensor.shape.last, last > 0, tensor.count / last > 1 || !droppedColumns.isEmpty
    else {
      overall = tensor.sparsityMeasures(epsilon: epsilon)
      matrix = nil
      return
    }
    let full = tensor.reshaped([tensor.count / last, last])
    let kept = (0..<last).filter { !droppedColumns.contains($0) }
    let values = kept.count == last ? full : Self.selectingColumns(kept, of: full)
    overall = values.sparsityMeasures(epsilon: epsilon)
    matrix = MatrixPart(
      rows: values.rows, columns: values.columns, columnIndices: kept, droppedColumns: droppedColumns.sorted(),
      rowReports: values.rowSparsity(epsilon: epsilon), columnReports: values.columnSparsity(epsilon: epsilon),
      deadColumns: values.deadColumns().map { kept[$0] })
  }

  /// The matrix made of the given columns of `matrix`, in that order.
  private static func selectingColumns(_ columns: [Int], of matrix: Tensor) -> Tensor {
    let c = matrix.columns
    var out: [Float] = []
    out.reserveCapacity(matrix.rows * columns.count)
    for i in 0..<matrix.rows {
      for j in columns { out.append(matrix.scalars[i * c + j]) }
    }
    return Tensor(shape: [matrix.rows, columns.count], scalars: out)
  }
}
