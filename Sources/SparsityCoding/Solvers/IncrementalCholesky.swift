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
    let appended = factor.withUnsafeMutableBufferPointer { buffer -> Bool in
      let l = buffer.baseAddress!, row = l + k * ld
      var squared = diagonal
      for i in 0..<k {
        let v = (column(i) - dotProduct(l + i * ld, row, count: i)) / l[i * ld + i]
        row[i] = v
        squared -= v * v
      }
      guard squared > 1e-10 * max(diagonal, 1e-300) else { return false }
      row[k] = squared.squareRoot()
      return true
    }
    guard appended else { return false }
    size += 1
    return appended
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
    b.withUnsafeMutableBufferPointer { b in
      for i in 0..<size { forwardEntry(i, b.baseAddress!) }
      backSubstitute(b.baseAddress!)
    }
  }

  /// Entry i of the forward substitution L y = b, in place: y_i = (b_i - L[i, :i] . y[:i]) / L_ii,
  /// with y[:i] already in place. Solving one new entry after an `append` costs O(k).
  func forwardEntry(_ i: Int, _ b: UnsafeMutablePointer<Double>) {
    precondition(i < size, "IncrementalCholesky.forwardEntry: \(i) out of 0..<\(size)")
    factor.withUnsafeBufferPointer { buffer in
      let row = buffer.baseAddress! + i * capacity
      b[i] = (b[i] - dotProduct(row, b, count: i)) / row[i]
    }
  }

  /// Solves L^T x = y in place on the first `size` entries at `b`, column-oriented: each step
  /// is an axpy over a contiguous row of L.
  func backSubstitute(_ b: UnsafeMutablePointer<Double>) {
    let ld = capacity, n = size
    factor.withUnsafeBufferPointer { buffer in
      let l = buffer.baseAddress!
      for i in stride(from: n - 1, through: 0, by: -1) {
        let row = l + i * ld
        let x = b[i] / row[i]
        b[i] = x
        let minusX = -x
        for j in 0..<i { b[j].addProduct(minusX, row[j]) }
      }
    }
  }
}

/// x . y over `count` entries with four independent SIMD accumulators (the order of the sum
/// differs from a left-to-right loop by rounding only), so that it vectorizes.
@inline(__always)
func dotProduct(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count: Int) -> Double {
  var acc0 = SIMD4<Double>(), acc1 = SIMD4<Double>()
  var i = 0
  let rx = UnsafeRawPointer(x), ry = UnsafeRawPointer(y)
  while i + 8 <= count {
    acc0 += rx.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
      * ry.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
    acc1 += rx.loadUnaligned(fromByteOffset: i * 8 + 32, as: SIMD4<Double>.self)
      * ry.loadUnaligned(fromByteOffset: i * 8 + 32, as: SIMD4<Double>.self)
    i += 8
  }
  var sum = (acc0 + acc1).sum()
  while i < count { sum += x[i] * y[i]; i += 1 }
  return sum
}
