/// A sparse matrix in block compressed sparse row (BSR) form with small dense blocks.
///
/// The matrix is cut into `blockRows` x `blockColumns` tiles (edges padded with zeros); a tile
/// is stored whole when any of its entries is kept. Block row `r` holds the blocks
/// `blockOffsets[r] ..< blockOffsets[r + 1]`, at block columns `blockColumnIndices[...]`, with
/// the values of block `p` at `values[p * blockSize ..< (p + 1) * blockSize]`, row-major.
/// One index per block instead of per entry, and contiguous runs of the input per block, keep
/// SIMD units busy: 1 x 4 blocks suit y = W x, 4 x 1 blocks suit pruning whole input columns
/// of four neurons at once.
public struct BSRMatrix: Equatable, Sendable {
  public let rows: Int
  public let columns: Int
  /// Rows of one block.
  public let blockRows: Int
  /// Columns of one block.
  public let blockColumns: Int
  /// `blockRowCount + 1` offsets into `blockColumnIndices`.
  public let blockOffsets: [Int]
  /// Block column of each stored block.
  public let blockColumnIndices: [Int32]
  /// The stored blocks, each `blockRows * blockColumns` values, row-major.
  public let values: [Float]

  /// Number of block rows, ceil(rows / blockRows).
  public var blockRowCount: Int { (rows + blockRows - 1) / blockRows }
  /// Number of block columns, ceil(columns / blockColumns).
  public var blockColumnCount: Int { (columns + blockColumns - 1) / blockColumns }
  /// Entries per block.
  public var blockSize: Int { blockRows * blockColumns }
  /// Number of stored blocks.
  public var blockCount: Int { blockColumnIndices.count }

  /// The blocks of a dense matrix that hold at least one entry that `rule` keeps; entries the
  /// rule drops are stored as zero inside kept blocks.
  /// - Complexity: O(rows * columns).
  public init(dense: Tensor, blockRows: Int, blockColumns: Int, rule: ZeroRule = .exactZero) {
    precondition(blockRows > 0 && blockColumns > 0, "BSRMatrix: block shape must be positive")
    let (r, c) = (dense.rows, dense.columns)
    precondition(c <= Int(Int32.max), "BSRMatrix: too many columns for 32-bit indices")
    self.rows = r
    self.columns = c
    self.blockRows = blockRows
    self.blockColumns = blockColumns
    var offsets = [0]
    var indices: [Int32] = []
    var stored: [Float] = []
    var block = [Float](repeating: 0, count: blockRows * blockColumns)
    for blockRow in 0..<((r + blockRows - 1) / blockRows) {
      for blockColumn in 0..<((c + blockColumns - 1) / blockColumns) {
        var anyKept = false
        for ii in 0..<blockRows {
          for jj in 0..<blockColumns {
            let (i, j) = (blockRow * blockRows + ii, blockColumn * blockColumns + jj)
            let v: Float = i < r && j < c ? dense.scalars[i * c + j] : 0
            let kept = rule.keeps(v)
            block[ii * blockColumns + jj] = kept ? v : 0
            anyKept = anyKept || kept
          }
        }
        if anyKept {
          indices.append(Int32(blockColumn))
          stored.append(contentsOf: block)
        }
      }
      offsets.append(indices.count)
    }
    blockOffsets = offsets
    blockColumnIndices = indices
    values = stored
  }

  /// Number of nonzero values inside the stored blocks.
  public var nonzeroCount: Int { values.reduce(0) { $0 + ($1 != 0 ? 1 : 0) } }

  /// Fraction of the matrix's entries that are zero.
  public var sparsity: Double {
    rows * columns == 0 ? 0 : 1 - Double(nonzeroCount) / Double(rows * columns)
  }

  /// Fraction of stored values that are nonzero (1 for perfectly block-structured sparsity).
  public var fillRatio: Double { values.isEmpty ? 1 : Double(nonzeroCount) / Double(values.count) }

  /// Bytes of the stored arrays: 4 per value, 4 per block index, 8 per block-row offset.
  public var storedBytes: Int {
    values.count * MemoryLayout<Float>.stride + blockColumnIndices.count * MemoryLayout<Int32>.stride
      + blockOffsets.count * MemoryLayout<Int>.stride
  }

  /// The dense matrix.
  public func toDense() -> Tensor {
    var out = [Float](repeating: 0, count: rows * columns)
    for blockRow in 0..<blockRowCount {
      for p in blockOffsets[blockRow]..<blockOffsets[blockRow + 1] {
        for ii in 0..<blockRows {
          for jj in 0..<blockColumns {
            let (i, j) = (blockRow * blockRows + ii, Int(blockColumnIndices[p]) * blockColumns + jj)
            if i < rows && j < columns { out[i * columns + j] = values[p * blockSize + ii * blockColumns + jj] }
          }
        }
      }
    }
    return Tensor(shape: [rows, columns], scalars: out)
  }
}
