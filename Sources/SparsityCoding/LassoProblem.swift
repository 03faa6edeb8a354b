import SparsityCore

/// A dictionary prepared for Lasso coding: the dictionary, its Gram matrix and its step size.
///
/// Convention (as everywhere in SparsityCoding): X is samples x features, the dictionary D is
/// atoms x features with unit-norm rows, codes A are samples x atoms, and X ~= A D. For one
/// sample x (a row of X) the Lasso objective is
///
///     0.5 * ||x - a D||^2 + lambda * ||a||_1        (optionally subject to a >= 0).
///
/// The Gram matrix G = D D^T is computed once here (BLAS `ssyrk`, O(atoms^2 features), exactly
/// symmetric whatever the BLAS kernel: the solvers read its rows and columns as one) and reused by
/// every solver, which then work on G and the correlations c = D x^T alone: each iteration
/// costs O(atoms^2) at most, independent of the number of features. Solvers run in `Double`
/// on these (Float-computed) quantities so that different solvers agree to ~1e-9.
public struct LassoProblem: Sendable {
  /// The dictionary D, atoms x features, unit-norm rows.
  public let dictionary: Tensor
  /// G = D D^T, atoms x atoms, row-major, exactly symmetric.
  public let gram: [Double]
  /// The same G in `Float`, in which it was computed (every entry is exact, so it is as
  /// symmetric as `gram`): half the memory
  /// traffic for the solvers' row sweeps, which widen each entry to `Double` as they read it.
  let singleGram: [Float]
  /// The largest eigenvalue of G (power iteration, seeded), inflated by 1% so that 1/L is a
  /// safe ISTA/FISTA step: the Lipschitz constant of the gradient of 0.5 ||x - a D||^2.
  /// NaN when the problem was prepared with `stepSize: false` (for solvers that need no step).
  public let lipschitzConstant: Double

  /// The number of atoms (rows of the dictionary).
  public var atoms: Int { dictionary.rows }
  /// The number of features (columns of the dictionary).
  public var features: Int { dictionary.columns }

  /// Prepares `dictionary` (atoms x features, rows of unit norm within `normTolerance`).
  /// `stepSize: false` skips the power iteration for the Lipschitz constant, which only ISTA
  /// and FISTA use (measured at about 18% of dictionary learning with LARS codes).
  /// - Complexity: O(atoms^2 features) for G, plus O(atoms^2) per power iteration.
  public init(dictionary: Tensor, normTolerance: Float = 1e-3, stepSize: Bool = true) {
    precondition(
      dictionary.rank == 2, "LassoProblem: dictionary must be atoms x features, shape is \(dictionary.shape)")
    for atom in 0..<dictionary.rows {
      var norm: Float = 0
      for j in 0..<dictionary.columns {
        let v = dictionary[atom, j]
        norm += v * v
      }
      precondition(
        abs(norm.squareRoot() - 1) <= normTolerance,
        "LassoProblem: dictionary row \(atom) has norm \(norm.squareRoot()), expected 1")
    }
    self.dictionary = dictionary
    let g = Tensor.gram(dictionary)
    self.gram = g.scalars.map(Double.init)
    self.singleGram = g.scalars
    self.lipschitzConstant = stepSize ? 1.01 * largestEigenvalue(symmetric: gram, size: dictionary.rows) : .nan
  }

  /// The correlations C = X D^T (samples x atoms), one BLAS `sgemm`.
  public func correlations(_ samples: Tensor) -> Tensor {
    precondition(
      samples.rank == 2 && samples.columns == features,
      "LassoProblem.correlations: samples \(samples.shape), dictionary \(dictionary.shape)")
    return Tensor.matmul(samples, dictionary, transposeB: true)
  }

  /// The Lasso objective 0.5 ||x - a D||^2 + lambda ||a||_1 of each sample (row) and code.
  public func objectives(codes: Tensor, samples: Tensor, lambda: Float) -> [Double] {
    perSample(codes: codes, samples: samples, lambda: lambda, positive: false) {
      $0.objective($1, residualCorrelation: $2)
    }
  }

  /// The Lasso duality gap of each sample and code: primal minus the dual objective at the
  /// dual point theta = s r (r = x - a D), with s = min(1, lambda / ||D r||_inf), or with
  /// max_j (D r)_j in place of the inf-norm when `positive`. Always >= 0 (up to rounding), and
  /// 0 exactly at the optimum. Reference: scikit-learn `_cd_fast.pyx` (enet duality gap).
  public func dualityGaps(codes: Tensor, samples: Tensor, lambda: Float, positive: Bool = false) -> [Double] {
    perSample(codes: codes, samples: samples, lambda: lambda, positive: positive) {
      $0.dualityGap($1, residualCorrelation: $2)
    }
  }

  private func perSample(
    codes: Tensor, samples: Tensor, lambda: Float, positive: Bool,
    _ body: (SampleLasso, [Double], [Double]) -> Double
  ) -> [Double] {
    precondition(
      codes.rank == 2 && codes.rows == samples.rows && codes.columns == atoms,
      "LassoProblem: codes \(codes.shape) for samples \(samples.shape) and \(atoms) atoms")
    let c = correlations(samples)
    let n = samples.rows
    let m = atoms
    var q = [Double](repeating: 0, count: m)
    var values = [Double](repeating: 0, count: n)
    withSampleBuilder(samples: samples, correlations: c, lambda: Double(lambda), positive: positive) {
      (builder: SampleLassoBuilder) -> Void in
      Scratch.withBuffer(of: Double.self, count: m) { (buffer: UnsafeMutablePointer<Double>) -> Void in
        for i in 0..<n {
          let sample: SampleLasso = builder.sample(i, buffer: buffer)
          var a = [Double](repeating: 0, count: m)
          for j in 0..<m { a[j] = Double(codes.scalars[i * m + j]) }
          sample.residualCorrelation(a, into: &q)
          values[i] = body(sample, a, q)
        }
      }
    }
    return values
  }

  /// Calls `body` with a builder of per-sample problems over `samples` and their correlations
  /// C = X D^T; the buffers it borrows are valid only inside `body`.
  func withSampleBuilder<Result>(
    samples: Tensor, correlations: Tensor, lambda: Double, positive: Bool, _ body: (SampleLassoBuilder) -> Result
  ) -> Result {
    precondition(
      correlations.rows == samples.rows && correlations.columns == atoms && samples.columns == features,
      "LassoProblem: correlations \(correlations.shape) for samples \(samples.shape)")
    let (m, f) = (atoms, features)
    return gram.withUnsafeBufferPointer { (gram: UnsafeBufferPointer<Double>) -> Result in
      singleGram.withUnsafeBufferPointer { (single: UnsafeBufferPointer<Float>) -> Result in
        correlations.scalars.withUnsafeBufferPointer { (c: UnsafeBufferPointer<Float>) -> Result in
          samples.scalars.withUnsafeBufferPointer { (x: UnsafeBufferPointer<Float>) -> Result in
            let builder = SampleLassoBuilder(
              gram: gram, singleGram: single, correlations: c, samples: x, atoms: m,
              features: f, lambda: lambda, positive: positive)
            return body(builder)
          }
        }
      }
    }
  }
}

/// The largest eigenvalue of a symmetric positive semidefinite matrix by power iteration from a
/// seeded random start (Golub & Van Loan, Matrix Computations, 7.3.1).
/// - Complexity: O(size^2) per iteration, at most 500 iterations.
func largestEigenvalue(symmetric matrix: [Double], size: Int, seed: UInt64 = 0x5EED) -> Double {
  guard size > 0 else { return 0 }
  var generator = Xoshiro256StarStar(seed: seed)
  var v = (0..<size).map { _ in Double(generator.normal()) }
  var w = [Double](repeating: 0, count: size)
  var estimate = 0.0
  for _ in 0..<500 {
    var norm = 0.0
    for x in v { norm += x * x }
    norm = norm.squareRoot()
    guard norm > 0 else { return 0 }
    for i in 0..<size { v[i] /= norm }
    for i in 0..<size {
      var sum = 0.0
      for j in 0..<size { sum += matrix[i * size + j] * v[j] }
      w[i] = sum
    }
    var rayleigh = 0.0
    for i in 0..<size { rayleigh += v[i] * w[i] }
    swap(&v, &w)
    if abs(rayleigh - estimate) <= 1e-10 * abs(rayleigh) { return rayleigh }
    estimate = rayleigh
  }
  return estimate
}
