/// Where a `ShiftInvariantLearner` starts.
public enum ShiftInvariantInitialization: Sendable, Equatable {
  /// Segments of L samples of the training signals at seeded random positions, each times a
  /// periodic Hann window and scaled to unit norm (a silent segment becomes noise).
  case signalSegments
  /// Gaussian noise from the seeded generator, each atom scaled to unit norm.
  case noise
}

/// How a `ShiftInvariantLearner` moves the atoms after coding, with the amplitudes a_s and times
/// t_s of the spikes s of atom k held fixed. With r the residual of the coded segments, the
/// gradient of 0.5 ||r||^2 with respect to h_k is -g_k, g_k = sum_{s of k} a_s r[t_s ..< t_s + L].
public enum ShiftInvariantAtomUpdate: Sendable, Equatable {
  /// Smith and Lewicki (2006): h_k += eta g_k for every atom from the same residual, then each
  /// atom is scaled to unit norm. Simple, but the right eta depends on the spike rate and the
  /// signal's scale: sum_s a_s^2 grows with both, and a step too long overshoots.
  case gradient(learningRate: Float)
  /// The exact minimizer of ||r||^2 over h_k alone (block coordinate descent), atoms in turn with
  /// the residual updated after each (Gauss-Seidel): h_k += (A_k + ridge A_k[0, 0] I)^{-1} g_k, where
  /// A_k[i, j] = rho_k(i - j), rho_k(d) = sum over pairs of spikes s, s' of k in one segment with
  /// t_{s'} - t_s = d of a_s a_{s'}, is the Gram matrix of the shifted copies: a symmetric
  /// Toeplitz matrix, solved by Levinson's recursion in O(L^2). When spikes of one atom do not
  /// overlap, A_k = (sum_s a_s^2) I and this is the gradient step with the step length
  /// 1 / sum_s a_s^2 that needs no tuning. `ridge` (relative to A_k[0, 0]) keeps the solve well
  /// conditioned when few spikes overlap much. Each atom is then scaled to unit norm.
  case leastSquares(ridge: Double)
}

/// The settings of a `ShiftInvariantLearner`.
public struct ShiftInvariantLearningSettings: Sendable, Equatable {
  /// K, the number of atoms.
  public var atoms: Int
  /// L, the samples per atom.
  public var atomLength: Int
  /// The samples of each coded training segment (shorter signals are coded whole).
  public var segmentLength: Int
  /// Segments coded per iteration, at seeded random positions (split over the cores).
  public var segmentsPerIteration: Int
  /// Iterations `fit` runs.
  public var iterations: Int
  /// When the pursuit stops coding each segment.
  public var stoppingRule: PursuitStoppingRule
  /// How atoms move after each coding.
  public var update: ShiftInvariantAtomUpdate
  /// Where the atoms start.
  public var initialization: ShiftInvariantInitialization
  /// Replace an atom that no spike used in an iteration by the Hann-windowed L samples of largest
  /// residual energy of a seeded random coded segment.
  public var resampleUnusedAtoms: Bool
  /// After each update, shift every atom (filling with zeros) so that its energy centroid
  /// sum_i i h_i^2 lies within half a sample of the window's center (L - 1) / 2, then scale it to
  /// unit norm. An atom shorter than the window is otherwise free to drift along it (the codes
  /// absorb the shift), and one that drifts to an edge is cut; centering keeps atoms comparable
  /// across runs and whole.
  public var centerAtoms: Bool
  /// The seed of every random choice (initialization, segments, resampling).
  public var seed: UInt64

  /// Settings with the given values; see each property.
  public init(
    atoms: Int, atomLength: Int, segmentLength: Int, segmentsPerIteration: Int = 8, iterations: Int = 50,
    stoppingRule: PursuitStoppingRule, update: ShiftInvariantAtomUpdate = .leastSquares(ridge: 1e-3),
    initialization: ShiftInvariantInitialization = .signalSegments, resampleUnusedAtoms: Bool = true,
    centerAtoms: Bool = true, seed: UInt64 = 0
  ) {
    precondition(atoms >= 1 && atomLength >= 1, "ShiftInvariantLearningSettings: \(atoms) atoms of \(atomLength)")
    precondition(segmentLength >= atomLength, "ShiftInvariantLearningSettings: segments of \(segmentLength) < L")
    precondition(segmentsPerIteration >= 1 && iterations >= 0, "ShiftInvariantLearningSettings: segments, iterations")
    if case .leastSquares(let ridge) = update { precondition(ridge >= 0, "leastSquares: ridge \(ridge) < 0") }
    self.atoms = atoms
    self.atomLength = atomLength
    self.segmentLength = segmentLength
    self.segmentsPerIteration = segmentsPerIteration
    self.iterations = iterations
    self.stoppingRule = stoppingRule
    self.update = update
    self.initialization = initialization
    self.resampleUnusedAtoms = resampleUnusedAtoms
    self.centerAtoms = centerAtoms
    self.seed = seed
  }
}

/// What one learning iteration did, measured on the segments it coded (before the atoms moved).
public struct ShiftInvariantLearningIteration: Sendable, Equatable {
  /// 10 log10(sum of the segments' energies / sum of their residual energies), in decibels.
  public var signalToResidualDecibels: Double
  /// The spikes placed in all segments.
  public var spikes: Int
  /// The atoms replaced because no spike used them.
  public var resampledAtoms: Int
}
