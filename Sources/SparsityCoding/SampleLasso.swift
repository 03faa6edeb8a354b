import SparsityCore

/// The Lasso problem of one sample in Gram form: everything a solver needs, in `Double`.
///
/// With G = D D^T, c = D x^T and the residual correlation q = D r = c - G a (r = x - a D),
///   ||r||^2 = ||x||^2 - a.c - a.q   and   x.r = ||x||^2 - a.c,
/// so objective and duality gap cost O(atoms) once q is known.
struct SampleLasso {
  /// G, atoms x atoms, row-major (shared, read-only).
  let gram: [Double]
  let atoms: Int
  /// c = D x^T.
  let correlation: [Double]
  /// ||x||^2.
  let squaredNorm: Double
  let lambda: Double
  let positive: Bool

  init(problem: LassoProblem, correlations: Tensor, samples: Tensor, index: Int, lambda: Double, positive: Bool) {
    gram = problem.gram
    atoms = problem.atoms
    let n = atoms
    correlation = (0..<n).map { Double(correlations.scalars[index * n + $0]) }
    let f = samples.columns
    var norm = 0.0
    for j in 0..<f { let v = Double(samples.scalars[index * f + j]); norm += v * v }
    squaredNorm = norm
    self.lambda = lambda
    self.positive = positive
  }

  /// q = c - G a, skipping the zero entries of `a`. O(atoms * nonzeros(a)).
  func residualCorrelation(_ a: [Double], into q: inout [Double]) {
    for i in 0..<atoms { q[i] = correlation[i] }
    for j in 0..<atoms where a[j] != 0 {
      let aj = a[j], row = j * atoms
      for i in 0..<atoms { q[i] -= aj * gram[row + i] }
    }
  }

  /// ||x - a D||^2 from q = c - G a, clamped at 0.
  func squaredResidual(_ a: [Double], residualCorrelation q: [Double]) -> Double {
    var ac = 0.0, aq = 0.0
    for j in 0..<atoms where a[j] != 0 { ac += a[j] * correlation[j]; aq += a[j] * q[j] }
    return max(0, squaredNorm - ac - aq)
  }

  /// 0.5 ||x - a D||^2 + lambda ||a||_1.
  func objective(_ a: [Double], residualCorrelation q: [Double]) -> Double {
    var l1 = 0.0
    for v in a { l1 += abs(v) }
    return 0.5 * squaredResidual(a, residualCorrelation: q) + lambda * l1
  }

  /// Primal minus dual objective at the scaled residual (see `LassoProblem.dualityGaps`).
  func dualityGap(_ a: [Double], residualCorrelation q: [Double]) -> Double {
    var dualNorm = 0.0, ac = 0.0
    for j in 0..<atoms {
      dualNorm = max(dualNorm, positive ? q[j] : abs(q[j]))
      ac += a[j] * correlation[j]
    }
    let scale = dualNorm > lambda ? lambda / dualNorm : 1
    let r2 = squaredResidual(a, residualCorrelation: q)
    let dual = scale * (squaredNorm - ac) - 0.5 * scale * scale * r2
    return objective(a, residualCorrelation: q) - dual
  }

  /// The proximal map of t * lambda ||.||_1 (plus the indicator of a >= 0 when `positive`).
  @inline(__always)
  func shrink(_ v: Double, threshold t: Double) -> Double {
    if positive { return max(v - t, 0) }
    return v > t ? v - t : (v < -t ? v + t : 0)
  }
}

/// What a solver returns for one sample.
struct SampleSolution {
  var code: [Double]
  var iterations: Int
  var converged: Bool
}

/// A per-thread solver: holds its own buffers, solves one sample at a time.
protocol SampleSolver {
  mutating func solve(_ sample: SampleLasso) -> SampleSolution
}
