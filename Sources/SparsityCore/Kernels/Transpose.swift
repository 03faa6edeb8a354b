// Out-of-place matrix transpose: 16 x 16 tiles in vector registers, scalar edges.
//
// The weight-sparse batch kernels work on the batch laid out feature-major, so a batch of 64
// goes through two transposes per layer; a scalar transpose (strided single-float stores)
// measured as costly as the sparse product itself.

/// out = input^T. `input` is (rows, columns) row-major, `out` is (columns, rows) row-major.
///
/// Whole 16 x 16 tiles are loaded as 16 rows of 16 lanes, transposed in registers by four
/// rounds of even/odd deinterleaving (each round rotates the 8 bits of the (row, column)
/// address by one; four rounds swap row and column), and stored as 16 rows. The edges that
/// do not fill a tile go through `transposeReference`.
/// - Complexity: O(rows * columns).
public func transpose(_ out: UnsafeMutablePointer<Float>, _ input: UnsafePointer<Float>, rows: Int, columns: Int) {
  let (fullRows, fullColumns) = (rows / 16 * 16, columns / 16 * 16)
  for i0 in stride(from: 0, to: fullRows, by: 16) {
    for j0 in stride(from: 0, to: fullColumns, by: 16) {
      transposeTile16(out + j0 * rows + i0, rows, input + i0 * columns + j0, columns)
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
public func transposeReference(_ out: UnsafeMutablePointer<Float>, _ input: UnsafePointer<Float>, rows: Int, columns: Int) {
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

typealias Lanes16 = SIMD16<Float>
typealias Tile16 = (
  Lanes16, Lanes16, Lanes16, Lanes16, Lanes16, Lanes16, Lanes16, Lanes16,
  Lanes16, Lanes16, Lanes16, Lanes16, Lanes16, Lanes16, Lanes16, Lanes16
)

/// out[c * ldo + r] = input[r * ldi + c] for r, c < 16.
@inline(__always)
func transposeTile16(_ out: UnsafeMutablePointer<Float>, _ ldo: Int, _ input: UnsafePointer<Float>, _ ldi: Int) {
  func load(_ r: Int) -> Lanes16 { UnsafeRawPointer(input + r &* ldi).loadUnaligned(as: Lanes16.self) }
  var t: Tile16 = (
    load(0), load(1), load(2), load(3), load(4), load(5), load(6), load(7),
    load(8), load(9), load(10), load(11), load(12), load(13), load(14), load(15)
  )
  for _ in 0..<4 { deinterleaveRound(&t) }
  func store(_ r: Int, _ v: Lanes16) { UnsafeMutableRawPointer(out + r &* ldo).storeBytes(of: v, as: Lanes16.self) }
  store(0, t.0); store(1, t.1); store(2, t.2); store(3, t.3); store(4, t.4); store(5, t.5); store(6, t.6); store(7, t.7)
  store(8, t.8); store(9, t.9); store(10, t.10); store(11, t.11); store(12, t.12); store(13, t.13); store(14, t.14); store(15, t.15)
}

/// One round: rows 2k and 2k+1, read as 32 lanes, give row k (even lanes) and row k + 8 (odd lanes).
@inline(__always)
func deinterleaveRound(_ t: inout Tile16) {
  func split(_ a: Lanes16, _ b: Lanes16) -> (Lanes16, Lanes16) {
    let both = SIMD32(lowHalf: a, highHalf: b)
    return (both.evenHalf, both.oddHalf)
  }
  let (e0, o0) = split(t.0, t.1), (e1, o1) = split(t.2, t.3), (e2, o2) = split(t.4, t.5), (e3, o3) = split(t.6, t.7)
  let (e4, o4) = split(t.8, t.9), (e5, o5) = split(t.10, t.11), (e6, o6) = split(t.12, t.13), (e7, o7) = split(t.14, t.15)
  t = (e0, e1, e2, e3, e4, e5, e6, e7, o0, o1, o2, o3, o4, o5, o6, o7)
}
