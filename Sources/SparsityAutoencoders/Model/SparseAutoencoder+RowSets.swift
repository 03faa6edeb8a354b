// Encoding a whole set of rows, read chunk by chunk, into one sparse matrix of codes.
import SparsityCore

extension SparseAutoencoder {
  /// The codes of every row of `set` as one CSR matrix (rows, latents), encoded `batchRows`
  /// at a time. The codes' memory is checked against the budget as they grow (before any
  /// encoding too when the activation bounds the code's width, as TopK does).
  /// - Throws: what reading the set throws; `MemoryBudgetError` when the codes would not fit.
  /// - Complexity: one encoding of every row.
  public func encode(_ set: some SAERowSet, batchRows: Int = 1024) throws -> CSRMatrix {
    precondition(set.columns == inputs, "SparseAutoencoder.encode: rows of \(set.columns), \(inputs) inputs")
    let total = set.rowCount
    if case .topK(let k) = activation {
      try MemoryBudget.check(
        Self.codeMemory(rows: total, nonzeros: total * Swift.min(k, latents)), for: "the codes of \(total) rows")
    }
    let batch = Swift.max(1, Swift.min(batchRows, total))
    var x = [Float](repeating: 0, count: batch * inputs)
    var codes = SparseCodes(columns: latents)
    var workspace = [Float]()
    let bias = foldedEncoderBias
    var (offsets, indices, values) = ([0], [Int32](), [Float]())
    var start = 0
    while start < total {
      let count = Swift.min(batch, total - start)
      try x.withUnsafeMutableBufferPointer { try set.read(rows: start..<(start + count), into: $0.baseAddress!) }
      x.withUnsafeBufferPointer {
        encode($0.baseAddress!, count: count, into: &codes, workspace: &workspace, bias: bias)
      }
      let stored = codes.nonzeroCount
      try MemoryBudget.check(
        Self.codeMemory(rows: total, nonzeros: values.count + stored), for: "the codes of \(total) rows")
      indices.append(contentsOf: codes.indices[0..<stored])
      values.append(contentsOf: codes.values[0..<stored])
      let base = offsets[offsets.count - 1]
      for i in 0..<count { offsets.append(base + codes.offsets[i + 1]) }
      start += count
    }
    return CSRMatrix(rows: total, columns: latents, rowOffsets: offsets, columnIndices: indices, values: values)
  }

  /// The bytes of CSR codes: an offset per row, an index and a value per entry.
  static func codeMemory(rows: Int, nonzeros: Int) -> MemoryEstimate {
    .elements([rows + 1], bytes: 8) + .elements([nonzeros], bytes: 8)
  }
}
