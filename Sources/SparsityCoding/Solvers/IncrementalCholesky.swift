/// The Cholesky factor L (lower triangular, L L^T = G_AA) of a growing and shrinking Gram
/// submatrix, as LARS and OMP need it.
///
/// Appending an atom solves one triangular system (O(k^2)); removing the atom at position p
/// deletes row and column p and restores the factor with a rank-one update of the trailing
/// block by the removed column (Golub & Van Loan, Matrix Computations, 6.5.4): O(k^2).
/// Storage is row-major with stride `capacity`.
struct IncrementalCholesky {
  let capacity: Int
  private(set) var size = 0
  private var factor: [Double]
  private var scratch: [Double]

  init(capacity: Int) {
    self.capacity = capacity
    factor = [Double](repeating: 0, count: capacity * capacity)
    scratch = [Double](repeating: 0, count: capacity)
  }

  mutating func reset() { size = 0 }

  /// Appends a row and column: `column(i)` = G[A_i, new] for i < size, `diagonal` = G[new, new].
  /// Returns false (and changes nothing) when the new atom is numerically dependent on the
  /// active ones or the factor is full.
  mutating func append(diagonal: Double, column: (Int) -> Double) -> Bool {
    guard size < capacity else { return false }
    let k = size, ld = capacity
    var squared = diagonal
    for i in 0..<k {
      var v = column(i)
      for j in 0..<i { v -= factor[i * ld + j] * factor[k * ld + j] }
      v /= factor[i * ld + i]
      factor[k * ld + i] = v
      squared -= v * v
    }
    guard squared > 1e-10 * max(diagonal, 1e-300) else { return false }
    factor[k * ld + k] = squared.squareRoot()
    size += 1
    return true
  }

  /// Removes the atom at position `p` (0 ..< size).
  mutating func remove(at p: Int) {
    precondition(p >= 0 && p < size, "IncrementalCholesky.remove: \(p) out of 0..<\(size)")
    let ld = capacity, n = size
    for i in (p + 1)..<max(p + 1, n) {
      scratch[i - 1] = factor[i * ld + p]
      for j in 0..<p { factor[(i - 1) * ld + j] = factor[i * ld + j] }
      for j in (p + 1)...i { factor[(i - 1) * ld + j - 1] = factor[i * ld + j] }
    }
    size -= 1
    // L' L'^T lost the term v v^T (v = removed column): add it back, rows p..<size.
    for k in p..<size {
      let lkk = factor[k * ld + k]
      let r = (lkk * lkk + scratch[k] * scratch[k]).squareRoot()
      let c = r / lkk, s = scratch[k] / lkk
      factor[k * ld + k] = r
      for i in (k + 1)..<max(k + 1, size) {
        factor[i * ld + k] = (factor[i * ld + k] + s * scratch[i]) / c
        scratch[i] = c * scratch[i] - s * factor[i * ld + k]
      }
    }
  }

  /// Solves L L^T x = b in place on the first `size` entries of `b`.
  func solve(_ b: inout [Double]) {
    let ld = capacity
    for i in 0..<size {
      var v = b[i]
      for j in 0..<i { v -= factor[i * ld + j] * b[j] }
      b[i] = v / factor[i * ld + i]
    }
    for i in stride(from: size - 1, through: 0, by: -1) {
      var v = b[i]
      for j in (i + 1)..<max(i + 1, size) { v -= factor[j * ld + i] * b[j] }
      b[i] = v / factor[i * ld + i]
    }
  }
}
