/// ISTA and FISTA for one sample's Lasso, 0.5 ||x - a D||^2 + lambda ||a||_1 (a >= 0 when
/// positive), in Gram form: the gradient at y is G y - c, the step 1/L.
///
/// FISTA (Beck & Teboulle 2009) extrapolates y = a_k + (t_k - 1)/t_{k+1} (a_k - a_{k-1}) and
/// restarts the momentum (t = 1, y = a_k) whenever (y - a_k).(a_k - a_{k-1}) > 0, the gradient
/// restart of O'Donoghue & Candes (2015). Stops when the duality gap <= tolerance * 0.5 ||x||^2:
/// checked every iteration for ISTA (free, since y = a) and every `gapInterval` for FISTA.
/// - Complexity: O(atoms * nonzeros(y)) per iteration.
struct ProximalGradientSolver: SampleSolver {
  let lipschitz: Double
  let maxIterations: Int
  let tolerance: Double
  let accelerated: Bool
  let gapInterval = 10
  private var a: [Double], previous: [Double], y: [Double], q: [Double]

  init(atoms: Int, lipschitz: Double, maxIterations: Int, tolerance: Double, accelerated: Bool) {
    precondition(maxIterations >= 0, "ista/fista: maxIterations \(maxIterations) < 0")
    self.lipschitz = lipschitz
    self.maxIterations = maxIterations
    self.tolerance = tolerance
    self.accelerated = accelerated
    a = [Double](repeating: 0, count: atoms)
    (previous, y, q) = (a, a, a)
  }

  mutating func solve(_ s: SampleLasso) -> SampleSolution {
    for j in a.indices {
      a[j] = 0
      y[j] = 0
    }
    let target = tolerance * 0.5 * s.squaredNorm
    guard lipschitz > 0 else { return SampleSolution(code: a, iterations: 0, converged: true) }
    let step = 1 / lipschitz
    let threshold = s.lambda / lipschitz
    var t = 1.0
    for k in 0..<maxIterations {
      s.residualCorrelation(y, into: &q)  // q = -gradient at y
      if !accelerated && s.dualityGap(a, residualCorrelation: q) <= target {
        return SampleSolution(code: a, iterations: k, converged: true)
      }
      swap(&a, &previous)
      for j in a.indices { a[j] = s.shrink(y[j] + step * q[j], threshold: threshold) }
      if accelerated {
        t = extrapolate(t)
        if (k + 1) % gapInterval == 0 && gapIsSmall(s, target: target) {
          return SampleSolution(code: a, iterations: k + 1, converged: true)
        }
      } else {
        for j in a.indices { y[j] = a[j] }
      }
    }
    return SampleSolution(code: a, iterations: maxIterations, converged: gapIsSmall(s, target: target))
  }

  /// Sets y for the next FISTA step (with adaptive restart) and returns the next t.
  private mutating func extrapolate(_ t: Double) -> Double {
    var restartTest = 0.0
    for j in a.indices { restartTest += (y[j] - a[j]) * (a[j] - previous[j]) }
    if restartTest > 0 {
      for j in a.indices { y[j] = a[j] }
      return 1
    }
    let next = (1 + (1 + 4 * t * t).squareRoot()) / 2
    let beta = (t - 1) / next
    for j in a.indices { y[j] = a[j] + beta * (a[j] - previous[j]) }
    return next
  }

  private mutating func gapIsSmall(_ s: SampleLasso, target: Double) -> Bool {
    s.residualCorrelation(a, into: &q)
    return s.dualityGap(a, residualCorrelation: q) <= target
  }
}
