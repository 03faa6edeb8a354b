/// The LARS-Lasso homotopy for one sample (Efron, Hastie, Johnstone & Tibshirani 2004,
/// section 3.1 "Lasso modification"): the exact path of minimizers of
/// 0.5 ||x - a D||^2 + mu ||a||_1 (a >= 0 when positive) from mu = max_j |c_j| down to lambda.
///
/// Along the path the active correlations satisfy q_A = mu s_A (q = c - G a, s the signs); the
/// direction is w = G_AA^{-1} s_A, so q moves by -gamma u with u = G_{:,A} w. Each step goes to
/// the first event: an inactive atom's |q_j| reaches mu (it joins), an active coefficient
/// crosses zero (it leaves: Cholesky downdate), or mu reaches lambda (done).
///
/// The path, its events and the active set (`LARSActiveSet`, in `Double`) exist once, in the
/// extension below. A conforming solver supplies only the O(atoms) and O(atoms k) sweeps over
/// q and u, in its own precision: `LARSSolver` in `Double`, `MixedPrecisionLARSSolver` in
/// `Float`. q, u and the blocked flags are the solver's.
protocol LARSHomotopy: AnyObject {
  /// The active set and the code.
  var active: LARSActiveSet { get }
  /// q = c, the correlations of `s`, with every atom free to join.
  func startCorrelations(_ s: SampleLasso)
  /// u = G_{:,A} w for the direction w = `active.direction` (u = 0 when A is empty).
  func directionProducts(_ s: SampleLasso)
  /// The earliest join among the atoms free to join: j joins when q_j - g u_j = +-(mu - g),
  /// at g = (mu - q_j) / (1 - u_j) or (mu + q_j) / (1 + u_j) (only the first when positive),
  /// counting only g > 0; ties to the lower index. Returns (g, j), or (infinity, -1).
  func firstJoin(mu: Double, positive: Bool) -> (Double, Int)
  /// q <- q - gamma u.
  func moveCorrelations(by gamma: Double)
  /// The sign atom j joins with: +1 when q_j >= 0, else -1.
  func joiningSign(_ j: Int) -> Double
  /// Marks atom j as one that may not join (active, or just left), or frees it.
  func setBlocked(_ j: Int, _ isBlocked: Bool)
}

private enum LARSEvent {
  case reachLambda
  case join(Int)
  case leave(position: Int)
}

extension LARSHomotopy {
  /// The step cap, max(16, 8 atoms).
  var maxSteps: Int { max(16, 8 * active.atoms) }

  /// Follows the path from mu = max_j |c_j| (max_j c_j when positive) down to lambda and leaves
  /// the code in `active.code`. Returns the steps taken and whether the path reached lambda
  /// (false: an atom that could not join, being dependent or past the factor's capacity, or
  /// the step cap).
  /// - Complexity: O(atoms k + k^2) per step with k active atoms.
  func followPath(_ s: SampleLasso) -> (steps: Int, converged: Bool) {
    var (first, mu) = start(s)
    if mu <= s.lambda { return (0, true) }
    guard join(first, s) else { return (0, false) }
    var justLeft = -1
    for step in 1...maxSteps {
      active.solveDirection()
      directionProducts(s)
      if justLeft >= 0 { setBlocked(justLeft, true) }
      let (gamma, event) = nextEvent(s, mu: mu)
      if justLeft >= 0 { setBlocked(justLeft, false) }
      active.advance(by: gamma)
      moveCorrelations(by: gamma)
      mu -= gamma
      justLeft = -1
      switch event {
      case .reachLambda:
        return (step, true)
      case .join(let j):
        guard join(j, s) else { return (step, false) }
      case .leave(let position):
        justLeft = active.leave(at: position)
        setBlocked(justLeft, false)
      }
    }
    return (maxSteps, false)
  }

  /// Empties the active set and the code, sets q = c; returns the first atom and mu, the
  /// largest |c_j| (c_j when positive), or (-1, 0) when every c_j is 0 (or negative).
  private func start(_ s: SampleLasso) -> (Int, Double) {
    active.reset()
    startCorrelations(s)
    var (first, mu) = (-1, 0.0)
    for j in 0..<active.atoms {
      let v = s.positive ? s.correlation[j] : abs(s.correlation[j])
      if v > mu { (first, mu) = (j, v) }
    }
    return (first, mu)
  }

  private func join(_ j: Int, _ s: SampleLasso) -> Bool {
    guard active.join(j, sign: joiningSign(j), gram: s.gram.baseAddress!) else { return false }
    setBlocked(j, true)
    return true
  }

  /// The step length to the first event (mu reaching lambda, a join, a leave) and the event.
  private func nextEvent(_ s: SampleLasso, mu: Double) -> (Double, LARSEvent) {
    var gamma = mu - s.lambda
    var event = LARSEvent.reachLambda
    let (best, atom) = firstJoin(mu: mu, positive: s.positive)
    if best < gamma { (gamma, event) = (best, .join(atom)) }
    if let (g, position) = active.firstLeave(before: gamma) { (gamma, event) = (g, .leave(position: position)) }
    return (gamma, event)
  }
}
