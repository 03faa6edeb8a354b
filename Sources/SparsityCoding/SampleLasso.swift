import SparsityCore

/// The Lasso problem of one sample in Gram form: everything a solver needs, in `Double`.
///
/// With G = D D^T, c = D x^T and the residual correlation q = D r = c - G a (r = x - a D),
///   ||r||^2 = ||x||^2 - a.c - a.q   and   x.r = ||x||^2 - a.c,
/// so objective and duality gap cost O(atoms) once q is known.
///
/// G and c are borrowed buffers (the caller keeps them alive while the value is used): the
/// batch driver (`sparseEncode`) fills c for each sample into per-thread scratch, so solving a
/// sample allocates nothing here.
struct SampleLasso {
  /// G, atoms x atoms, row-major (shared, read-only).
  let gram: UnsafeBufferPointer<Double>
  /// G in `Float` (exact: G is computed in Float), for sweeps limited by memory traffic.
  let singleGram: UnsafeBufferPointer<Float>
  let atoms: Int
  /// c = D x^T.
  let correlation: UnsafeBufferPointer<Double>
  /// ||x||^2.
  let squaredNorm: Double
  let lambda: Double
  let positive: Bool

  init(
    gram: UnsafeBufferPointer<Double>, singleGram: UnsafeBufferPointer<Float>,
    correlation: UnsafeBufferPointer<Double>, squaredNorm: Double, lambda: Double, positive: Bool
  ) {
    precondition(
      gram.count == correlation.count * correlation.count && singleGram.count == gram.count,
      "SampleLasso: Gram of \(gram.count) entries for \(correlation.count) atoms")
    self.gram = gram
    self.singleGram = singleGram
    self.atoms = correlation.count
    self.correlation = correlation
    self.squaredNorm = squaredNorm
    self.lambda = lambda
    self.positive = positive
  }

  /// q = c - G a, skipping the zero entries of `a`. O(atoms * nonzeros(a)).
  func residualCorrelation(_ a: [Double], into q: inout [Double]) {
    a.withUnsafeBufferPointer { a in
      q.withUnsafeMutableBufferPointer { q in residualCorrelation(a.baseAddress!, into: q.baseAddress!) }
    }
  }

  /// q = c - G a on raw buffers of `atoms` entries each.
  func residualCorrelation(_ a: UnsafePointer<Double>, into q: UnsafeMutablePointer<Double>) {
    let n = atoms
    let g = gram.baseAddress!
    let c = correlation.baseAddress!
    for i in 0..<n { q[i] = c[i] }
    for j in 0..<n where a[j] != 0 {
      let aj = a[j]
      let row = g + j * n
      for i in 0..<n { q[i] -= aj * row[i] }
    }
  }

  /// ||x - a D||^2 from q = c - G a, clamped at 0.
  func squaredResidual(_ a: [Double], residualCorrelation q: [Double]) -> Double {
    var ac = 0.0
    var aq = 0.0
    for j in 0..<atoms where a[j] != 0 {
      ac += a[j] * correlation[j]
      aq += a[j] * q[j]
    }
    return max(0, squaredNorm - ac - aq)
  }

  /// 0.5 ||x - a D||^2 + lambda ||a||_1.
  func objective(_ a: [Double], residualCorrelation q: [Double]) -> Double {
    var l1 = 0.0
    for v in a { l1 += abs(v) }
    return 0.5 * squaredResidual(a, residualCorrelation: q) + lambda * l1
  }

  /// Primal minus dual objective at the scaled residual (see `LassoProblem.dualityGaps`).
  func dualityGap(_ a: [Double], residualCorrelation q: [Double]) -> Double {
    var dualNorm = 0.0
    var ac = 0.0
    for j in 0..<atoms {
      dualNorm = max(dualNorm, positive ? q[j] : abs(q[j]))
      ac += a[j] * correlation[j]
    }
    let scale = dualNorm > lambda ? lambda / dualNorm : 1
    let r2 = squaredResidual(a, residualCorrelation: q)
    let dual = scale * (squaredNorm - ac) - 0.5 * scale * scale * r2
    return objective(a, residualCorrelation: q) - dual
  }

  /// The proximal map of t * lambda ||.||_1 (plus the indicator of a >= 0 when `positive`).
  /// NaN stays NaN (it fails both comparisons): a sample whose correlations overflowed Float
  /// must give codes that callers see are not finite, never a plausible zero code.
  @inline(__always)
  func shrink(_ v: Double, threshold t: Double) -> Double {
    if positive { return max(v - t, 0) }
    return v > t ? v - t : (v >= -t ? 0 : v + t)
  }
}

/// Builds the `SampleLasso` of each row of a batch: c (Float, from one batch GEMM) widened to
/// Double into a buffer of its own, and ||x||^2 accumulated in Double. One per thread.
struct SampleLassoBuilder {
  let gram: UnsafeBufferPointer<Double>
  let singleGram: UnsafeBufferPointer<Float>
  let correlations: UnsafeBufferPointer<Float>
  let samples: UnsafeBufferPointer<Float>
  let atoms: Int
  let features: Int
  let lambda: Double
  let positive: Bool

  /// The problem of row `index`, with c written to `buffer` (`atoms` entries, owned by the caller).
  func sample(_ index: Int, buffer: UnsafeMutablePointer<Double>) -> SampleLasso {
    let row = correlations.baseAddress! + index * atoms
    for j in 0..<atoms { buffer[j] = Double(row[j]) }
    let x = samples.baseAddress! + index * features
    var norm = 0.0
    for j in 0..<features {
      let v = Double(x[j])
      norm += v * v
    }
    return SampleLasso(
      gram: gram, singleGram: singleGram, correlation: UnsafeBufferPointer(start: buffer, count: atoms),
      squaredNorm: norm,
      lambda: lambda, positive: positive)
  }
}

/// What a solver returns for one sample.
struct SampleSolution {
  var code: [Double]
  var iterations: Int
  var converged: Bool
}

/// A per-thread solver: holds its own buffers, solves one sample at a time.
protocol SampleSolver {
  mutating func solve(_ sample: SampleLasso) -> SampleSolution
  /// Solves and also writes q = c - G a of the returned code to `q` (`atoms` entries), which
  /// the batch driver needs for the objective and the duality gap. The default computes it
  /// after the solve; a solver that already has it exactly (LARS checks it) copies it.
  mutating func solve(_ sample: SampleLasso, residualCorrelation q: UnsafeMutablePointer<Double>) -> SampleSolution
}

extension SampleSolver {
  mutating func solve(_ sample: SampleLasso, residualCorrelation q: UnsafeMutablePointer<Double>) -> SampleSolution {
    let solution = solve(sample)
    solution.code.withUnsafeBufferPointer { sample.residualCorrelation($0.baseAddress!, into: q) }
    return solution
  }
}
