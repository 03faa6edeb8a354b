/// The LARS-Lasso homotopy with its path followed in single precision and its end point solved
/// and checked in double: the same minimizer of 0.5 ||x - a D||^2 + lambda ||a||_1 (a >= 0 when
/// positive) as `LARSSolver`, at about half the memory traffic per step.
///
/// The path (Efron, Hastie, Johnstone & Tibshirani 2004; see `LARSSolver`) only has to find the
/// active set A and the signs s at mu = lambda; the code is then fixed by them:
///
///     a_A = G_AA^{-1} (c_A - lambda s_A),   a_j = 0 off A.
///
/// So the O(atoms) and O(atoms k) parts of each step, u = G_{:,A} w, the join search and
/// q <- q - gamma u, run in `Float` (16 SIMD lanes, G read as stored), while the Cholesky
/// factor of G_AA and w = G_AA^{-1} s_A stay in `Double`. At the end a_A is solved in Double
/// from the factor, and the result is accepted only if it is a Lasso optimum to Double
/// accuracy: sign(a_A) = s_A (a_A >= 0 when positive), and, with q = c - G a recomputed
/// exactly, |q_j| <= lambda (1 + 1e-9) off A (q_j <= ... when positive). Otherwise, and when
/// the Float path stops early (a dependent atom, the step cap), the sample is solved again by
/// the Double `LARSSolver`. Float rounding can only move an event by ~1e-7, so that happens
/// only for samples with an atom within ~1e-6 of the threshold (measured: `fallbackCount`).
/// - Complexity: O(atoms k + k^2) per step with k active atoms, as `LARSSolver`.
final class MixedPrecisionLARSSolver: SampleSolver {
  let atoms: Int
  let maxSteps: Int
  /// The samples this solver handed to the Double `LARSSolver`.
  private(set) var fallbackCount = 0
  private let exact: LARSSolver
  private var cholesky: IncrementalCholesky
  /// Padded to a multiple of 16 entries: q, u, and `blocked` (1 for an atom that may not join
  /// this step, also for the padding).
  private let paddedAtoms: Int
  private let q, u, blocked: UnsafeMutablePointer<Float>
  /// a (atoms) in Double; exact q for the final check (atoms).
  private let a, check: UnsafeMutablePointer<Double>
  /// Per active position: w and its Float copy, z = L^{-1} s_A, the signs, the atoms.
  private let w, z, signs: UnsafeMutablePointer<Double>
  private let singleW: UnsafeMutablePointer<Float>
  private let activeAtoms: UnsafeMutablePointer<Int>
  private var activeCount = 0

  init(atoms: Int, maxActive: Int) {
    self.atoms = atoms
    maxSteps = max(16, 8 * atoms)
    exact = LARSSolver(atoms: atoms, maxActive: maxActive)
    let capacity = max(1, maxActive)
    cholesky = IncrementalCholesky(capacity: capacity)
    paddedAtoms = max(16, (atoms + 15) / 16 * 16)
    q = .allocate(capacity: paddedAtoms)
    u = .allocate(capacity: paddedAtoms)
    blocked = .allocate(capacity: paddedAtoms)
    a = .allocate(capacity: max(1, atoms))
    check = .allocate(capacity: max(1, atoms))
    w = .allocate(capacity: capacity)
    z = .allocate(capacity: capacity)
    signs = .allocate(capacity: capacity)
    singleW = .allocate(capacity: capacity)
    activeAtoms = .allocate(capacity: capacity)
  }

  deinit {
    q.deallocate()
    u.deallocate()
    blocked.deallocate()
    a.deallocate()
    check.deallocate()
    w.deallocate()
    z.deallocate()
    signs.deallocate()
    singleW.deallocate()
    activeAtoms.deallocate()
  }

  private enum Event {
    case reachLambda
    case join(Int)
    case leave(Int)
  }

  func solve(_ s: SampleLasso) -> SampleSolution {
    precondition(s.atoms == atoms, "MixedPrecisionLARSSolver: sample has \(s.atoms) atoms, solver \(atoms)")
    if let steps = path(s), refineAndCheck(s) {
      return SampleSolution(
        code: Array(UnsafeBufferPointer(start: a, count: atoms)), iterations: steps, converged: true)
    }
    fallbackCount += 1
    return exact.solve(s)
  }

  /// `solve`, writing q = c - G a to `q`: copied from the final check, which computed it
  /// exactly in Double (recomputed only after a fallback).
  func solve(_ s: SampleLasso, residualCorrelation q: UnsafeMutablePointer<Double>) -> SampleSolution {
    precondition(s.atoms == atoms, "MixedPrecisionLARSSolver: sample has \(s.atoms) atoms, solver \(atoms)")
    if let steps = path(s), refineAndCheck(s) {
      q.update(from: check, count: atoms)
      return SampleSolution(
        code: Array(UnsafeBufferPointer(start: a, count: atoms)), iterations: steps, converged: true)
    }
    fallbackCount += 1
    let solution = exact.solve(s)
    solution.code.withUnsafeBufferPointer { s.residualCorrelation($0.baseAddress!, into: q) }
    return solution
  }

  /// Follows the path in Float to mu = lambda; returns its steps, or nil when it stopped early.
  private func path(_ s: SampleLasso) -> Int? {
    let n = atoms
    var (first, mu) = (-1, 0.0)
    for j in 0..<n {
      a[j] = 0
      q[j] = Float(s.correlation[j])
      u[j] = 0
      blocked[j] = 0
      let v = s.positive ? s.correlation[j] : abs(s.correlation[j])
      if v > mu { (first, mu) = (j, v) }
    }
    for j in n..<paddedAtoms {
      q[j] = 0
      u[j] = 0
      blocked[j] = 1
    }
    activeCount = 0
    cholesky.reset()
    if mu <= s.lambda { return 0 }
    guard join(first, s) else { return nil }
    var justLeft = -1
    for step in 1...maxSteps {
      direction(s)
      if justLeft >= 0 { blocked[justLeft] = 1 }
      let (gamma, event) = nextEvent(s, mu: mu)
      if justLeft >= 0 { blocked[justLeft] = 0 }
      for i in 0..<activeCount { a[activeAtoms[i]] += gamma * w[i] }
      let minusGamma = Float(-gamma)
      for j in 0..<paddedAtoms { q[j] += minusGamma * u[j] }
      mu -= gamma
      justLeft = -1
      switch event {
      case .reachLambda:
        return step
      case .join(let j):
        guard join(j, s) else { return nil }
      case .leave(let position):
        justLeft = activeAtoms[position]
        leave(position)
      }
    }
    return nil
  }

  /// a_A = G_AA^{-1} (c_A - lambda s_A) in Double, then the optimality check described above.
  private func refineAndCheck(_ s: SampleLasso) -> Bool {
    let n = atoms
    let k = activeCount
    let g = s.singleGram.baseAddress!
    for i in 0..<k { w[i] = s.correlation[activeAtoms[i]] - s.lambda * signs[i] }
    cholesky.forwardSubstitute(w, from: 0)
    cholesky.backSubstitute(w)
    for i in 0..<k {
      let v = w[i]
      if s.positive ? v < 0 : v * signs[i] < 0 { return false }
      a[activeAtoms[i]] = v
    }
    for j in 0..<n { check[j] = s.correlation[j] }
    for i in 0..<k {
      let minusA = -w[i]
      let row = g + activeAtoms[i] * n
      for j in 0..<n { check[j] += minusA * Double(row[j]) }
    }
    let limit = s.lambda * (1 + 1e-9)
    for j in 0..<n where a[j] == 0 {
      if (s.positive ? check[j] : abs(check[j])) > limit { return false }
    }
    return true
  }

  /// w = G_AA^{-1} s_A (Double, back substitution from the kept z = L^{-1} s_A) and, in Float,
  /// u = G_{:,A} w over rows of the symmetric G, four rows per pass.
  private func direction(_ s: SampleLasso) {
    let n = atoms
    let k = activeCount
    let g = s.singleGram.baseAddress!
    for j in 0..<n { u[j] = 0 }
    guard k > 0 else { return }
    for i in 0..<k { w[i] = z[i] }
    cholesky.backSubstitute(w)
    for i in 0..<k { singleW[i] = Float(w[i]) }
    let vectorEnd = n / 16 * 16
    var i = 0
    while i + 4 <= k {  // four rows per pass, 16 lanes (explicit: LLVM picks 8 by default)
      let (w0, w1, w2, w3) = (singleW[i], singleW[i + 1], singleW[i + 2], singleW[i + 3])
      let r0 = g + activeAtoms[i] * n
      let r1 = g + activeAtoms[i + 1] * n
      let r2 = g + activeAtoms[i + 2] * n
      let r3 = g + activeAtoms[i + 3] * n
      var j = 0
      while j < vectorEnd {
        var v = load16(u, j)
        v += w0 * load16(r0, j)
        v += w1 * load16(r1, j)
        v += w2 * load16(r2, j)
        v += w3 * load16(r3, j)
        UnsafeMutableRawPointer(u + j).storeBytes(of: v, as: SIMD16<Float>.self)
        j += 16
      }
      for t in vectorEnd..<n {
        var v = u[t]
        v += w0 * r0[t]
        v += w1 * r1[t]
        v += w2 * r2[t]
        v += w3 * r3[t]
        u[t] = v
      }
      i += 4
    }
    while i < k {
      let wi = singleW[i]
      let row = g + activeAtoms[i] * n
      for j in 0..<n { u[j] += wi * row[j] }
      i += 1
    }
  }

  /// The step length to the first event and the event.
  private func nextEvent(_ s: SampleLasso, mu: Double) -> (Double, Event) {
    var gamma = mu - s.lambda
    var event = Event.reachLambda
    let (best, atom) = firstJoin(mu: mu, positive: s.positive)
    if best < gamma { (gamma, event) = (best, .join(atom)) }
    for i in 0..<activeCount {  // a_i + g w_i = 0 at g = -a_i / w_i > 0: divide only for a new minimum
      let (ai, wi) = (a[activeAtoms[i]], w[i])
      if ai * wi < 0 && abs(ai) < gamma * abs(wi) { (gamma, event) = (-ai / wi, .leave(i)) }
    }
    return (gamma, event)
  }

  /// The earliest join, as `LARSSolver.firstJoin` but in Float: per atom the smaller positive
  /// fraction of (mu - q_j) / (1 - u_j) and (mu + q_j) / (1 + u_j), compared by
  /// cross-multiplication in 16 lanes, ties to the lower index. Returns (g, j) or (infinity, -1).
  private func firstJoin(mu: Double, positive: Bool) -> (Double, Int) {
    var bestN = SIMD16<Float>(repeating: 1)
    var bestD = SIMD16<Float>()
    var bestIndex = SIMD16<Float>(repeating: -1)
    let muV = SIMD16<Float>(repeating: Float(mu))
    let zero = SIMD16<Float>()
    let tiny = SIMD16<Float>(repeating: 1e-7)
    var index = SIMD16<Float>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    var j = 0
    while j < paddedAtoms {
      let uj = load16(u, j)
      let qj = load16(q, j)
      let open = load16(blocked, j) .== zero
      var numerator = muV - qj
      var denominator = 1 - uj
      var valid = open .& (denominator .> tiny) .& (numerator .> zero)
      if !positive {
        let downN = muV + qj
        let downD = 1 + uj
        let down = open .& (downD .> tiny) .& (downN .> zero)
        let takeDown = down .& (.!valid .| (downN * denominator .< numerator * downD))
        numerator.replace(with: downN, where: takeDown)
        denominator.replace(with: downD, where: takeDown)
        valid .|= down
      }
      let better = valid .& (numerator * bestD .< bestN * denominator)
      bestN.replace(with: numerator, where: better)
      bestD.replace(with: denominator, where: better)
      bestIndex.replace(with: index, where: better)
      j += 16
      index += 16
    }
    // The lanes' minimum by one vector division (lanes without a candidate give 1 / 0 = inf),
    // ties to the lower atom; only the winner's fraction is divided again, in Double.
    let ratio = bestN / bestD
    let smallest = ratio.min()
    guard smallest.isFinite else { return (.infinity, -1) }
    var (lane, atom) = (0, Int.max)
    for l in 0..<16 where ratio[l] == smallest {
      let t = Int(bestIndex[l])
      if t < atom { (lane, atom) = (l, t) }
    }
    return (Double(bestN[lane]) / Double(bestD[lane]), atom)
  }

  @inline(__always)
  private func load16(_ p: UnsafePointer<Float>, _ j: Int) -> SIMD16<Float> {
    UnsafeRawPointer(p + j).loadUnaligned(as: SIMD16<Float>.self)
  }

  @inline(__always)
  private func load16(_ p: UnsafeMutablePointer<Float>, _ j: Int) -> SIMD16<Float> {
    UnsafeRawPointer(p + j).loadUnaligned(as: SIMD16<Float>.self)
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
    for i in position..<activeCount { z[i] = signs[i] }  // rows of L from `position` on changed
    cholesky.forwardSubstitute(z, from: position)
  }
}
