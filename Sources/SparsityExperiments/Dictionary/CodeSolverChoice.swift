// The sparse coding solver `sparsity code` runs, chosen by name with the options that apply to it.

import SparsityCoding

/// A sparse coding solver chosen by name (`sparsity code --solver`), with the settings that
/// apply to it: lambda, tolerance, iteration cap, OMP's nonzeros and the sign constraint.
public struct CodeSolverChoice: Equatable, Sendable {
  /// The solvers by the names `sparsity code --solver` takes.
  public enum Name: String, CaseIterable, Sendable {
    /// FISTA, the accelerated proximal gradient method (Beck & Teboulle 2009).
    case fista
    /// ISTA, the proximal gradient method.
    case ista
    /// Coordinate descent.
    case cd
    /// LARS-Lasso, the homotopy method (Efron et al. 2004).
    case lars
    /// Orthogonal matching pursuit: a fixed number of atoms per sample.
    case omp
    /// One soft threshold of the correlations.
    case threshold
  }

  /// The solver.
  public var name = Name.fista
  /// The Lasso weight (not used by OMP).
  public var lambda: Float = 0.5
  /// fista, ista, cd: stop at duality gap <= tolerance * 0.5 ||x||^2 (nil: 1e-4); omp: stop at
  /// squared residual <= tolerance (nil: never early).
  public var tolerance: Float?
  /// fista, ista, cd: the iteration cap.
  public var maxIterations = 1000
  /// omp: atoms per sample (nil: max(1, features / 10)).
  public var nonzeros: Int?
  /// Nonnegative codes (not omp).
  public var positive = false

  /// A choice with the given settings; the defaults are those of `sparsity code`.
  public init(
    name: Name = .fista, lambda: Float = 0.5, tolerance: Float? = nil, maxIterations: Int = 1000,
    nonzeros: Int? = nil, positive: Bool = false
  ) {
    self.name = name
    self.lambda = lambda
    self.tolerance = tolerance
    self.maxIterations = maxIterations
    self.nonzeros = nonzeros
    self.positive = positive
  }

  /// The solver these settings name.
  /// - Throws: `ExperimentError.invalidSetting` (for `--positive`) when OMP is asked for
  ///   nonnegative codes.
  public func solver() throws(ExperimentError) -> SparseCodingSolver {
    switch name {
    case .fista:
      return .fista(lambda: lambda, maxIterations: maxIterations, tolerance: tolerance ?? 1e-4, positive: positive)
    case .ista:
      return .ista(lambda: lambda, maxIterations: maxIterations, tolerance: tolerance ?? 1e-4, positive: positive)
    case .cd:
      return .coordinateDescent(
        lambda: lambda, maxIterations: maxIterations, tolerance: tolerance ?? 1e-4, positive: positive)
    case .lars: return .lars(lambda: lambda, positive: positive)
    case .omp:
      if positive { throw .invalidSetting(option: "positive", value: "omp", expected: "supported by omp") }
      return .orthogonalMatchingPursuit(nonzeros: nonzeros, tolerance: tolerance)
    case .threshold: return .threshold(lambda: lambda, positive: positive)
    }
  }
}
