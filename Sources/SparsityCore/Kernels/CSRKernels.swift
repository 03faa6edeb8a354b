// Weight-sparse products with CSR weights: only stored weights are read and multiplied.
import CSparsityKernels

/// y = W x with W in CSR form (rows = outputs, columns = inputs).
///
/// Shapes: y is (rows), x is (columns). Rows are split over the cores so that each core gets
/// about the same number of stored entries.
/// - Complexity: O(rows + nnz(W)).

public func csrMatVec(
  _ y: UnsafeMutablePointer<Float>,
  offsets: UnsafePointer<Int>, indices: UnsafePointer<Int32>, values: UnsafePointer<Float>,
  _ x: UnsafePointer<Float>, rows: Int, columns: Int
) {
  guard rows > 0 else { return }
  let nonzeros = offsets[rows]
  let pieces = nonzeros < 1 << 15 ? 1 : Parallel.threadCount
  Parallel.forEachChunk(of: pieces) { pieceRange in
    for piece in pieceRange {
      // Balance by stored entries: piece p takes the rows whose entries fall in its share.
      let first = rowHolding(entry: nonzeros * piece / pieces, offsets, rows)
      let last = piece == pieces - 1 ? rows : rowHolding(entry: nonzeros * (piece + 1) / pieces, offsets, rows)
      for i in first..<last {
        y[i] = sparseDot(indices + offsets[i], values + offsets[i], offsets[i + 1] - offsets[i], x)
      }
    }
  }
}

/// The first row whose entries begin at or after `entry` (binary search over the offsets).

func rowHolding(entry: Int, _ offsets: UnsafePointer<Int>, _ rows: Int) -> Int {
  var low = 0
  var high = rows
  while low < high {
    let mid = (low + high) / 2
    if offsets[mid] < entry { low = mid + 1 } else { high = mid }
  }
  return low
}

/// sum_p values[p] * x[indices[p]], sixteen entries per step in two 8-lane sums (C micro-kernel).
@inline(__always)
func sparseDot(
  _ indices: UnsafePointer<Int32>, _ values: UnsafePointer<Float>, _ count: Int, _ x: UnsafePointer<Float>,
  isa: KernelInstructionSet = .active
) -> Float {
  sparsity_sparse_dot(isa.rawValue, indices, values, Int64(count), x)
}

/// Y = X W^T for a batch, with W in CSR form: the forward product of a pruned linear layer.
///
/// Shapes: Y is (batch, rows), X is (batch, columns), W is (rows, columns). The batch is
/// transposed to feature-major once, Y^T = W X^T runs as `sparseTimesDense` with each stored
/// weight scaling a contiguous row of the batch, and the result is transposed back.
/// - Complexity: O(nnz(W) * batch + (rows + columns) * batch).

public func csrMatMul(
  _ y: UnsafeMutablePointer<Float>,
  offsets: UnsafePointer<Int>, indices: UnsafePointer<Int32>, values: UnsafePointer<Float>,
  _ x: UnsafePointer<Float>, batch: Int, rows: Int, columns: Int
) {
  guard batch > 0, rows > 0 else { return }
  if batch == 1 {
    csrMatVec(y, offsets: offsets, indices: indices, values: values, x, rows: rows, columns: columns)
    return
  }
  Scratch.withBuffer(of: Float.self, count: columns * batch) { xt in
    Scratch.withBuffer(of: Float.self, count: rows * batch) { yt in
      transpose(xt, x, rows: batch, columns: columns)
      sparseTimesDense(
        yt, offsets: offsets, indices: indices, values: values, xt,
        m: rows, k: columns, n: batch)
      transpose(y, yt, rows: rows, columns: batch)
    }
  }
}

/// Reference twin of `csrMatMul` (and, with batch 1, of `csrMatVec`).
public func csrMatMulReference(
  _ y: UnsafeMutablePointer<Float>,
  offsets: UnsafePointer<Int>, indices: UnsafePointer<Int32>, values: UnsafePointer<Float>,
  _ x: UnsafePointer<Float>, batch: Int, rows: Int, columns: Int
) {
  for b in 0..<batch {
    for i in 0..<rows {
      var total: Float = 0
      for p in offsets[i]..<offsets[i + 1] { total += values[p] * x[b * columns + Int(indices[p])] }
      y[b * rows + i] = total
    }
  }
}
