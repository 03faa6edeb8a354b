/// The LARS-Lasso homotopy for one sample (Efron, Hastie, Johnstone & Tibshirani 2004,
/// section 3.1 "Lasso modification"): the exact path of minimizers of
/// 0.5 ||x - a D||^2 + mu ||a||_1 (a >= 0 when positive) from mu = max_j |c_j| down to lambda.
///
/// Along the path the active correlations satisfy q_A = mu s_A (q = c - G a, s the signs); the
/// direction is w = G_AA^{-1} s_A, so q moves by -gamma G_{:,A} w. Each step goes to the first
/// event: an inactive atom's |q_j| reaches mu (it joins), an active coefficient crosses zero
/// (it leaves: Cholesky downdate), or mu reaches lambda (done).
///
/// Implementation (measured with `perf` on 5,000 x 64 samples, 256 atoms): a per-thread
/// workspace of raw buffers allocated once, so a solve allocates only its returned code;
/// u = G_{:,A} w as multiply-adds over contiguous rows of the symmetric G, read in `Float`
/// (exact, and half the cache traffic of the dominant loop); the join search in 8 SIMD lanes
/// comparing fractions by cross-multiplication (no division per atom); z = L^{-1} s_A kept
/// entry by entry, so each step needs only the back substitution w = L^{-T} z.
/// - Complexity: O(atoms k + k^2) per step with k active atoms.
final class LARSSolver: SampleSolver {
  let maxSteps: Int
  let atoms: Int
  private var cholesky: IncrementalCholesky
  /// a, q, u (n each); w (capacity); `blocked` is 1 for an atom that may not join this step
  /// (active, or just left), else 0.
  private let a, q, u, blocked, w: UnsafeMutablePointer<Double>
  /// z = L^{-1} s_A, the forward half of w = G_AA^{-1} s_A, kept up to date entry by entry.
  private let z: UnsafeMutablePointer<Double>
  private let activeAtoms: UnsafeMutablePointer<Int>
  private let signs: UnsafeMutablePointer<Double>
  private var activeCount = 0

  init(atoms: Int, maxActive: Int) {
    self.atoms = atoms
    maxSteps = max(16, 8 * atoms)
    let capacity = max(1, maxActive)
    cholesky = IncrementalCholesky(capacity: capacity)
    let n = max(1, atoms)
    a = UnsafeMutablePointer<Double>.allocate(capacity: n)
    q = UnsafeMutablePointer<Double>.allocate(capacity: n)
    u = UnsafeMutablePointer<Double>.allocate(capacity: n)
    blocked = UnsafeMutablePointer<Double>.allocate(capacity: n)
    w = UnsafeMutablePointer<Double>.allocate(capacity: capacity)
    z = UnsafeMutablePointer<Double>.allocate(capacity: capacity)
    signs = UnsafeMutablePointer<Double>.allocate(capacity: capacity)
    activeAtoms = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
  }

  deinit {
    a.deallocate()
    q.deallocate()
    u.deallocate()
    blocked.deallocate()
    w.deallocate()
    z.deallocate()
    signs.deallocate()
    activeAtoms.deallocate()
  }

  private enum Event {
    case reachLambda
    case join(Int)
    case leave(Int)
  }

  func solve(_ s: SampleLasso) -> SampleSolution {
    precondition(s.atoms == atoms, "LARSSolver: sample has \(s.atoms) atoms, solver \(atoms)")
    let (steps, converged) = path(s)
    return SampleSolution(
      code: Array(UnsafeBufferPointer(start: a, count: atoms)), iterations: steps, converged: converged)
  }

  /// Follows the path; leaves the code in `a`. Returns (steps, converged).
  private func path(_ s: SampleLasso) -> (Int, Bool) {
    let n = atoms
    var (first, mu) = (-1, 0.0)
    for j in 0..<n {
      a[j] = 0
      q[j] = s.correlation[j]
      blocked[j] = 0
      let v = s.positive ? q[j] : abs(q[j])
      if v > mu { (first, mu) = (j, v) }
    }
    activeCount = 0
    cholesky.reset()
    if mu <= s.lambda { return (0, true) }
    guard join(first, s) else { return (0, false) }
    var justLeft = -1
    for step in 1...maxSteps {
      direction(s)
      if justLeft >= 0 { blocked[justLeft] = 1 }
      let (gamma, event) = nextEvent(s, mu: mu)
      if justLeft >= 0 { blocked[justLeft] = 0 }
      for i in 0..<activeCount { a[activeAtoms[i]] += gamma * w[i] }
      let minusGamma = -gamma
      for j in 0..<n { q[j] += minusGamma * u[j] }
      mu -= gamma
      justLeft = -1
      switch event {
      case .reachLambda:
        return (step, true)
      case .join(let j):
        guard join(j, s) else { return (step, false) }
      case .leave(let position):
        justLeft = activeAtoms[position]
        leave(position)
      }
    }
    return (maxSteps, false)
  }

  /// w = G_AA^{-1} s_A (back substitution from the kept z = L^{-1} s_A) and u = G_{:,A} w,
  /// as multiply-adds over contiguous rows of the symmetric G read in `Float` (exact).
  private func direction(_ s: SampleLasso) {
    let n = atoms
    let k = activeCount
    let g = s.singleGram.baseAddress!
    for j in 0..<n { u[j] = 0 }
    guard k > 0 else { return }
    for i in 0..<k { w[i] = z[i] }
    cholesky.backSubstitute(w)
    var i = 0
    while i + 1 < k {  // two rows per pass: half the loads and stores of u
      let (wa, wb) = (w[i], w[i + 1])
      let (ra, rb) = (g + activeAtoms[i] * n, g + activeAtoms[i + 1] * n)
      for j in 0..<n {
        var v = u[j]
        v += wa * Double(ra[j])
        v += wb * Double(rb[j])
        u[j] = v
      }
      i += 2
    }
    if i < k {
      let wi = w[i]
      let row = g + activeAtoms[i] * n
      for j in 0..<n { u[j] += wi * Double(row[j]) }
    }
  }

  /// The step length to the first event and the event.
  private func nextEvent(_ s: SampleLasso, mu: Double) -> (Double, Event) {
    var gamma = mu - s.lambda
    var event = Event.reachLambda
    let (best, atom) = firstJoin(mu: mu, positive: s.positive)
    if best < gamma { (gamma, event) = (best, .join(atom)) }
    for i in 0..<activeCount where w[i] != 0 {
      let g = -a[activeAtoms[i]] / w[i]
      if g > 0 && g < gamma { (gamma, event) = (g, .leave(i)) }
    }
    return (gamma, event)
  }

  /// The earliest join: inactive j joins when q_j - g u_j = +-(mu - g), at
  /// g = (mu - q_j) / (1 - u_j) or (mu + q_j) / (1 + u_j), counting only positive g. Candidates
  /// are compared as fractions by cross-multiplication in 8 SIMD lanes (no division per atom),
  /// ties to the lower index. Two independent sets of lanes (even and odd blocks of 8 atoms)
  /// keep the running minimum's dependency chain from limiting the loop, and each atom's two
  /// candidates are reduced to one before it meets the running minimum.
  /// Returns (g, j), or (infinity, -1) when no atom can join.
  private func firstJoin(mu: Double, positive: Bool) -> (Double, Int) {
    let n = atoms
    // Per lane of each set, the best fraction so far, n / d (1 / 0: none), and its atom.
    var (n0, d0, i0) = (SIMD8<Double>(repeating: 1), SIMD8<Double>(), SIMD8<Double>(repeating: -1))
    var (n1, d1, i1) = (n0, d0, i0)
    let muV = SIMD8<Double>(repeating: mu)
    let lanes = SIMD8<Double>(0, 1, 2, 3, 4, 5, 6, 7)
    var j = 0
    // n / d < bestN / bestD  <=>  n * bestD < bestN * d (denominators >= 0).
    while j + 16 <= n {
      let a = block(j, mu: muV, positive: positive)
      let b = block(j + 8, mu: muV, positive: positive)
      let betterA = a.valid .& (a.numerator * d0 .< n0 * a.denominator)
      let betterB = b.valid .& (b.numerator * d1 .< n1 * b.denominator)
      n0.replace(with: a.numerator, where: betterA)
      d0.replace(with: a.denominator, where: betterA)
      i0.replace(with: lanes + Double(j), where: betterA)
      n1.replace(with: b.numerator, where: betterB)
      d1.replace(with: b.denominator, where: betterB)
      i1.replace(with: lanes + Double(j + 8), where: betterB)
      j += 16
    }
    if j + 8 <= n {
      let a = block(j, mu: muV, positive: positive)
      let betterA = a.valid .& (a.numerator * d0 .< n0 * a.denominator)
      n0.replace(with: a.numerator, where: betterA)
      d0.replace(with: a.denominator, where: betterA)
      i0.replace(with: lanes + Double(j), where: betterA)
      j += 8
    }
    var (gamma, atom) = (Double.infinity, -1)
    for lane in 0..<16 {  // ties to the lower index
      let (num, den, index) = lane < 8 ? (n0[lane], d0[lane], i0[lane]) : (n1[lane - 8], d1[lane - 8], i1[lane - 8])
      guard den > 0 else { continue }
      let g = num / den
      let t = Int(index)
      if g < gamma || (g == gamma && t < atom) { (gamma, atom) = (g, t) }
    }
    for t in j..<n where blocked[t] == 0 {
      let up = 1 - u[t]
      let down = 1 + u[t]
      if up > 1e-12 {
        let g = (mu - q[t]) / up
        if g > 0 && g < gamma { (gamma, atom) = (g, t) }
      }
      if !positive && down > 1e-12 {
        let g = (mu + q[t]) / down
        if g > 0 && g < gamma { (gamma, atom) = (g, t) }
      }
    }
    return (gamma, atom)
  }

  /// The join candidates of atoms j ..< j + 8 as fractions numerator / denominator
  /// (denominator > 0), the smaller of the up and down crossing per atom (up on a tie), and
  /// which lanes have one.
  @inline(__always)
  private func block(_ j: Int, mu: SIMD8<Double>, positive: Bool)
    -> (numerator: SIMD8<Double>, denominator: SIMD8<Double>, valid: SIMDMask<SIMD8<Int64>>)
  {
    let zero = SIMD8<Double>()
    let tiny = SIMD8<Double>(repeating: 1e-12)
    let uj = load8(u, j)
    let qj = load8(q, j)
    let open = load8(blocked, j) .== zero
    var numerator = mu - qj
    var denominator = 1 - uj
    var valid = open .& (denominator .> tiny) .& (numerator .> zero)
    if !positive {
      let downN = mu + qj
      let downD = 1 + uj
      let down = open .& (downD .> tiny) .& (downN .> zero)
      let takeDown = down .& (.!valid .| (downN * denominator .< numerator * downD))
      numerator.replace(with: downN, where: takeDown)
      denominator.replace(with: downD, where: takeDown)
      valid .|= down
    }
    return (numerator, denominator, valid)
  }

  @inline(__always)
  private func load8(_ p: UnsafeMutablePointer<Double>, _ j: Int) -> SIMD8<Double> {
    UnsafeRawPointer(p + j).loadUnaligned(as: SIMD8<Double>.self)
  }

  private func join(_ j: Int, _ s: SampleLasso) -> Bool {
    let n = atoms
    let active = activeAtoms
    let g = s.gram.baseAddress!
    guard cholesky.append(diagonal: g[j * n + j], column: { g[active[$0] * n + j] }) else { return false }
    activeAtoms[activeCount] = j
    signs[activeCount] = q[j] >= 0 ? 1 : -1
    z[activeCount] = signs[activeCount]
    cholesky.forwardEntry(activeCount, z)
    activeCount += 1
    blocked[j] = 1
    return true
  }

  private func leave(_ position: Int) {
    let j = activeAtoms[position]
    a[j] = 0
    blocked[j] = 0
    for i in position..<(activeCount - 1) {
      activeAtoms[i] = activeAtoms[i + 1]
      signs[i] = signs[i + 1]
    }
    activeCount -= 1
    cholesky.remove(at: position)
    // Rows of L from `position` on changed: redo those entries of z = L^{-1} s_A.
    for i in position..<activeCount {
      z[i] = signs[i]
      cholesky.forwardEntry(i, z)
    }
  }
}
