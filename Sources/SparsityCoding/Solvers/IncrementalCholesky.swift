/// The Cholesky factor L (lower triangular, L L^T = G_AA) of a growing and shrinking Gram
/// submatrix, as LARS and OMP need it.
///
/// Appending an atom solves one triangular system (O(k^2)); removing the atom at position p
/// deletes row and column p and restores the factor with a rank-one update of the trailing
/// block by the removed column (Golub & Van Loan, Matrix Computations, 6.5.4): O(k^2).
///
/// Storage: L row-major with stride `capacity`, and a copy of L column-major (the rows of
/// L^T), so that both triangular solves run column-oriented: each step is an axpy over a
/// contiguous row of one copy, with no reduction on the dependency chain (measured: the
/// row-oriented forward solve of `append` was ~12% of a LARS solve). The reciprocals 1 / L_ii
/// are kept too, so the solves multiply instead of divide.
struct IncrementalCholesky {
  let capacity: Int
  private(set) var size = 0
  /// L[i, j] at i * capacity + j (j <= i).
  private var factor: [Double]
  /// L[i, j] at j * capacity + i (i >= j): column j of L is contiguous.
  private var columns: [Double]
  /// 1 / L_ii for i < size.
  private var inverseDiagonal: [Double]
  private var scratch: [Double]

  init(capacity: Int) {
    self.capacity = capacity
    factor = [Double](repeating: 0, count: capacity * capacity)
    columns = factor
    inverseDiagonal = [Double](repeating: 0, count: capacity)
    scratch = [Double](repeating: 0, count: capacity)
  }

  mutating func reset() { size = 0 }

  /// Appends a row and column: `column(i)` = G[A_i, new] for i < size, `diagonal` = G[new, new].
  /// Returns false (and changes nothing) when the new atom is numerically dependent on the
  /// active ones or the factor is full.
  mutating func append(diagonal: Double, column: (Int) -> Double) -> Bool {
    guard size < capacity else { return false }
    let k = size
    let ld = capacity
    // The new row l solves L l = G[A, new], column-oriented on the column-major copy.
    let inverse = columns.withUnsafeBufferPointer { columns in
      inverseDiagonal.withUnsafeBufferPointer { inverseDiagonal in
        factor.withUnsafeMutableBufferPointer { buffer -> Double? in
          let row = buffer.baseAddress! + k * ld
          let c = columns.baseAddress!
          let r = inverseDiagonal.baseAddress!
          for i in 0..<k { row[i] = column(i) }
          var squared = diagonal
          // Entry i + 1 is updated first and kept in a register: the dependency chain from one
          // entry to the next is a multiply and a multiply-add, not a store and a load.
          var next = k > 0 ? row[0] : 0
          for i in 0..<k {
            let v = next * r[i]
            row[i] = v
            squared -= v * v
            let minusV = -v
            let lower = c + i * ld
            if i + 1 < k { next = row[i + 1] + minusV * lower[i + 1] }
            for j in (i + 2)..<max(i + 2, k) { row[j] += minusV * lower[j] }
          }
          guard squared > 1e-10 * max(diagonal, 1e-300) else { return nil }
          let root = squared.squareRoot()
          row[k] = root
          return 1 / root
        }
      }
    }
    guard let inverse else { return false }
    inverseDiagonal[k] = inverse
    for i in 0...k { columns[i * ld + k] = factor[k * ld + i] }
    size += 1
    return true
  }

  /// Removes the atom at position `p` (0 ..< size).
  mutating func remove(at p: Int) {
    precondition(p >= 0 && p < size, "IncrementalCholesky.remove: \(p) out of 0..<\(size)")
    let ld = capacity
    let n = size
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
      let c = r / lkk
      let s = scratch[k] / lkk
      factor[k * ld + k] = r
      inverseDiagonal[k] = 1 / r
      for i in (k + 1)..<max(k + 1, size) {
        factor[i * ld + k] = (factor[i * ld + k] + s * scratch[i]) / c
        scratch[i] = c * scratch[i] - s * factor[i * ld + k]
      }
    }
    // Rows p..<size of L changed (shifted or updated): refresh them in the column-major copy.
    for i in p..<size {
      for j in 0...i { columns[j * ld + i] = factor[i * ld + j] }
    }
  }

  /// Solves L L^T x = b in place on the first `size` entries of `b`.
  func solve(_ b: inout [Double]) {
    b.withUnsafeMutableBufferPointer { b in
      forwardSubstitute(b.baseAddress!, from: 0)
      backSubstitute(b.baseAddress!)
    }
  }

  /// Entries start ..< size of the forward substitution L y = b, in place, with y[:start]
  /// already in place: column-oriented over the column-major copy (an axpy per column).
  func forwardSubstitute(_ b: UnsafeMutablePointer<Double>, from start: Int) {
    let ld = capacity
    let n = size
    columns.withUnsafeBufferPointer { columns in
      inverseDiagonal.withUnsafeBufferPointer { inverse in
        let c = columns.baseAddress!
        let r = inverse.baseAddress!
        for i in 0..<n {
          if i >= start { b[i] *= r[i] }
          let minusV = -b[i]
          let lower = c + i * ld
          for j in max(i + 1, start)..<max(i + 1, start, n) { b[j] += minusV * lower[j] }
        }
      }
    }
  }

  /// Entry i of the forward substitution L y = b, in place: y_i = (b_i - L[i, :i] . y[:i]) / L_ii,
  /// with y[:i] already in place. Solving one new entry after an `append` costs O(k).
  func forwardEntry(_ i: Int, _ b: UnsafeMutablePointer<Double>) {
    precondition(i < size, "IncrementalCholesky.forwardEntry: \(i) out of 0..<\(size)")
    factor.withUnsafeBufferPointer { buffer in
      let row = buffer.baseAddress! + i * capacity
      b[i] = (b[i] - dotProduct(row, b, count: i)) * inverseDiagonal[i]
    }
  }

  /// Solves L^T x = y in place on the first `size` entries at `b`, column-oriented: each step
  /// is an axpy over contiguous rows of L, two rows per pass (half the loads and stores of b).
  func backSubstitute(_ b: UnsafeMutablePointer<Double>) {
    let ld = capacity
    factor.withUnsafeBufferPointer { buffer in
      inverseDiagonal.withUnsafeBufferPointer { inverse in
        let l = buffer.baseAddress!
        let r = inverse.baseAddress!
        var i = size - 1
        while i >= 1 {
          let upper = l + i * ld
          let lower = l + (i - 1) * ld
          let x = b[i] * r[i]
          let y = (b[i - 1] - x * upper[i - 1]) * r[i - 1]
          b[i] = x
          b[i - 1] = y
          let (minusX, minusY) = (-x, -y)
          for j in 0..<(i - 1) {
            var v = b[j]
            v += minusX * upper[j]
            v += minusY * lower[j]
            b[j] = v
          }
          i -= 2
        }
        if i == 0 { b[0] *= r[0] }
      }
    }
  }
}

/// x . y over `count` entries with four independent SIMD accumulators (the order of the sum
/// differs from a left-to-right loop by rounding only), so that it vectorizes.
@inline(__always)
func dotProduct(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count: Int) -> Double {
  var acc0 = SIMD4<Double>()
  var acc1 = SIMD4<Double>()
  var i = 0
  let rx = UnsafeRawPointer(x)
  let ry = UnsafeRawPointer(y)
  while i + 8 <= count {
    acc0 +=
      rx.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
      * ry.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
    acc1 +=
      rx.loadUnaligned(fromByteOffset: i * 8 + 32, as: SIMD4<Double>.self)
      * ry.loadUnaligned(fromByteOffset: i * 8 + 32, as: SIMD4<Double>.self)
    i += 8
  }
  var sum = (acc0 + acc1).sum()
  while i < count {
    sum += x[i] * y[i]
    i += 1
  }
  return sum
}
