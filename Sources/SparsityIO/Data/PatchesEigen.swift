// The eigendecomposition of a small symmetric matrix by cyclic Jacobi rotations.
import SparsityCore

/// The eigenvalues and eigenvectors of a real symmetric n x n matrix, `A = V diag(values) V^T`.
///
/// Cyclic Jacobi: sweep over every off-diagonal pair (p, q), rotating rows and columns p and q
/// by the angle that zeroes `A[p, q]`, until the off-diagonal Frobenius norm falls below
/// `tolerance` times the matrix's Frobenius norm. Convergence is quadratic; 6-10 sweeps are
/// typical. Meant for small matrices (patch covariances, n <= a few hundred).
///
/// Reference: G. H. Golub and C. F. Van Loan, "Matrix Computations", 4th ed., section 8.5
/// (the classical and cyclic Jacobi methods).
public struct SymmetricEigendecomposition: Sendable {
  /// The dimension n.
  public let dimension: Int
  /// The eigenvalues, largest first.
  public let values: [Double]
  /// The eigenvectors as the columns of a row-major n x n matrix: column k goes with `values[k]`.
  public let vectors: [Double]
  /// The number of sweeps performed.
  public let sweeps: Int
  /// False when `maximumSweeps` ran out before the tolerance was met (the result is still usable).
  public let converged: Bool

  /// Decomposes the symmetric row-major `matrix` of size `dimension` x `dimension`.
  ///
  /// Only symmetry up to rounding is assumed; the upper triangle is what the rotations zero.
  /// - Complexity: O(sweeps * n^3).
  public init(symmetric matrix: [Double], dimension n: Int, tolerance: Double = 1e-14, maximumSweeps: Int = 100) {
    precondition(
      matrix.count == n * n, "SymmetricEigendecomposition: \(n)x\(n) needs \(n * n) values, got \(matrix.count)")
    var a = matrix
    var v = [Double](repeating: 0, count: n * n)
    for i in 0..<n { v[i * n + i] = 1 }
    let total = a.reduce(0) { $0 + $1 * $1 }
    var sweeps = 0
    var converged = false
    while sweeps < maximumSweeps {
      if Self.offDiagonalSquares(a, n) <= tolerance * tolerance * total {
        converged = true
        break
      }
      sweeps += 1
      for p in 0..<n {
        for q in (p + 1)..<max(p + 1, n) { Self.rotate(&a, &v, n, p, q) }
      }
    }
    if !converged { converged = Self.offDiagonalSquares(a, n) <= tolerance * tolerance * total }
    let order = (0..<n).sorted { a[$0 * n + $0] > a[$1 * n + $1] }
    dimension = n
    values = order.map { a[$0 * n + $0] }
    vectors = (0..<(n * n)).map { v[($0 / n) * n + order[$0 % n]] }
    self.sweeps = sweeps
    self.converged = converged
  }

  /// The sum of squares of the off-diagonal entries.
  private static func offDiagonalSquares(_ a: [Double], _ n: Int) -> Double {
    var sum = 0.0
    for i in 0..<n { for j in 0..<n where i != j { sum += a[i * n + j] * a[i * n + j] } }
    return sum
  }

  /// Applies `A <- J^T A J`, `V <- V J` for the rotation J in plane (p, q) that zeroes `A[p, q]`.
  private static func rotate(_ a: inout [Double], _ v: inout [Double], _ n: Int, _ p: Int, _ q: Int) {
    let apq = a[p * n + q]
    guard apq != 0 else { return }
    let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
    let c = 1 / (t * t + 1).squareRoot()
    let s = t * c
    for k in 0..<n {
      let (akp, akq) = (a[k * n + p], a[k * n + q])
      a[k * n + p] = c * akp - s * akq
      a[k * n + q] = s * akp + c * akq
    }
    for k in 0..<n {
      let (apk, aqk) = (a[p * n + k], a[q * n + k])
      a[p * n + k] = c * apk - s * aqk
      a[q * n + k] = s * apk + c * aqk
      let (vkp, vkq) = (v[k * n + p], v[k * n + q])
      v[k * n + p] = c * vkp - s * vkq
      v[k * n + q] = s * vkp + c * vkq
    }
  }
}
