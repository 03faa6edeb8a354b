// Weight-sparse products with block-sparse (BSR) weights: one index per block, SIMD inside it.
import CSparsityKernels

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
        Scratch.withBuffer(of: Float.self, count: paddedColumns * batch) { xp in
          Scratch.withBuffer(of: Float.self, count: paddedRows * batch) { yp in
            let blocks = BlockView(
              offsets: offsets.baseAddress!, indices: indices.baseAddress!, values: values.baseAddress!,
              blockRows: w.blockRows, blockColumns: w.blockColumns, blockRowCount: w.blockRowCount)
            // Inputs padded with zeros up to whole blocks, feature-major when batch > 1.
            xp.initialize(repeating: 0, count: paddedColumns * batch)
            if batch == 1 {
              xp.update(from: x, count: w.columns)
            } else {
              transpose(xp, x, rows: batch, columns: w.columns)
            }
            let work = (offsets.last ?? 0) * w.blockRows * w.blockColumns * batch
            if batch == 1 {
              Parallel.forEachChunk(of: w.blockRowCount, minimumChunk: work < 1 << 15 ? w.blockRowCount : 1) { range in
                for blockRow in range { blocks.multiplyBlockRow(blockRow, yp, xp) }
              }
              y.update(from: yp, count: w.rows)
            } else {
              let panel = Swift.max(1, panelWidth(k: paddedColumns, n: batch) / w.blockColumns)
              Parallel.forEachChunk(of: w.blockRowCount, minimumChunk: work < 1 << 15 ? w.blockRowCount : 4) { range in
                forEachPanel(
                  rows: range, offsets: blocks.offsets, indices: blocks.indices, columns: w.blockColumnCount,
                  panel: panel
                ) { blockRow, start, end, first in
                  blocks.multiplyBlocks(yp + blockRow * w.blockRows * batch, start..<end, xp, batch, overwrite: first)
                }
              }
              transpose(y, yp, rows: w.rows, columns: batch)
            }
          }
        }
      }
    }
  }
}

/// The raw arrays of a BSR matrix, valid inside `bsrMatMul`.

struct BlockView {
  let offsets: UnsafePointer<Int>
  let indices: UnsafePointer<Int32>
  let values: UnsafePointer<Float>
  let blockRows: Int, blockColumns: Int, blockRowCount: Int

  /// Rows `blockRow * blockRows ..< +blockRows` of y = W x, x padded to whole blocks.
  func multiplyBlockRow(_ blockRow: Int, _ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>) {
    let (start, end) = (offsets[blockRow], offsets[blockRow + 1])
    if blockRows == 1 && blockColumns == 4 {
      var acc = SIMD4<Float>()
      for p in start..<end {
        let v = UnsafeRawPointer(values + p * 4).loadUnaligned(as: SIMD4<Float>.self)
        acc += v * UnsafeRawPointer(x + Int(indices[p]) * 4).loadUnaligned(as: SIMD4<Float>.self)
      }
      y[blockRow] = acc.sum()
    } else if blockRows == 4 && blockColumns == 1 {
      var acc = SIMD4<Float>()
      for p in start..<end {
        acc +=
          UnsafeRawPointer(values + p * 4).loadUnaligned(as: SIMD4<Float>.self) * SIMD4(repeating: x[Int(indices[p])])
      }
      UnsafeMutableRawPointer(y + blockRow * 4).storeBytes(of: acc, as: SIMD4<Float>.self)
    } else {
      multiplyBlocks(y + blockRow * blockRows, start..<end, x, 1, overwrite: true)
    }
  }

  /// out (blockRows, n) (=, or += when not `overwrite`) the product of the stored blocks
  /// `blocks` of one block row with b, (paddedColumns, n).
  func multiplyBlocks(
    _ out: UnsafeMutablePointer<Float>, _ blocks: Range<Int>, _ b: UnsafePointer<Float>, _ n: Int, overwrite: Bool
  ) {
    let size = blockRows * blockColumns
    var c0 = 0
    if blockRows == 1 {
      // One output row: 64 columns of it in registers, the block's inputs are adjacent rows of b.
      while c0 + 64 <= n {
        accumulateBlocks64(
          out + c0, indices + blocks.lowerBound, values + blocks.lowerBound * blockColumns, blocks.count,
          columns: blockColumns, b + c0, n, overwrite: overwrite)
        c0 += 64
      }
    }
    guard c0 < n else { return }
    let width = n - c0
    if overwrite {
      for ii in 0..<blockRows { (out + ii * n + c0).update(repeating: 0, count: width) }
    }
    for p in blocks {
      let column0 = Int(indices[p]) * blockColumns
      for jj in 0..<blockColumns {
        let source = b + (column0 + jj) * n + c0
        for ii in 0..<blockRows {
          let v = values[p * size + ii * blockColumns + jj]
          if v != 0 { axpy(out + ii * n + c0, v, source, width) }
        }
      }
    }
  }
}

/// out[0..<64] (=, or += when not `overwrite`) the sum over `count` 1 x `columns` blocks and
/// their columns jj of values[p * columns + jj] * b[(indices[p] * columns + jj) * ldb ..< +64]
/// (C micro-kernel, per instruction set; `accumulate64` is the case columns = 1).
@inline(__always)
func accumulateBlocks64(
  _ out: UnsafeMutablePointer<Float>, _ indices: UnsafePointer<Int32>, _ values: UnsafePointer<Float>, _ count: Int,
  columns: Int, _ b: UnsafePointer<Float>, _ ldb: Int, overwrite: Bool, isa: KernelInstructionSet = .active
) {
  sparsity_accumulate64(
    isa.rawValue, out, indices, values, Int64(count), Int64(columns), b, Int64(ldb), overwrite ? 1 : 0)
}

/// Reference twin of `bsrMatMul`: every stored value, one at a time.
public func bsrMatMulReference(_ y: UnsafeMutablePointer<Float>, _ w: BSRMatrix, _ x: UnsafePointer<Float>, batch: Int)
{
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
