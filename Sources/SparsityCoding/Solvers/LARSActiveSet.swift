/// The active set of the LARS-Lasso homotopy (Efron, Hastie, Johnstone & Tibshirani 2004,
/// section 3.1) and the code along the path, in `Double`, shared by `LARSSolver` and
/// `MixedPrecisionLARSSolver`.
///
/// On the path of minimizers of 0.5 ||x - a D||^2 + mu ||a||_1 the active correlations are
/// q_A = mu s_A, and the code moves along w = G_AA^{-1} s_A: a_A <- a_A + gamma w. Kept here:
/// the active atoms A, their signs s_A, the Cholesky factor L of G_AA (updated on a join,
/// downdated on a leave), z = L^{-1} s_A entry by entry (so each step needs only the back
/// substitution w = L^{-T} z), w, and the code a.
/// - Complexity: join O(k^2), leave O(k^2), direction O(k^2), with k active atoms.
final class LARSActiveSet {
  /// How `firstLeave` tests g = -a_i / w_i < gamma. The two forms agree except when g is within
  /// rounding of gamma (or a_i w_i underflows); each solver keeps the form its codes were
  /// recorded with (`LARSCharacterizationTests`).
  enum LeaveTest {
    /// g = -a_i / w_i, taken when 0 < g < gamma.
    case dividing
    /// a_i w_i < 0 and |a_i| < gamma |w_i|: divides only for a new minimum.
    case crossMultiplying
  }

  /// How z = L^{-1} s_A is redone from the position of a leave on: one `forwardEntry` (a dot
  /// product) per entry, or one column-oriented `forwardSubstitute`. Same values up to rounding.
  enum ForwardRefresh {
    case entryByEntry
    case substitution
  }

  /// The number of atoms, active or not.
  let atoms: Int
  let leaveTest: LeaveTest
  let refresh: ForwardRefresh
  /// k, the number of active atoms.
  private(set) var count = 0
  /// L L^T = G_AA.
  private var cholesky: IncrementalCholesky
  /// The code a (atoms entries), zero off A.
  private let a: UnsafeMutablePointer<Double>
  /// Per active position i < k: the atom A_i, the sign s_i, z_i and w_i.
  private let indices: UnsafeMutablePointer<Int>
  private let signs, z, w: UnsafeMutablePointer<Double>

  /// The code a, all atoms.
  var code: UnsafeBufferPointer<Double> { UnsafeBufferPointer(start: a, count: atoms) }
  /// The active atoms A, in the order they joined (less those that left).
  var members: UnsafeBufferPointer<Int> { UnsafeBufferPointer(start: indices, count: count) }
  /// w = G_AA^{-1} s_A per active position, after `solveDirection`.
  var direction: UnsafeBufferPointer<Double> { UnsafeBufferPointer(start: w, count: count) }

  init(atoms: Int, capacity: Int, leaveTest: LeaveTest, refresh: ForwardRefresh) {
    self.atoms = atoms
    self.leaveTest = leaveTest
    self.refresh = refresh
    let capacity = max(1, capacity)
    cholesky = IncrementalCholesky(capacity: capacity)
    a = .allocate(capacity: max(1, atoms))
    indices = .allocate(capacity: capacity)
    signs = .allocate(capacity: capacity)
    z = .allocate(capacity: capacity)
    w = .allocate(capacity: capacity)
  }

  deinit {
    a.deallocate()
    indices.deallocate()
    signs.deallocate()
    z.deallocate()
    w.deallocate()
  }

  /// Empties the active set and zeroes the code.
  func reset() {
    for j in 0..<atoms { a[j] = 0 }
    count = 0
    cholesky.reset()
  }

  /// Adds atom `j` with sign `sign` (+-1): appends G[j, A] to the factor and solves the new
  /// entry of z. Returns false (and changes nothing) when j is numerically dependent on the
  /// active atoms or the factor is full. `gram` is G, atoms x atoms, row-major.
  func join(_ j: Int, sign: Double, gram: UnsafePointer<Double>) -> Bool {
    let n = atoms
    let active = indices
    guard cholesky.append(diagonal: gram[j * n + j], column: { gram[active[$0] * n + j] }) else { return false }
    indices[count] = j
    signs[count] = sign
    z[count] = sign
    cholesky.forwardEntry(count, z)
    count += 1
    return true
  }

  /// Removes the atom at active position `position` (its coefficient to zero, the factor
  /// downdated) and returns that atom.
  func leave(at position: Int) -> Int {
    let j = indices[position]
    a[j] = 0
    for i in position..<(count - 1) {
      indices[i] = indices[i + 1]
      signs[i] = signs[i + 1]
    }
    count -= 1
    cholesky.remove(at: position)
    // Rows of L from `position` on changed: redo those entries of z = L^{-1} s_A.
    switch refresh {
    case .entryByEntry:
      for i in position..<count {
        z[i] = signs[i]
        cholesky.forwardEntry(i, z)
      }
    case .substitution:
      for i in position..<count { z[i] = signs[i] }
      cholesky.forwardSubstitute(z, from: position)
    }
    return j
  }

  /// w = G_AA^{-1} s_A, by back substitution from the kept z = L^{-1} s_A.
  func solveDirection() {
    guard count > 0 else { return }
    for i in 0..<count { w[i] = z[i] }
    cholesky.backSubstitute(w)
  }

  /// Ends the path at mu = lambda, where A and s_A fix the code: solves
  /// a_A = G_AA^{-1} (c_A - lambda s_A) in `direction` (forward, then back substitution) and
  /// takes it as the code when its signs are s_A (a_A >= 0 when positive). Returns false, the
  /// code left unfinished, when they are not.
  func solveEndPoint(_ s: SampleLasso) -> Bool {
    for i in 0..<count { w[i] = s.correlation[indices[i]] - s.lambda * signs[i] }
    cholesky.forwardSubstitute(w, from: 0)
    cholesky.backSubstitute(w)
    for i in 0..<count {
      let v = w[i]
      if s.positive ? v < 0 : v * signs[i] < 0 { return false }
      a[indices[i]] = v
    }
    return true
  }

  /// a_A <- a_A + gamma w.
  func advance(by gamma: Double) {
    for i in 0..<count { a[indices[i]] += gamma * w[i] }
  }

  /// The first active coefficient to cross zero before step `gamma`: a_i + g w_i = 0 at
  /// g = -a_i / w_i > 0. Returns (g, position) of the smallest such g < gamma (the first in
  /// position order on a tie), or nil.
  func firstLeave(before gamma: Double) -> (Double, Int)? {
    var (best, position) = (gamma, -1)
    switch leaveTest {
    case .dividing:
      for i in 0..<count where w[i] != 0 {
        let g = -a[indices[i]] / w[i]
        if g > 0 && g < best { (best, position) = (g, i) }
      }
    case .crossMultiplying:
      for i in 0..<count {
        let (ai, wi) = (a[indices[i]], w[i])
        if ai * wi < 0 && abs(ai) < best * abs(wi) { (best, position) = (-ai / wi, i) }
      }
    }
    return position >= 0 ? (best, position) : nil
  }
}
