// A batch of sparse codes in CSR form whose buffers are reused from step to step: the code of
// a sparse autoencoder, k of n latents active per row.

/// A batch of sparse codes, row-major CSR: row i's active latents are
/// `indices[offsets[i]..<offsets[i + 1]]`, ascending, with `values` beside them.
///
/// Unlike `CSRMatrix` it is built in place by the selection kernels (`selectTopKCodes`,
/// `selectCodes(above:)`, `selectBatchTopKCodes`) and keeps its capacity, so a training loop
/// allocates nothing per step. `transposed(into:)` gives the latent-major form that the
/// weight gradients need.
public struct SparseCodes: Sendable {
  /// Rows in the batch.
  public internal(set) var rows: Int
  /// Columns (latents) a row may use.
  public internal(set) var columns: Int
  /// rows + 1 offsets into `indices` and `values`, from 0 to `nonzeroCount`.
  public internal(set) var offsets: [Int]
  /// Column of each stored entry, ascending within a row.
  public internal(set) var indices: [Int32]
  /// Value of each stored entry.
  public var values: [Float]
  /// For a transposed batch (`transposed(into:)`): where each entry sits in the original, so
  /// other values with the same pattern can be moved over by `gatherTransposed`.
  public internal(set) var sourcePositions: [Int32]

  /// An empty batch of codes over `columns` latents.
  public init(columns: Int) {
    precondition(columns >= 0 && columns <= Int(Int32.max), "SparseCodes: \(columns) columns")
    rows = 0
    self.columns = columns
    offsets = [0]
    indices = [0]
    values = [0]
    sourcePositions = []
  }

  /// Codes from explicit CSR arrays (checked).
  public init(rows: Int, columns: Int, offsets: [Int], indices: [Int32], values: [Float]) {
    let matrix = CSRMatrix(rows: rows, columns: columns, rowOffsets: offsets, columnIndices: indices, values: values)
    self.init(matrix)
  }

  /// The codes of a CSR matrix.
  public init(_ matrix: CSRMatrix) {
    rows = matrix.rows
    columns = matrix.columns
    offsets = matrix.rowOffsets
    // Room for one entry even when empty, so the kernels always have buffers to point at.
    indices = matrix.columnIndices.isEmpty ? [0] : matrix.columnIndices
    values = matrix.values.isEmpty ? [0] : matrix.values
    sourcePositions = []
  }

  /// Stored entries.
  public var nonzeroCount: Int { offsets[rows] }

  /// The fraction of entries stored, nonzeroCount / (rows * columns); 0 for an empty batch.
  public var density: Double {
    rows * columns == 0 ? 0 : Double(nonzeroCount) / (Double(rows) * Double(columns))
  }

  /// The codes as an immutable CSR matrix.
  public var matrix: CSRMatrix {
    CSRMatrix(
      rows: rows, columns: columns, rowOffsets: Array(offsets[0...rows]),
      columnIndices: Array(indices[0..<nonzeroCount]), values: Array(values[0..<nonzeroCount]))
  }

  /// Sets the shape and makes room for `capacity` entries, keeping the buffers' memory.
  mutating func reset(rows: Int, columns: Int, capacity: Int) {
    let capacity = Swift.max(1, capacity)
    self.rows = rows
    self.columns = columns
    if offsets.count < rows + 1 { offsets.append(contentsOf: repeatElement(0, count: rows + 1 - offsets.count)) }
    offsets[0] = 0
    if indices.count < capacity {
      indices.append(contentsOf: repeatElement(0, count: capacity - indices.count))
      values.append(contentsOf: repeatElement(0, count: capacity - values.count))
    }
  }

  /// Renames every column c to `names[c]`, in a space of `columns` columns: codes selected over
  /// a subset of latents (AuxK's dead ones) named by their place among all of them.
  /// - Precondition: `names` is ascending (so rows stay sorted) and every name is below `columns`.
  public mutating func renameColumns(_ names: [Int32], columns: Int) {
    precondition(
      names.count >= self.columns, "SparseCodes.renameColumns: \(names.count) names for \(self.columns) columns")
    precondition(names.last.map { Int($0) < columns } ?? true, "SparseCodes.renameColumns: a name past \(columns)")
    for p in 0..<nonzeroCount { indices[p] = names[Int(indices[p])] }
    self.columns = columns
  }

  /// The latent-major form: `out` gets `columns` rows, row j holding the batch rows where
  /// latent j is active (ascending) and their values, and `sourcePositions` saying where each
  /// entry came from. A counting sort.
  /// - Complexity: O(nonzeroCount + columns).
  public func transposed(into out: inout SparseCodes) {
    let count = nonzeroCount
    precondition(count <= Int(Int32.max), "SparseCodes.transposed: \(count) entries exceed 32-bit positions")
    out.reset(rows: columns, columns: rows, capacity: count)
    if out.sourcePositions.count < count {
      out.sourcePositions.append(contentsOf: repeatElement(0, count: count - out.sourcePositions.count))
    }
    for j in 0...columns { out.offsets[j] = 0 }
    for p in 0..<count { out.offsets[Int(indices[p]) + 1] += 1 }
    for j in 0..<columns { out.offsets[j + 1] += out.offsets[j] }
    Scratch.withBuffer(of: Int.self, count: columns) { cursor in
      for j in 0..<columns { cursor[j] = out.offsets[j] }
      for i in 0..<rows {
        for p in offsets[i]..<offsets[i + 1] {
          let j = Int(indices[p])
          let q = cursor[j]
          cursor[j] = q + 1
          out.indices[q] = Int32(truncatingIfNeeded: i)
          out.values[q] = values[p]
          out.sourcePositions[q] = Int32(truncatingIfNeeded: p)
        }
      }
    }
  }

  /// Replaces this transposed batch's values by `source[sourcePositions[q]]`: values of the
  /// original pattern (for example gradients at the active latents) moved to latent-major order.
  /// - Precondition: `self` came from `transposed(into:)` of a batch with `source.count` entries or more.
  public mutating func gatherTransposed(_ source: [Float]) {
    let count = nonzeroCount
    precondition(sourcePositions.count >= count, "SparseCodes.gatherTransposed: not a transposed batch")
    for q in 0..<count { values[q] = source[Int(sourcePositions[q])] }
  }
}
