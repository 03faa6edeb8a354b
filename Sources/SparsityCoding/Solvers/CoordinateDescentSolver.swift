/// Cyclic coordinate descent for one sample's Lasso, 0.5 ||x - a D||^2 + lambda ||a||_1
/// (a >= 0 when positive), on the Gram matrix (Friedman, Hastie & Tibshirani 2010, with the
/// covariance updates of their section 2.2).
///
/// Coordinate j moves to a_j = S(q_j + G_jj a_j, lambda) / G_jj, where q = c - G a is kept
/// up to date with row j of G after each change. One full sweep over all atoms is followed by
/// sweeps over the active set (the nonzeros) until its largest change is below
/// sqrt(tolerance) times the largest coefficient; then a full sweep again. After each full
/// sweep the duality gap is checked (on q recomputed exactly) against tolerance * 0.5 ||x||^2.
/// - Complexity: O(atoms) per coordinate that moves, O(atoms) per one that does not.
struct CoordinateDescentSolver: SampleSolver {
  let maxIterations: Int
  let tolerance: Double
  private var a: [Double], q: [Double], active: [Int] = []

  init(atoms: Int, maxIterations: Int, tolerance: Double) {
    precondition(maxIterations >= 0, "coordinateDescent: maxIterations \(maxIterations) < 0")
    self.maxIterations = maxIterations
    self.tolerance = tolerance
    a = [Double](repeating: 0, count: atoms)
    q = a
  }

  mutating func solve(_ s: SampleLasso) -> SampleSolution {
    for j in a.indices {
      a[j] = 0
      q[j] = s.correlation[j]
    }
    let target = tolerance * 0.5 * s.squaredNorm
    let stable = max(tolerance, 1e-16).squareRoot()
    var sweeps = 0
    while sweeps < maxIterations {
      _ = sweep(s, over: 0..<s.atoms)
      sweeps += 1
      s.residualCorrelation(a, into: &q)
      if s.dualityGap(a, residualCorrelation: q) <= target {
        return SampleSolution(code: a, iterations: sweeps, converged: true)
      }
      active = a.indices.filter { a[$0] != 0 }
      while sweeps < maxIterations {
        let change = sweep(s, over: active)
        sweeps += 1
        let largest = active.reduce(0.0) { max($0, abs(a[$1])) }
        if change <= stable * largest { break }
      }
    }
    s.residualCorrelation(a, into: &q)
    let converged = s.dualityGap(a, residualCorrelation: q) <= target
    return SampleSolution(code: a, iterations: sweeps, converged: converged)
  }

  /// One pass over `coordinates`; returns the largest absolute change.
  private mutating func sweep<C: Collection<Int>>(_ s: SampleLasso, over coordinates: C) -> Double {
    var largest = 0.0
    let n = s.atoms
    for j in coordinates {
      let diagonal = s.gram[j * n + j]
      guard diagonal > 0 else { continue }
      let old = a[j]
      let new = s.shrink(q[j] + diagonal * old, threshold: s.lambda) / diagonal
      let delta = new - old
      guard delta != 0 else { continue }
      a[j] = new
      let row = s.gram.baseAddress! + j * n
      q.withUnsafeMutableBufferPointer { q in
        for i in 0..<n { q[i] -= delta * row[i] }
      }
      largest = max(largest, abs(delta))
    }
    return largest
  }
}
