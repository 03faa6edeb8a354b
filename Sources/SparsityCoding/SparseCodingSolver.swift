/// The algorithm `sparseEncode` uses for each sample, with its parameters.
///
/// Convention: X is samples x features, the dictionary D is atoms x features with unit-norm
/// rows, codes A are samples x atoms, X ~= A D. The Lasso solvers (ISTA, FISTA, coordinate
/// descent, LARS) minimize, per sample x,
///
///     0.5 * ||x - a D||^2 + lambda * ||a||_1        (subject to a >= 0 when `positive`),
///
/// and the iterative ones stop when the duality gap is at most `tolerance * 0.5 ||x||^2`
/// or after `maxIterations`; non-convergence is reported in the result, never thrown.
public enum SparseCodingSolver: Sendable, Equatable {
  /// Proximal gradient (ISTA) with step 1/L, L the largest eigenvalue of G = D D^T.
  /// O(atoms * nonzeros) per iteration. Reference: Daubechies, Defrise & De Mol (2004).
  case ista(lambda: Float, maxIterations: Int = 1000, tolerance: Float = 1e-4, positive: Bool = false)
  /// Accelerated proximal gradient (FISTA, Beck & Teboulle 2009) with gradient-based adaptive
  /// restart (O'Donoghue & Candes 2015). O(atoms^2) per iteration.
  case fista(lambda: Float, maxIterations: Int = 1000, tolerance: Float = 1e-4, positive: Bool = false)
  /// Cyclic coordinate descent on the Gram matrix with an active set (Friedman, Hastie &
  /// Tibshirani 2010). An iteration is one sweep (over all atoms or over the active set).
  case coordinateDescent(lambda: Float, maxIterations: Int = 1000, tolerance: Float = 1e-4, positive: Bool = false)
  /// The LARS-Lasso homotopy (Efron, Hastie, Johnstone & Tibshirani 2004), followed exactly
  /// from lambda_max down to `lambda`, with Cholesky updates and downdates of G_AA.
  case lars(lambda: Float, positive: Bool = false)
  /// Orthogonal matching pursuit (Pati, Rezaiifar & Krishnaprasad 1993) in its Gram form
  /// (Batch-OMP, Rubinstein, Zibulevsky & Elad 2008): minimizes ||x - a D||^2 subject to
  /// ||a||_0 <= `nonzeros`, stopping early when ||x - a D||^2 <= `tolerance`. With neither
  /// given, nonzeros = max(1, features / 10) as in scikit-learn.
  case orthogonalMatchingPursuit(nonzeros: Int?, tolerance: Float? = nil)
  /// Soft thresholding of the correlations, a = S_lambda(x D^T) (a = max(x D^T - lambda, 0)
  /// when `positive`): one product, the cheap baseline; exact only for an orthogonal D.
  case threshold(lambda: Float, positive: Bool = false)
}

extension SparseCodingSolver {
  /// The Lasso weight, 0 for OMP.
  var lambda: Float {
    switch self {
    case .ista(let lambda, _, _, _), .fista(let lambda, _, _, _),
      .coordinateDescent(let lambda, _, _, _), .lars(let lambda, _), .threshold(let lambda, _):
      return lambda
    case .orthogonalMatchingPursuit: return 0
    }
  }

  /// Whether codes are constrained to be nonnegative.
  var positive: Bool {
    switch self {
    case .ista(_, _, _, let p), .fista(_, _, _, let p), .coordinateDescent(_, _, _, let p),
      .lars(_, let p), .threshold(_, let p):
      return p
    case .orthogonalMatchingPursuit: return false
    }
  }

  /// True for the solvers that step by 1 / `LassoProblem.lipschitzConstant` (ISTA, FISTA).
  public var needsStepSize: Bool {
    switch self {
    case .ista, .fista: return true
    default: return false
    }
  }

  /// A fresh solver with its own buffers, one per thread.
  func makeSampleSolver(for problem: LassoProblem) -> any SampleSolver {
    let n = problem.atoms
    switch self {
    case .ista(_, let iterations, let tolerance, _), .fista(_, let iterations, let tolerance, _):
      precondition(
        problem.lipschitzConstant.isFinite,
        "SparseCodingSolver: ISTA/FISTA need a LassoProblem prepared with stepSize: true")
      if case .fista = self {
        return ProximalGradientSolver(
          atoms: n, lipschitz: problem.lipschitzConstant, maxIterations: iterations,
          tolerance: Double(tolerance), accelerated: true)
      }
      return ProximalGradientSolver(
        atoms: n, lipschitz: problem.lipschitzConstant, maxIterations: iterations,
        tolerance: Double(tolerance), accelerated: false)
    case .coordinateDescent(_, let iterations, let tolerance, _):
      return CoordinateDescentSolver(atoms: n, maxIterations: iterations, tolerance: Double(tolerance))
    case .lars:
      return MixedPrecisionLARSSolver(atoms: n, maxActive: min(n, problem.features))
    case .orthogonalMatchingPursuit(let nonzeros, let tolerance):
      let cap = min(n, problem.features)
      let limit = nonzeros ?? (tolerance == nil ? max(1, problem.features / 10) : cap)
      precondition(limit >= 0, "orthogonalMatchingPursuit: nonzeros \(limit) < 0")
      return OrthogonalMatchingPursuitSolver(
        atoms: n, maxActive: min(limit, cap), tolerance: tolerance.map(Double.init))
    case .threshold:
      return ThresholdSolver()
    }
  }
}
