/// The solution x of T x = b for the symmetric positive definite Toeplitz matrix
/// T[i, j] = column[|i - j|] (n x n, column[0] > 0), by Levinson's recursion in Double: the
/// Yule-Walker solutions y of growing leading blocks update x one row at a time.
///
/// - Complexity: O(n^2) time (4 n^2 flops), O(n) memory, against O(n^3) for a dense solve.
/// Reference: G. H. Golub and C. F. Van Loan, "Matrix Computations", 4th ed., Algorithm 4.7.2;
/// G. Cybenko, "The numerical stability of the Levinson-Durbin algorithm for Toeplitz systems of
/// equations", SIAM J. Sci. Stat. Comput. 1(3), 1980 (stable for positive definite T).
func solveSymmetricToeplitz(column: [Double], _ b: [Double]) -> [Double] {
  let n = b.count
  precondition(
    column.count == n && n >= 1 && column[0] > 0, "solveSymmetricToeplitz: \(column.count) x \(n), T[0,0] > 0")
  let r = column.map { $0 / column[0] }  // unit diagonal
  let rhs = b.map { $0 / column[0] }
  var x = [Double](repeating: 0, count: n)
  x[0] = rhs[0]
  guard n > 1 else { return x }
  var y = [Double](repeating: 0, count: n)
  var scratch = [Double](repeating: 0, count: n)
  y[0] = -r[1]
  var (alpha, beta) = (-r[1], 1.0)
  for k in 1..<n {
    beta *= 1 - alpha * alpha
    var dot = 0.0
    for i in 0..<k { dot += r[i + 1] * x[k - 1 - i] }
    let mu = (rhs[k] - dot) / beta
    for i in 0..<k { x[i] += mu * y[k - 1 - i] }
    x[k] = mu
    guard k < n - 1 else { break }
    dot = 0
    for i in 0..<k { dot += r[i + 1] * y[k - 1 - i] }
    alpha = -(r[k + 1] + dot) / beta
    for i in 0..<k { scratch[i] = y[i] + alpha * y[k - 1 - i] }
    for i in 0..<k { y[i] = scratch[i] }
    y[k] = alpha
  }
  return x
}
