/// The LARS-Lasso homotopy (`LARSHomotopy`: Efron, Hastie, Johnstone & Tibshirani 2004) in
/// `Double` throughout: the exact path of minimizers of 0.5 ||x - a D||^2 + mu ||a||_1
/// (a >= 0 when positive) from mu = max_j |c_j| down to lambda. The reference twin of
/// `MixedPrecisionLARSSolver`, and its fallback.
///
/// Implementation (measured with `perf` on 5,000 x 64 samples, 256 atoms): a per-thread
/// workspace of raw buffers allocated once, so a solve allocates only its returned code;
/// u = G_{:,A} w as multiply-adds over contiguous rows of the symmetric G, read in `Float`
/// (exact, and half the cache traffic of the dominant loop); the join search in 8 SIMD lanes
/// comparing fractions by cross-multiplication (no division per atom); z = L^{-1} s_A kept
/// entry by entry (`LARSActiveSet`), so each step needs only the back substitution.
/// - Complexity: O(atoms k + k^2) per step with k active atoms.
final class LARSSolver: SampleSolver, LARSHomotopy {
  let atoms: Int
  let active: LARSActiveSet
  /// q, u (atoms each); `blocked` is 1 for an atom that may not join this step (active, or
  /// just left), else 0.
  private let q, u, blocked: UnsafeMutablePointer<Double>

  init(atoms: Int, maxActive: Int) {
    self.atoms = atoms
    active = LARSActiveSet(atoms: atoms, capacity: maxActive, leaveTest: .dividing, refresh: .entryByEntry)
    let n = max(1, atoms)
    q = .allocate(capacity: n)
    u = .allocate(capacity: n)
    blocked = .allocate(capacity: n)
  }

  deinit {
    q.deallocate()
    u.deallocate()
    blocked.deallocate()
  }

  func solve(_ s: SampleLasso) -> SampleSolution {
    precondition(s.atoms == atoms, "LARSSolver: sample has \(s.atoms) atoms, solver \(atoms)")
    let (steps, converged) = followPath(s)
    return SampleSolution(code: Array(active.code), iterations: steps, converged: converged)
  }

  func startCorrelations(_ s: SampleLasso) {
    for j in 0..<atoms {
      q[j] = s.correlation[j]
      blocked[j] = 0
    }
  }

  /// u = G_{:,A} w as multiply-adds over contiguous rows of the symmetric G read in `Float`
  /// (exact), two rows per pass: half the loads and stores of u.
  func directionProducts(_ s: SampleLasso) {
    let n = atoms
    let k = active.count
    let g = s.singleGram.baseAddress!
    let (w, rows) = (active.direction, active.members)
    for j in 0..<n { u[j] = 0 }
    guard k > 0 else { return }
    var i = 0
    while i + 1 < k {
      let (wa, wb) = (w[i], w[i + 1])
      let (ra, rb) = (g + rows[i] * n, g + rows[i + 1] * n)
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
      let row = g + rows[i] * n
      for j in 0..<n { u[j] += wi * Double(row[j]) }
    }
  }

  /// The join search in 8 SIMD lanes, comparing candidates as fractions by cross-multiplication
  /// (no division per atom), ties to the lower index. Two independent sets of lanes (even and
  /// odd blocks of 8 atoms) keep the running minimum's dependency chain from limiting the loop,
  /// and each atom's two candidates are reduced to one before it meets the running minimum.
  func firstJoin(mu: Double, positive: Bool) -> (Double, Int) {
    let n = atoms
    // Per lane of each set, the best fraction so far, n / d (1 / 0: none), and its atom.
    var even = Lanes(numerator: SIMD8(repeating: 1), denominator: SIMD8(), atom: SIMD8(repeating: -1))
    var odd = even
    let muV = SIMD8<Double>(repeating: mu)
    let lanes = SIMD8<Double>(0, 1, 2, 3, 4, 5, 6, 7)
    var j = 0
    while j + 16 <= n {
      keep(block(j, mu: muV, positive: positive), atoms: lanes + Double(j), in: &even)
      keep(block(j + 8, mu: muV, positive: positive), atoms: lanes + Double(j + 8), in: &odd)
      j += 16
    }
    if j + 8 <= n {
      keep(block(j, mu: muV, positive: positive), atoms: lanes + Double(j), in: &even)
      j += 8
    }
    var best = (Double.infinity, -1)
    smallest(even, &best)
    smallest(odd, &best)
    for t in j..<n where blocked[t] == 0 { joinOne(t, mu: mu, positive: positive, &best) }
    return best
  }

  private typealias Lanes = (numerator: SIMD8<Double>, denominator: SIMD8<Double>, atom: SIMD8<Double>)

  /// Keeps the candidates that are smaller: n / d < N / D <=> n D < N d (denominators >= 0).
  @inline(__always)
  private func keep(
    _ c: (numerator: SIMD8<Double>, denominator: SIMD8<Double>, valid: SIMDMask<SIMD8<Int64>>),
    atoms: SIMD8<Double>, in lanes: inout Lanes
  ) {
    let better = c.valid .& (c.numerator * lanes.denominator .< lanes.numerator * c.denominator)
    lanes.numerator.replace(with: c.numerator, where: better)
    lanes.denominator.replace(with: c.denominator, where: better)
    lanes.atom.replace(with: atoms, where: better)
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

  /// Lowers `best` (g, atom) to the smallest fraction in `lanes`, ties to the lower atom.
  private func smallest(_ lanes: Lanes, _ best: inout (Double, Int)) {
    for lane in 0..<8 where lanes.denominator[lane] > 0 {
      let g = lanes.numerator[lane] / lanes.denominator[lane]
      let t = Int(lanes.atom[lane])
      if g < best.0 || (g == best.0 && t < best.1) { best = (g, t) }
    }
  }

  /// Lowers `best` (g, atom) to atom t's join step, if it is smaller.
  private func joinOne(_ t: Int, mu: Double, positive: Bool, _ best: inout (Double, Int)) {
    let up = 1 - u[t]
    let down = 1 + u[t]
    if up > 1e-12 {
      let g = (mu - q[t]) / up
      if g > 0 && g < best.0 { best = (g, t) }
    }
    if !positive && down > 1e-12 {
      let g = (mu + q[t]) / down
      if g > 0 && g < best.0 { best = (g, t) }
    }
  }

  func moveCorrelations(by gamma: Double) {
    let minusGamma = -gamma
    for j in 0..<atoms { q[j] += minusGamma * u[j] }
  }

  func joiningSign(_ j: Int) -> Double { q[j] >= 0 ? 1 : -1 }

  func setBlocked(_ j: Int, _ isBlocked: Bool) { blocked[j] = isBlocked ? 1 : 0 }
}
