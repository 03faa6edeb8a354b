/// Orthogonal matching pursuit for one sample in Gram form (Pati, Rezaiifar & Krishnaprasad
/// 1993; Batch-OMP of Rubinstein, Zibulevsky & Elad 2008): minimizes ||x - a D||^2 subject
/// to ||a||_0 <= maxActive.
///
/// Each step adds the atom most correlated with the residual, argmax_j |q_j| with
/// q = c - G a, updates the Cholesky factor of G_AA, and solves G_AA a_A = c_A; then
/// ||x - a D||^2 = ||x||^2 - a_A . c_A. Stops at `maxActive` atoms or when that residual is
/// at most `tolerance`. A numerically dependent atom ends the solve unconverged.
/// - Complexity: O(k (atoms k + k^2)) for k atoms.
struct OrthogonalMatchingPursuitSolver: SampleSolver {
  let maxActive: Int
  let tolerance: Double?
  private var cholesky: IncrementalCholesky
  private var active: [Int] = [], isActive: [Bool], coefficients: [Double], q: [Double]

  init(atoms: Int, maxActive: Int, tolerance: Double?) {
    self.maxActive = maxActive
    self.tolerance = tolerance
    cholesky = IncrementalCholesky(capacity: max(1, maxActive))
    isActive = [Bool](repeating: false, count: atoms)
    coefficients = [Double](repeating: 0, count: max(1, maxActive))
    q = [Double](repeating: 0, count: atoms)
  }

  mutating func solve(_ s: SampleLasso) -> SampleSolution {
    let n = s.atoms
    for j in 0..<n {
      isActive[j] = false
      q[j] = s.correlation[j]
    }
    active.removeAll(keepingCapacity: true)
    cholesky.reset()
    var residual = s.squaredNorm
    var converged = true
    while active.count < maxActive && residual > (tolerance ?? 0) {
      let best = Self.largestInactive(q, isActive, count: n)
      guard best >= 0 else { break }  // residual orthogonal to every atom
      let chosen = active
      guard cholesky.append(diagonal: s.gram[best * n + best], column: { s.gram[chosen[$0] * n + best] }) else {
        converged = tolerance == nil ? false : residual <= tolerance!
        break
      }
      active.append(best)
      isActive[best] = true
      for (i, j) in active.enumerated() { coefficients[i] = s.correlation[j] }
      cholesky.solve(&coefficients)
      residual = s.squaredNorm
      for (i, j) in active.enumerated() { residual -= coefficients[i] * s.correlation[j] }
      updateResidualCorrelation(s)
    }
    var code = [Double](repeating: 0, count: n)
    for (i, j) in active.enumerated() { code[j] = coefficients[i] }
    return SampleSolution(code: code, iterations: active.count, converged: converged)
  }

  /// The j < `count` of largest |q_j| > 0 not yet active (the first among ties), or -1.
  private static func largestInactive(_ q: [Double], _ isActive: [Bool], count n: Int) -> Int {
    q.withUnsafeBufferPointer { q in
      isActive.withUnsafeBufferPointer { isActive in
        var best = -1
        var bestValue = 0.0
        for j in 0..<n {
          let value = abs(q[j])
          if value > bestValue && !isActive[j] {
            best = j
            bestValue = value
          }
        }
        return best
      }
    }
  }

  /// q = c - G_{:,A} a_A.
  private mutating func updateResidualCorrelation(_ s: SampleLasso) {
    let n = s.atoms
    let (active, coefficients) = (self.active, self.coefficients)
    q.withUnsafeMutableBufferPointer { q in
      guard let out = q.baseAddress, let c = s.correlation.baseAddress, let gram = s.gram.baseAddress else { return }
      out.update(from: c, count: n)
      for (i, atom) in active.enumerated() {
        let coefficient = coefficients[i]
        let row = gram + atom * n
        for j in 0..<n { out[j] -= coefficient * row[j] }
      }
    }
  }
}
