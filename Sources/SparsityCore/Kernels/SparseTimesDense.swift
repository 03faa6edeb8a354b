// The weight-sparse batch kernel: a CSR matrix times a dense matrix, out = A B.
//
// A pruned layer computes Y^T = W X^T this way: W is the CSR weights, B = X^T is the batch
// laid out feature-major so that every stored weight scales one contiguous row of it.
import CSparsityKernels

/// out = A B (or out += A B when `accumulate`), where A is CSR and B is dense; only the
/// stored entries of A are read.
///
/// Shapes: out is (m, n), A is (m, k) given by `offsets` (m + 1 entries), `indices` and
/// `values`; B is (k, n); all row-major. Rows of A are spread over the cores. The columns of A
/// are visited in panels of `panelWidth(k:n:)` so that the rows of B a panel touches stay in
/// the core's cache while every row of A uses them; each row of `out` is 64 columns at a time
/// in registers. `panelColumns` overrides the panel width (tests use it to exercise panels).
/// - Complexity: O(nnz(A) * n) flops, O(nnz(A) + m * n * panels) memory traffic.
public func sparseTimesDense(
  _ out: UnsafeMutablePointer<Float>,
  offsets: UnsafePointer<Int>, indices: UnsafePointer<Int32>, values: UnsafePointer<Float>,
  _ b: UnsafePointer<Float>, m: Int, k: Int, n: Int, accumulate: Bool = false, panelColumns: Int? = nil
) {
  guard m > 0, n > 0 else { return }
  let panel = panelColumns ?? panelWidth(k: k, n: n)
  let small = offsets[m] * n < 1 << 16
  Parallel.forEachChunk(of: m, minimumChunk: small ? m : 16) { rowRange in
    forEachPanel(rows: rowRange, offsets: offsets, indices: indices, columns: k, panel: panel) { i, start, end, first in
      accumulateRow(out + i * n, n, indices + start, values + start, end - start, b, overwrite: first && !accumulate)
    }
  }
}

/// Visits the stored entries of rows `rows` of a CSR-like structure panel by panel: for each
/// panel of `panel` columns, then each row, `body(row, start, end, isFirstPanel)` gets the
/// range of the row's entries whose column lies in the panel. Columns must be sorted in a row.
func forEachPanel(
  rows: Range<Int>, offsets: UnsafePointer<Int>, indices: UnsafePointer<Int32>, columns: Int, panel: Int,
  _ body: (Int, Int, Int, Bool) -> Void
) {
  withUnsafeTemporaryAllocation(of: Int.self, capacity: Swift.max(1, rows.count)) { cursor in
    for i in rows { cursor[i - rows.lowerBound] = offsets[i] }
    for k0 in stride(from: 0, to: Swift.max(columns, 1), by: panel) {
      let k1 = Int32(truncatingIfNeeded: Swift.min(k0 + panel, columns))
      for i in rows {
        let start = cursor[i - rows.lowerBound]
        var end = start
        while end < offsets[i + 1] && indices[end] < k1 { end += 1 }
        cursor[i - rows.lowerBound] = end
        body(i, start, end, k0 == 0)
      }
    }
  }
}

/// Columns of A per panel: as many rows of B as fit in about 768 KiB, most of a 1 MiB L2
/// cache; at least 32. (Panels sized for L1 measured slower: every panel re-reads the output.)
func panelWidth(k: Int, n: Int) -> Int {
  Swift.max(32, (768 * 1024) / Swift.max(1, n * MemoryLayout<Float>.stride))
}

/// out[0..<n] (=, or += when not `overwrite`) sum_p values[p] * b[indices[p] * n ..< +n].
func accumulateRow(
  _ out: UnsafeMutablePointer<Float>, _ n: Int, _ indices: UnsafePointer<Int32>,
  _ values: UnsafePointer<Float>, _ count: Int, _ b: UnsafePointer<Float>, overwrite: Bool
) {
  var c0 = 0
  while c0 + 64 <= n {
    accumulate64(out + c0, indices, values, count, b + c0, n, overwrite: overwrite)
    c0 += 64
  }
  guard c0 < n else { return }
  let width = n - c0
  let o = out + c0
  if overwrite { o.update(repeating: 0, count: width) }
  for p in 0..<count { axpy(o, values[p], b + Int(indices[p]) * n + c0, width) }
}

/// out[0..<64] (=, or += when not `overwrite`) sum_p values[p] * b[indices[p] * ldb + 0..<64],
/// the 64 sums in registers (C micro-kernel, per instruction set).
@inline(__always)
func accumulate64(
  _ out: UnsafeMutablePointer<Float>, _ indices: UnsafePointer<Int32>, _ values: UnsafePointer<Float>,
  _ count: Int, _ b: UnsafePointer<Float>, _ ldb: Int, overwrite: Bool, isa: KernelInstructionSet = .active
) {
  sparsity_accumulate64(isa.rawValue, out, indices, values, Int64(count), 1, b, Int64(ldb), overwrite ? 1 : 0)
}

/// y[0..<n] += a * x[0..<n].
@inline(__always)
func axpy(
  _ y: UnsafeMutablePointer<Float>, _ a: Float, _ x: UnsafePointer<Float>, _ n: Int, isa: KernelInstructionSet = .active
) {
  sparsity_axpy(isa.rawValue, y, a, x, Int64(n))
}

/// Reference twin of `sparseTimesDense`: the textbook triple loop, one entry at a time.
public func sparseTimesDenseReference(
  _ out: UnsafeMutablePointer<Float>,
  offsets: UnsafePointer<Int>, indices: UnsafePointer<Int32>, values: UnsafePointer<Float>,
  _ b: UnsafePointer<Float>, m: Int, k: Int, n: Int
) {
  for i in 0..<m {
    for j in 0..<n {
      var total: Float = 0
      for p in offsets[i]..<offsets[i + 1] { total += values[p] * b[Int(indices[p]) * n + j] }
      out[i * n + j] = total
    }
  }
}
