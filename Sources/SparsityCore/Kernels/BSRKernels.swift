// Weight-sparse products with block-sparse (BSR) weights: one index per block, SIMD inside it.

/// Y = X W^T with W in BSR form; for batch 1 this is y = W x.
///
/// Shapes: Y is (batch, W.rows), X is (batch, W.columns). Block rows are spread over the cores.
/// For batch 1 each 1 x 4 block is one 4-wide multiply against 4 contiguous inputs and each
/// 4 x 1 block one 4-wide multiply-add into 4 outputs. For larger batches the batch is made
/// feature-major once and every stored value scales a contiguous row of it.
/// - Complexity: O(blockCount * blockSize * batch).
public func bsrMatMul(_ y: UnsafeMutablePointer<Float>, _ w: BSRMatrix, _ x: UnsafePointer<Float>, batch: Int) {
  guard batch > 0, w.rows > 0 else { return }
  guard w.blockCount > 0 else { return y.update(repeating: 0, count: batch * w.rows) }
  let paddedColumns = w.blockColumnCount * w.blockColumns
  let paddedRows = w.blockRowCount * w.blockRows
  w.blockOffsets.withUnsafeBufferPointer { offsets in
    w.blockColumnIndices.withUnsafeBufferPointer { indices in
      w.values.withUnsafeBufferPointer { values in
        withUnsafeTemporaryAllocation(of: Float.self, capacity: Swift.max(1, paddedColumns * batch)) { xp in
          withUnsafeTemporaryAllocation(of: Float.self, capacity: paddedRows * batch) { yp in
            let blocks = BlockView(
              offsets: offsets.baseAddress!, indices: indices.baseAddress!, values: values.baseAddress!,
              blockRows: w.blockRows, blockColumns: w.blockColumns, blockRowCount: w.blockRowCount)
            // Inputs padded with zeros up to whole blocks, feature-major when batch > 1.
            xp.initialize(repeating: 0)
            if batch == 1 {
              xp.baseAddress!.update(from: x, count: w.columns)
            } else {
              transpose(xp.baseAddress!, x, rows: batch, columns: w.columns)
            }
            let work = (offsets.last ?? 0) * w.blockRows * w.blockColumns * batch
            Parallel.forEachChunk(of: w.blockRowCount, minimumChunk: work < 1 << 15 ? w.blockRowCount : 1) { range in
              for blockRow in range { blocks.multiplyBlockRow(blockRow, yp.baseAddress!, xp.baseAddress!, batch) }
            }
            if batch == 1 {
              y.update(from: yp.baseAddress!, count: w.rows)
            } else {
              transpose(y, yp.baseAddress!, rows: w.rows, columns: batch)
            }
          }
        }
      }
    }
  }
}

/// The raw arrays of a BSR matrix, valid inside `bsrMatMul`.
@usableFromInline
struct BlockView {
  let offsets: UnsafePointer<Int>
  let indices: UnsafePointer<Int32>
  let values: UnsafePointer<Float>
  let blockRows: Int, blockColumns: Int, blockRowCount: Int

  /// Rows `blockRow * blockRows ..< +blockRows` of out = W b, where b is (paddedColumns, n) and
  /// out is (paddedRows, n).
  func multiplyBlockRow(_ blockRow: Int, _ out: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) {
    let (start, end) = (offsets[blockRow], offsets[blockRow + 1])
    let size = blockRows * blockColumns
    if n == 1 && blockRows == 1 && blockColumns == 4 {
      var acc = SIMD4<Float>()
      for p in start..<end {
        let v = UnsafeRawPointer(values + p * 4).loadUnaligned(as: SIMD4<Float>.self)
        acc.addProduct(v, UnsafeRawPointer(b + Int(indices[p]) * 4).loadUnaligned(as: SIMD4<Float>.self))
      }
      out[blockRow] = acc.sum()
    } else if n == 1 && blockRows == 4 && blockColumns == 1 {
      var acc = SIMD4<Float>()
      for p in start..<end {
        acc.addProduct(UnsafeRawPointer(values + p * 4).loadUnaligned(as: SIMD4<Float>.self), SIMD4(repeating: b[Int(indices[p])]))
      }
      UnsafeMutableRawPointer(out + blockRow * 4).storeBytes(of: acc, as: SIMD4<Float>.self)
    } else {
      let rows = out + blockRow * blockRows * n
      rows.update(repeating: 0, count: blockRows * n)
      for p in start..<end {
        let column0 = Int(indices[p]) * blockColumns
        for jj in 0..<blockColumns {
          let source = b + (column0 + jj) * n
          for ii in 0..<blockRows {
            let v = values[p * size + ii * blockColumns + jj]
            if v != 0 { axpy(rows + ii * n, v, source, n) }
          }
        }
      }
    }
  }
}

/// Reference twin of `bsrMatMul`: every stored value, one at a time.
public func bsrMatMulReference(_ y: UnsafeMutablePointer<Float>, _ w: BSRMatrix, _ x: UnsafePointer<Float>, batch: Int) {
  y.update(repeating: 0, count: batch * w.rows)
  for blockRow in 0..<w.blockRowCount {
    for p in w.blockOffsets[blockRow]..<w.blockOffsets[blockRow + 1] {
      for ii in 0..<w.blockRows {
        for jj in 0..<w.blockColumns {
          let (i, j) = (blockRow * w.blockRows + ii, Int(w.blockColumnIndices[p]) * w.blockColumns + jj)
          guard i < w.rows && j < w.columns else { continue }
          let v = w.values[p * w.blockSize + ii * w.blockColumns + jj]
          for b in 0..<batch { y[b * w.rows + i] += v * x[b * w.columns + j] }
        }
      }
    }
  }
}
