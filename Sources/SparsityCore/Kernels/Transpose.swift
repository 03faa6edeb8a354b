// Out-of-place matrix transpose, blocked for cache.

/// out = in^T. `input` is (rows, columns) row-major, `out` is (columns, rows) row-major.
/// - Complexity: O(rows * columns), in 32 x 32 blocks so both sides stay in cache.

public func transpose(_ out: UnsafeMutablePointer<Float>, _ input: UnsafePointer<Float>, rows: Int, columns: Int) {
  let block = 32
  for i0 in stride(from: 0, to: rows, by: block) {
    let i1 = Swift.min(i0 + block, rows)
    for j0 in stride(from: 0, to: columns, by: block) {
      let j1 = Swift.min(j0 + block, columns)
      for i in i0..<i1 {
        for j in j0..<j1 { out[j * rows + i] = input[i * columns + j] }
      }
    }
  }
}
