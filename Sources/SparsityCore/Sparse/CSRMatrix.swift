/// A sparse matrix in compressed sparse row (CSR) form.
///
/// Row `i` holds the entries `values[rowOffsets[i] ..< rowOffsets[i + 1]]` at the columns
/// `columnIndices[...]` of the same range, in increasing column order. This is the layout of a
/// weight matrix W (outputs x inputs) whose zero weights are skipped: y = W x reads only the
/// stored weights.
///
/// Reference: Y. Saad, "Iterative Methods for Sparse Linear Systems", 2nd ed., section 3.4.
public struct CSRMatrix: Equatable, Sendable {
  /// Number of rows.
  public let rows: Int
  /// Number of columns.
  public let columns: Int
  /// `rows + 1` offsets into `columnIndices` and `values`; the last one is the stored count.
  public let rowOffsets: [Int]
  /// Column of each stored entry.
  public let columnIndices: [Int32]
  /// Value of each stored entry.
  public let values: [Float]

  /// A CSR matrix from its three arrays; they are checked for consistency.
  public init(rows: Int, columns: Int, rowOffsets: [Int], columnIndices: [Int32], values: [Float]) {
    precondition(rows >= 0 && columns >= 0, "CSRMatrix: negative shape \(rows) x \(columns)")
    precondition(columns <= Int(Int32.max), "CSRMatrix: \(columns) columns exceed 32-bit indices")
    precondition(
      rowOffsets.count == rows + 1 && rowOffsets.first == 0, "CSRMatrix: need \(rows + 1) row offsets starting at 0")
    precondition(
      rowOffsets.last == values.count && columnIndices.count == values.count,
      "CSRMatrix: offsets, indices and values disagree")
    precondition(
      zip(rowOffsets, rowOffsets.dropFirst()).allSatisfy { $0 <= $1 }, "CSRMatrix: row offsets must not decrease")
    precondition(
      columnIndices.allSatisfy { $0 >= 0 && Int($0) < columns }, "CSRMatrix: column index out of 0..<\(columns)")
    self.rows = rows
    self.columns = columns
    self.rowOffsets = rowOffsets
    self.columnIndices = columnIndices
    self.values = values
  }

  /// The entries of a dense matrix that `rule` keeps.
  /// - Complexity: O(rows * columns).
  public init(dense: Tensor, rule: ZeroRule = .exactZero) {
    let (r, c) = (dense.rows, dense.columns)
    var offsets = [0]
    offsets.reserveCapacity(r + 1)
    var indices: [Int32] = []
    var kept: [Float] = []
    for i in 0..<r {
      for j in 0..<c {
        let v = dense.scalars[i * c + j]
        if rule.keeps(v) {
          indices.append(Int32(j))
          kept.append(v)
        }
      }
      offsets.append(kept.count)
    }
    self.init(rows: r, columns: c, rowOffsets: offsets, columnIndices: indices, values: kept)
  }

  /// Number of stored entries.
  public var nonzeroCount: Int { values.count }

  /// Fraction of entries not stored: 1 - nnz / (rows * columns); 0 for an empty shape.
  public var sparsity: Double {
    rows * columns == 0 ? 0 : 1 - Double(nonzeroCount) / Double(rows * columns)
  }

  /// Bytes of the three arrays: 4 per value, 4 per column index, 8 per row offset.
  public var storedBytes: Int {
    values.count * MemoryLayout<Float>.stride + columnIndices.count * MemoryLayout<Int32>.stride
      + rowOffsets.count * MemoryLayout<Int>.stride
  }

  /// The dense matrix with zeros where nothing is stored.
  public func toDense() -> Tensor {
    var out = [Float](repeating: 0, count: rows * columns)
    for i in 0..<rows {
      for p in rowOffsets[i]..<rowOffsets[i + 1] { out[i * columns + Int(columnIndices[p])] = values[p] }
    }
    return Tensor(shape: [rows, columns], scalars: out)
  }

  /// The transpose, again in CSR form (equivalently, this matrix in CSC form).
  /// - Complexity: O(nnz + rows + columns), a counting sort by column.
  public func transposed() -> CSRMatrix {
    var counts = [Int](repeating: 0, count: columns + 1)
    for j in columnIndices { counts[Int(j) + 1] += 1 }
    for j in 0..<columns { counts[j + 1] += counts[j] }
    var next = counts
    var indices = [Int32](repeating: 0, count: nonzeroCount)
    var moved = [Float](repeating: 0, count: nonzeroCount)
    for i in 0..<rows {
      for p in rowOffsets[i]..<rowOffsets[i + 1] {
        let j = Int(columnIndices[p])
        indices[next[j]] = Int32(i)
        moved[next[j]] = values[p]
        next[j] += 1
      }
    }
    return CSRMatrix(rows: columns, columns: rows, rowOffsets: counts, columnIndices: indices, values: moved)
  }
}
