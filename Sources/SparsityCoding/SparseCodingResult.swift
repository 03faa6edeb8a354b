import SparsityCore

/// The codes of a batch and how each sample's solve went.
///
/// Convention: X is samples x features, D is atoms x features, `codes` A is samples x atoms,
/// X ~= A D.
public struct SparseCodingResult: Sendable {
  /// A, samples x atoms.
  public var codes: Tensor
  /// Iterations (sweeps for coordinate descent, path steps for LARS, atoms chosen for OMP, 0
  /// for thresholding) each sample used.
  public var iterations: [Int]
  /// Whether each sample met its stopping rule (false: hit maxIterations or a degenerate step).
  public var converged: [Bool]
  /// Per sample, 0.5 ||x - a D||^2 + lambda ||a||_1 (lambda = 0 for OMP), accumulated in Double
  /// at the solver's Double code, before `codes` are rounded to Float.
  public var objectives: [Double]
  /// Per sample, the Lasso duality gap at lambda (see `LassoProblem.dualityGaps`); nil for OMP,
  /// which solves no Lasso.
  public var dualityGaps: [Double]?

  /// The number of samples whose solve did not converge.
  public var nonConvergedCount: Int { converged.lazy.filter { !$0 }.count }
}
