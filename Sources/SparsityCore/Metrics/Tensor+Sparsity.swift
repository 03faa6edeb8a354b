// Sparsity of a whole tensor, of each row and each column of a matrix, and dead units.
//
// Shape convention: a matrix is samples x units (rows are inputs, columns are neurons or
// features), so per-column sparsity is the fraction of samples on which a unit is zero.

extension Tensor {
  /// Sparsity measures of all elements, whatever the rank; see `SparsityMeasures`.
  /// - Complexity: O(n + m log m), `m` the number of nonzeros.
  public func sparsityMeasures(epsilon: Float = SparsityMeasures.defaultEpsilon) -> SparsityMeasures {
    SparsityMeasures(scalars, epsilon: epsilon)
  }

  /// One report per row of a matrix: how sparse each sample is.
  /// - Complexity: O(rows * columns * log columns), spread over `Parallel.threadCount` threads.
  public func rowSparsity(epsilon: Float = SparsityMeasures.defaultEpsilon) -> [SparsityMeasures] {
    sparsityMeasuresOfRows(scalars, rows: rows, columns: columns, epsilon: epsilon)
  }

  /// One report per column of a matrix: how sparse each unit is across samples.
  ///
  /// `columnSparsity()[j].sparsity` is the fraction of rows in which unit `j` is exactly zero.
  /// - Complexity: O(rows * columns * log rows) plus one transpose.
  public func columnSparsity(epsilon: Float = SparsityMeasures.defaultEpsilon) -> [SparsityMeasures] {
    let transpose = transposed()
    return sparsityMeasuresOfRows(transpose.scalars, rows: columns, columns: rows, epsilon: epsilon)
  }

  /// The columns of a matrix whose magnitude is at most `epsilon` in every row: dead units.
  ///
  /// With the default `epsilon` of 0 these are the units that are exactly zero on every sample
  /// (a dead ReLU). A matrix with no rows has every column dead (vacuously).
  /// - Complexity: O(rows * columns), one pass in row-major order.
  public func deadColumns(epsilon: Float = 0) -> [Int] {
    precondition(epsilon >= 0, "Tensor.deadColumns: epsilon must be >= 0, got \(epsilon)")
    let c = columns
    var alive = [Bool](repeating: false, count: c)
    for i in 0..<rows {
      for j in 0..<c where !(Swift.abs(scalars[i * c + j]) <= epsilon) { alive[j] = true }
    }
    return (0..<c).filter { !alive[$0] }
  }
}
