/// The LARS-Lasso homotopy for one sample (Efron, Hastie, Johnstone & Tibshirani 2004,
/// section 3.1 "Lasso modification"): the exact path of minimizers of
/// 0.5 ||x - a D||^2 + mu ||a||_1 (a >= 0 when positive) from mu = max_j |c_j| down to lambda.
///
/// Along the path the active correlations satisfy q_A = mu s_A (q = c - G a, s the signs); the
/// direction is w = G_AA^{-1} s_A, so q moves by -gamma G_{:,A} w. Each step goes to the first
/// event: an inactive atom's |q_j| reaches mu (it joins), an active coefficient crosses zero
/// (it leaves: Cholesky downdate), or mu reaches lambda (done).
/// - Complexity: O(atoms k + k^2) per step with k active atoms.
struct LARSSolver: SampleSolver {
  let maxSteps: Int
  private var cholesky: IncrementalCholesky
  private var a: [Double], q: [Double], u: [Double], w: [Double]
  private var active: [Int] = [], signs: [Double] = [], isActive: [Bool]

  init(atoms: Int, maxActive: Int) {
    maxSteps = max(16, 8 * atoms)
    cholesky = IncrementalCholesky(capacity: max(1, maxActive))
    a = [Double](repeating: 0, count: atoms)
    (q, u) = (a, a)
    w = [Double](repeating: 0, count: max(1, maxActive))
    isActive = [Bool](repeating: false, count: atoms)
  }

  private enum Event { case reachLambda, join(Int), leave(Int) }

  mutating func solve(_ s: SampleLasso) -> SampleSolution {
    let n = s.atoms
    for j in 0..<n { a[j] = 0; q[j] = s.correlation[j]; isActive[j] = false }
    active.removeAll(keepingCapacity: true)
    signs.removeAll(keepingCapacity: true)
    cholesky.reset()
    var (first, mu) = (-1, 0.0)
    for j in 0..<n where (s.positive ? q[j] : abs(q[j])) > mu { (first, mu) = (j, s.positive ? q[j] : abs(q[j])) }
    if mu <= s.lambda { return SampleSolution(code: a, iterations: 0, converged: true) }
    guard join(first, s) else { return SampleSolution(code: a, iterations: 0, converged: false) }
    var justLeft = -1
    for step in 1...maxSteps {
      direction(s)
      let (gamma, event) = nextEvent(s, mu: mu, excluding: justLeft)
      for (i, j) in active.enumerated() { a[j] += gamma * w[i] }
      for j in 0..<n { q[j] -= gamma * u[j] }
      mu -= gamma
      justLeft = -1
      switch event {
      case .reachLambda:
        return SampleSolution(code: a, iterations: step, converged: true)
      case .join(let j):
        guard join(j, s) else { return SampleSolution(code: a, iterations: step, converged: false) }
      case .leave(let position):
        justLeft = active[position]
        leave(position)
      }
    }
    return SampleSolution(code: a, iterations: maxSteps, converged: false)
  }

  /// w = G_AA^{-1} s_A and u = G_{:,A} w.
  private mutating func direction(_ s: SampleLasso) {
    let n = s.atoms
    for i in signs.indices { w[i] = signs[i] }
    cholesky.solve(&w)
    for j in 0..<n { u[j] = 0 }
    for (i, atom) in active.enumerated() {
      let wi = w[i], row = atom * n
      for j in 0..<n { u[j] += wi * s.gram[row + j] }
    }
  }

  /// The step length to the first event and the event.
  private func nextEvent(_ s: SampleLasso, mu: Double, excluding justLeft: Int) -> (Double, Event) {
    var gamma = mu - s.lambda, event = Event.reachLambda
    for j in 0..<s.atoms where !isActive[j] && j != justLeft {
      // q_j - g u_j = +-(mu - g): g = (mu - q_j) / (1 - u_j) or (mu + q_j) / (1 + u_j).
      let up = 1 - u[j], down = 1 + u[j]
      if up > 1e-12 { let g = (mu - q[j]) / up; if g > 0 && g < gamma { (gamma, event) = (g, .join(j)) } }
      if !s.positive && down > 1e-12 {
        let g = (mu + q[j]) / down
        if g > 0 && g < gamma { (gamma, event) = (g, .join(j)) }
      }
    }
    for (i, j) in active.enumerated() where w[i] != 0 {
      let g = -a[j] / w[i]
      if g > 0 && g < gamma { (gamma, event) = (g, .leave(i)) }
    }
    return (gamma, event)
  }

  private mutating func join(_ j: Int, _ s: SampleLasso) -> Bool {
    let n = s.atoms, current = active
    guard cholesky.append(diagonal: s.gram[j * n + j], column: { s.gram[current[$0] * n + j] }) else { return false }
    active.append(j)
    signs.append(q[j] >= 0 ? 1 : -1)
    isActive[j] = true
    return true
  }

  private mutating func leave(_ position: Int) {
    let j = active[position]
    a[j] = 0
    isActive[j] = false
    active.remove(at: position)
    signs.remove(at: position)
    cholesky.remove(at: position)
  }
}
