/// The LARS-Lasso homotopy with its path followed in single precision and its end point solved
/// and checked in double: the same minimizer of 0.5 ||x - a D||^2 + lambda ||a||_1 (a >= 0 when
/// positive) as `LARSSolver`, at about half the memory traffic per step.
///
/// The path (Efron, Hastie, Johnstone & Tibshirani 2004; `LARSHomotopy`) only has to find the
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
final class MixedPrecisionLARSSolver: SampleSolver, LARSHomotopy {
  let atoms: Int
  let active: LARSActiveSet
  /// The samples this solver handed to the Double `LARSSolver`.
  private(set) var fallbackCount = 0
  private let exact: LARSSolver
  /// Padded to a multiple of 16 entries: q, u, and `blocked` (1 for an atom that may not join
  /// this step, also for the padding).
  private let paddedAtoms: Int
  private let q, u, blocked: UnsafeMutablePointer<Float>
  /// Exact q = c - G a for the final check (atoms).
  private let check: UnsafeMutablePointer<Double>
  /// w in Float, per active position.
  private let singleW: UnsafeMutablePointer<Float>

  init(atoms: Int, maxActive: Int) {
    self.atoms = atoms
    active = LARSActiveSet(atoms: atoms, capacity: maxActive, leaveTest: .crossMultiplying, refresh: .substitution)
    exact = LARSSolver(atoms: atoms, maxActive: maxActive)
    paddedAtoms = max(16, (atoms + 15) / 16 * 16)
    q = .allocate(capacity: paddedAtoms)
    u = .allocate(capacity: paddedAtoms)
    blocked = .allocate(capacity: paddedAtoms)
    check = .allocate(capacity: max(1, atoms))
    singleW = .allocate(capacity: max(1, maxActive))
  }

  deinit {
    q.deallocate()
    u.deallocate()
    blocked.deallocate()
    check.deallocate()
    singleW.deallocate()
  }

  func solve(_ s: SampleLasso) -> SampleSolution {
    precondition(s.atoms == atoms, "MixedPrecisionLARSSolver: sample has \(s.atoms) atoms, solver \(atoms)")
    return solveInFloat(s) ?? fallBack(s)
  }

  /// `solve`, writing q = c - G a to `q`: copied from the final check, which computed it
  /// exactly in Double (recomputed only after a fallback).
  func solve(_ s: SampleLasso, residualCorrelation q: UnsafeMutablePointer<Double>) -> SampleSolution {
    precondition(s.atoms == atoms, "MixedPrecisionLARSSolver: sample has \(s.atoms) atoms, solver \(atoms)")
    if let solution = solveInFloat(s) {
      q.update(from: check, count: atoms)
      return solution
    }
    let solution = fallBack(s)
    solution.code.withUnsafeBufferPointer { s.residualCorrelation($0.baseAddress!, into: q) }
    return solution
  }

  /// The code from the Float path and the Double end point, or nil when the path stopped early
  /// or the end point failed the check.
  private func solveInFloat(_ s: SampleLasso) -> SampleSolution? {
    let (steps, converged) = followPath(s)
    guard converged, refineAndCheck(s) else { return nil }
    return SampleSolution(code: Array(active.code), iterations: steps, converged: true)
  }

  private func fallBack(_ s: SampleLasso) -> SampleSolution {
    fallbackCount += 1
    return exact.solve(s)
  }

  /// a_A = G_AA^{-1} (c_A - lambda s_A) in Double (`LARSActiveSet.solveEndPoint`, which also
  /// checks its signs), then the check of q = c - G a off A described above.
  private func refineAndCheck(_ s: SampleLasso) -> Bool {
    guard active.solveEndPoint(s) else { return false }
    let n = atoms
    let g = s.singleGram.baseAddress!
    let (w, rows, a) = (active.direction, active.members, active.code)
    for j in 0..<n { check[j] = s.correlation[j] }
    for i in 0..<rows.count {
      let minusA = -w[i]
      let row = g + rows[i] * n
      for j in 0..<n { check[j] += minusA * Double(row[j]) }
    }
    let limit = s.lambda * (1 + 1e-9)
    for j in 0..<n where a[j] == 0 {
      if (s.positive ? check[j] : abs(check[j])) > limit { return false }
    }
    return true
  }

  func startCorrelations(_ s: SampleLasso) {
    for j in 0..<atoms {
      q[j] = Float(s.correlation[j])
      u[j] = 0
      blocked[j] = 0
    }
    for j in atoms..<paddedAtoms {
      q[j] = 0
      u[j] = 0
      blocked[j] = 1
    }
  }

  /// In Float, u = G_{:,A} w over rows of the symmetric G, four rows per pass.
  func directionProducts(_ s: SampleLasso) {
    let n = atoms
    let k = active.count
    let g = s.singleGram.baseAddress!
    let (w, rows) = (active.direction, active.members)
    for j in 0..<n { u[j] = 0 }
    guard k > 0 else { return }
    for i in 0..<k { singleW[i] = Float(w[i]) }
    var i = 0
    while i + 4 <= k {
      addFourRows(
        g + rows[i] * n, g + rows[i + 1] * n, g + rows[i + 2] * n, g + rows[i + 3] * n,
        weights: (singleW[i], singleW[i + 1], singleW[i + 2], singleW[i + 3]))
      i += 4
    }
    while i < k {
      let wi = singleW[i]
      let row = g + rows[i] * n
      for j in 0..<n { u[j] += wi * row[j] }
      i += 1
    }
  }

  /// u += w0 r0 + w1 r1 + w2 r2 + w3 r3 over the atoms, in that order per entry: 16 lanes
  /// (explicit: LLVM picks 8 by default), then the entries short of a vector one by one.
  @inline(__always)
  private func addFourRows(
    _ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>, _ r2: UnsafePointer<Float>, _ r3: UnsafePointer<Float>,
    weights: (Float, Float, Float, Float)
  ) {
    let (w0, w1, w2, w3) = weights
    let vectorEnd = atoms / 16 * 16
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
    for t in vectorEnd..<atoms {
      var v = u[t]
      v += w0 * r0[t]
      v += w1 * r1[t]
      v += w2 * r2[t]
      v += w3 * r3[t]
      u[t] = v
    }
  }

  /// The earliest join, as `LARSSolver.firstJoin` but in Float: per atom the smaller positive
  /// fraction of (mu - q_j) / (1 - u_j) and (mu + q_j) / (1 + u_j), compared by
  /// cross-multiplication in 16 lanes, ties to the lower index. Returns (g, j) or (infinity, -1).
  func firstJoin(mu: Double, positive: Bool) -> (Double, Int) {
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
    return smallest(numerator: bestN, denominator: bestD, atom: bestIndex)
  }

  /// The lanes' minimum by one vector division (lanes without a candidate give 1 / 0 = inf),
  /// ties to the lower atom; only the winner's fraction is divided again, in Double.
  @inline(__always)
  private func smallest(numerator: SIMD16<Float>, denominator: SIMD16<Float>, atom: SIMD16<Float>) -> (Double, Int) {
    let ratio = numerator / denominator
    let smallest = ratio.min()
    guard smallest.isFinite else { return (.infinity, -1) }
    var (lane, best) = (0, Int.max)
    for l in 0..<16 where ratio[l] == smallest {
      let t = Int(atom[l])
      if t < best { (lane, best) = (l, t) }
    }
    return (Double(numerator[lane]) / Double(denominator[lane]), best)
  }

  @inline(__always)
  private func load16(_ p: UnsafePointer<Float>, _ j: Int) -> SIMD16<Float> {
    UnsafeRawPointer(p + j).loadUnaligned(as: SIMD16<Float>.self)
  }

  @inline(__always)
  private func load16(_ p: UnsafeMutablePointer<Float>, _ j: Int) -> SIMD16<Float> {
    UnsafeRawPointer(p + j).loadUnaligned(as: SIMD16<Float>.self)
  }

  func moveCorrelations(by gamma: Double) {
    let minusGamma = Float(-gamma)
    for j in 0..<paddedAtoms { q[j] += minusGamma * u[j] }
  }

  func joiningSign(_ j: Int) -> Double { q[j] >= 0 ? 1 : -1 }

  func setBlocked(_ j: Int, _ isBlocked: Bool) { blocked[j] = isBlocked ? 1 : 0 }
}
