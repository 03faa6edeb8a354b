import SparsityCore

/// The sufficient statistics of online dictionary learning and the dictionary update they
/// drive (Mairal, Bach, Ponce & Sapiro, JMLR 2010, Algorithms 1 and 2).
///
/// Shapes: A is atoms x atoms (the weighted sum of a a^T over the codes seen), B is atoms x
/// features (the weighted sum of a^T x), the dictionary D is atoms x features; all row-major
/// in `Double`. The surrogate the update minimizes over D is
///
///     0.5 tr(D^T A D) - tr(D^T B)        subject to ||d_j|| = 1,
///
/// i.e. the past Lasso losses with the past codes held fixed.
struct DictionaryStatistics {
  let atoms: Int
  let features: Int
  /// A, atoms x atoms.
  var a: [Double]
  /// B, atoms x features.
  var b: [Double]

  /// Zero statistics.
  init(atoms: Int, features: Int) {
    self.atoms = atoms
    self.features = features
    a = [Double](repeating: 0, count: atoms * atoms)
    b = [Double](repeating: 0, count: atoms * features)
  }

  /// A <- beta A + C^T C / eta and B <- beta B + C^T X / eta for the codes C (eta x atoms) of
  /// the batch X (eta x features): `ssyrk` and `sgemm`, O(eta atoms (atoms + features)). A
  /// stays exactly symmetric (C^T C from `Tensor.gram`, then the same operations on both
  /// triangles), as the block-coordinate update reads its rows as its columns.
  mutating func accumulate(codes: Tensor, samples: Tensor, beta: Double) {
    precondition(
      codes.rows == samples.rows && codes.columns == atoms && samples.columns == features,
      "DictionaryStatistics: codes \(codes.shape), samples \(samples.shape)")
    let cc = Tensor.gram(codes, transposeA: true)
    let cx = Tensor.matmul(codes, samples, transposeA: true)
    cc.scalars.withUnsafeBufferPointer { gram in
      cx.scalars.withUnsafeBufferPointer { cross in
        accumulate(gram: gram.baseAddress!, cross: cross.baseAddress!, rows: samples.rows, beta: beta)
      }
    }
  }

  /// A <- beta A + G / rows and B <- beta B + X / rows for a batch's C^T C (`gram`, atoms x
  /// atoms) and C^T X (`cross`, atoms x features) over `rows` samples: the batch's part of
  /// `accumulate(codes:samples:beta:)`, when the products were summed over processes.
  mutating func accumulate(gram: UnsafePointer<Float>, cross: UnsafePointer<Float>, rows: Int, beta: Double) {
    let scale = 1 / Double(max(1, rows))
    for i in a.indices { a[i] = beta * a[i] + scale * Double(gram[i]) }
    for i in b.indices { b[i] = beta * b[i] + scale * Double(cross[i]) }
  }

  /// The mean of the diagonal of A: how much an atom is used on average.
  var meanUsage: Double {
    var sum = 0.0
    for j in 0..<atoms { sum += a[j * atoms + j] }
    return sum / Double(max(1, atoms))
  }

  /// A_jj: the weighted sum of the squared coefficients of atom j.
  func usage(_ j: Int) -> Double { a[j * atoms + j] }

  /// One sweep of block-coordinate descent over the atoms (Algorithm 2): for each j with
  /// A_jj > `floor`,
  ///
  ///     u_j = d_j + (B_j - sum_k A_jk d_k) / A_jj,    d_j = u_j / ||u_j||,
  ///
  /// the exact minimizer over d_j of the surrogate, projected on the unit sphere. (The paper
  /// projects on the ball ||d_j|| <= 1; this package's dictionaries have unit-norm rows, as in
  /// scikit-learn before 1.1.) With `nonnegative`, u_j is first projected on u >= 0 (the
  /// entries below 0 set to 0), as scikit-learn's `positive_dict`. Atoms with A_jj <= floor, or
  /// with u_j = 0, are left unchanged.
  /// - Complexity: O(atoms^2 features), skipping zero entries of A.
  func updateDictionary(_ d: inout [Double], floor: Double, nonnegative: Bool = false) {
    precondition(
      d.count == atoms * features, "DictionaryStatistics.updateDictionary: \(d.count) != \(atoms) x \(features)")
    var u = [Double](repeating: 0, count: features)
    let (m, n) = (features, atoms)
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        d.withUnsafeMutableBufferPointer { d in
          u.withUnsafeMutableBufferPointer { u in
            for j in 0..<n {
              Self.updateAtom(j, a: a, b: b, d: d, u: u, atoms: n, features: m, floor: floor, nonnegative: nonnegative)
            }
          }
        }
      }
    }
  }

  /// One step of `updateDictionary`: atom j from row j of A and B and the other atoms, in `u`.
  @inline(__always)
  private static func updateAtom(
    _ j: Int, a: UnsafeBufferPointer<Double>, b: UnsafeBufferPointer<Double>, d: UnsafeMutableBufferPointer<Double>,
    u: UnsafeMutableBufferPointer<Double>, atoms: Int, features m: Int, floor: Double, nonnegative: Bool
  ) {
    let ajj = a[j * atoms + j]
    guard ajj > floor, let u = u.baseAddress, let d = d.baseAddress, let b = b.baseAddress else { return }
    u.update(from: b + j * m, count: m)
    for k in 0..<atoms {
      let ajk = a[j * atoms + k]
      guard ajk != 0 else { continue }
      let row = d + k * m
      for f in 0..<m { u[f] -= ajk * row[f] }
    }
    var norm = 0.0
    let atom = d + j * m
    for f in 0..<m {
      u[f] = atom[f] + u[f] / ajj
      if nonnegative { u[f] = max(0, u[f]) }
      norm += u[f] * u[f]
    }
    norm = norm.squareRoot()
    guard norm > 0, norm.isFinite else { return }
    for f in 0..<m { atom[f] = u[f] / norm }
  }

  /// Forgets atom j: zero row and column j of A and row j of B (after the atom is replaced).
  mutating func reset(atom j: Int) {
    for k in 0..<atoms {
      a[j * atoms + k] = 0
      a[k * atoms + j] = 0
    }
    for f in 0..<features { b[j * features + f] = 0 }
  }
}
