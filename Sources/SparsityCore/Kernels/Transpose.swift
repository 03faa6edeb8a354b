// Out-of-place matrix transpose: 16 x 16 tiles in vector registers, scalar edges.
//
// The weight-sparse batch kernels work on the batch laid out feature-major, so a batch of 64
// goes through two transposes per layer; a scalar transpose (strided single-float stores)
// measured as costly as the sparse product itself.
import CSparsityKernels

/// out = input^T. `input` is (rows, columns) row-major, `out` is (columns, rows) row-major.
///
/// Whole 16 x 16 tiles are loaded as 16 rows of 16 lanes, transposed in registers by four
/// rounds of even/odd deinterleaving (each round rotates the 8 bits of the (row, column)
/// address by one; four rounds swap row and column; C micro-kernel `sparsity_transpose_tile16`),
/// and stored as 16 rows. The edges that do not fill a tile go through `transposeReference`.
/// - Complexity: O(rows * columns).
public func transpose(_ out: UnsafeMutablePointer<Float>, _ input: UnsafePointer<Float>, rows: Int, columns: Int) {
  transpose(out, input, rows: rows, columns: columns, isa: .active)
}

/// `transpose` with its tiles run on instruction set `isa` (tests compare every path).
func transpose(
  _ out: UnsafeMutablePointer<Float>, _ input: UnsafePointer<Float>, rows: Int, columns: Int, isa: KernelInstructionSet
) {
  let (fullRows, fullColumns) = (rows / 16 * 16, columns / 16 * 16)
  for i0 in stride(from: 0, to: fullRows, by: 16) {
    for j0 in stride(from: 0, to: fullColumns, by: 16) {
      sparsity_transpose_tile16(
        isa.rawValue, out + j0 * rows + i0, Int64(rows), input + i0 * columns + j0, Int64(columns))
    }
  }
  if fullColumns < columns {
    transposeBlock(out, input, rows: rows, columns: columns, rowRange: 0..<fullRows, columnRange: fullColumns..<columns)
  }
  if fullRows < rows {
    transposeBlock(out, input, rows: rows, columns: columns, rowRange: fullRows..<rows, columnRange: 0..<columns)
  }
}

/// Reference twin of `transpose`: out[j * rows + i] = input[i * columns + j], one at a time.
/// - Complexity: O(rows * columns).
public func transposeReference(
  _ out: UnsafeMutablePointer<Float>, _ input: UnsafePointer<Float>, rows: Int, columns: Int
) {
  transposeBlock(out, input, rows: rows, columns: columns, rowRange: 0..<rows, columnRange: 0..<columns)
}

/// The entries of `rowRange` x `columnRange` of `transpose`, one at a time.
func transposeBlock(
  _ out: UnsafeMutablePointer<Float>, _ input: UnsafePointer<Float>, rows: Int, columns: Int,
  rowRange: Range<Int>, columnRange: Range<Int>
) {
  for i in rowRange {
    for j in columnRange { out[j * rows + i] = input[i * columns + j] }
  }
}
