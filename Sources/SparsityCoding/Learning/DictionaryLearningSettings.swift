#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#else
  import Darwin
#endif

/// How the sufficient statistics A = sum a a^T and B = sum a^T x weight past mini-batches.
///
/// At batch t (t = 0, 1, ... batches seen before this one) with codes C (eta x atoms) of the
/// batch X (eta x features), both statistics move as
///
///     A <- beta_t A + C^T C / eta,    B <- beta_t B + C^T X / eta.
///
/// The dictionary update depends on A and B only through B_j - A_j D and A_jj, so a common
/// scale of both does not matter; the 1/eta keeps A the (weighted) mean of a a^T, which makes
/// the unused-atom threshold independent of the batch size.
///
/// Reference: Mairal, Bach, Ponce & Sapiro, "Online Learning for Matrix Factorization and
/// Sparse Coding", JMLR 11 (2010), sections 3.4.2 and 3.4.3.
public enum PastWeighting: Sendable, Equatable {
  /// beta_t = 1: plain sums over all batches, Algorithm 1 of the paper as written.
  case accumulate
  /// beta_t = (1 - 1/(t + 1))^rho (section 3.4.2, "scaling the past data", per mini-batch):
  /// forgets the first, poorly coded batches faster for larger rho; rho = 0 is `accumulate`.
  case power(rho: Double)
  /// The mini-batch rule of section 3.4.3, as in scikit-learn's MiniBatchDictionaryLearning
  /// (`_update_inner_stats`, version >= 1.1): with the nominal batch size eta,
  /// theta = (t + 1) eta while t < eta - 1, else eta^2 + t + 1 - eta, and
  /// beta_t = (theta + 1 - eta) / (theta + 1).
  case miniBatch

  /// beta_t for the batch that follows `batchesSeen` earlier ones, nominal batch size `eta`.
  func beta(batchesSeen t: Int, batchSize eta: Int) -> Double {
    switch self {
    case .accumulate:
      return 1
    case .power(let rho):
      return t == 0 ? 0 : pow(1 - 1 / Double(t + 1), rho)
    case .miniBatch:
      let (t, eta) = (Double(t), Double(eta))
      let theta = t < eta - 1 ? (t + 1) * eta : eta * eta + t + 1 - eta
      return (theta + 1 - eta) / (theta + 1)
    }
  }
}

/// When an atom counts as unused and is replaced (paper section 3.4.4, "purging the dictionary
/// from unused atoms"; scikit-learn resamples when A_jj < 1e-6).
///
/// After the dictionary update of a batch, once more than `warmupBatches` batches have been
/// seen, atom j is replaced by a random sample of the current batch (seeded), normalized, when
///
///     A_jj < relativeThreshold * mean_k A_kk    or    A_jj = 0,
///
/// (so when lambda is so large that every code is zero, every atom is redrawn each batch), and its row and column of A and its row of B are reset to zero. The relative form makes the
/// rule independent of the scale of the data.
public struct AtomResampling: Sendable, Equatable {
  /// The fraction of the mean diagonal of A below which an atom is unused.
  public var relativeThreshold: Double
  /// Batches seen before unused atoms are looked for.
  public var warmupBatches: Int

  /// Resampling below `relativeThreshold` times the mean usage, after `warmupBatches` batches.
  public init(relativeThreshold: Double = 1e-4, warmupBatches: Int = 1) {
    precondition(relativeThreshold >= 0, "AtomResampling: relativeThreshold \(relativeThreshold) < 0")
    precondition(warmupBatches >= 0, "AtomResampling: warmupBatches \(warmupBatches) < 0")
    self.relativeThreshold = relativeThreshold
    self.warmupBatches = warmupBatches
  }
}

/// How `DictionaryLearner.initialize(from:)` chooses the first atoms.
public enum AtomInitialization: Sendable, Equatable {
  /// Distinct samples chosen at random (seeded), scaled to unit norm. Atoms tend to stay close
  /// to such starts: on the digits they remain whole-digit prototypes.
  case samples
  /// Seeded random Gaussian directions (their absolute values with `positiveAtoms`), which
  /// the learning must move all the way: with nonnegative atoms and codes on the digits this
  /// gives strokes (measured; see docs/PERFORMANCE.md, "What the atoms look like").
  case randomDirections
}

/// The settings of a `DictionaryLearner`.
///
/// The Lasso weight lambda and the sign constraint of the codes are those of `solver`.
public struct DictionaryLearningSettings: Sendable, Equatable {
  /// The number of atoms (rows of the dictionary).
  public var atoms: Int
  /// How each mini-batch is coded; its lambda is the lambda of the learned objective.
  public var solver: SparseCodingSolver
  /// Samples per mini-batch in `fit` (the last batch of an epoch may be smaller) and the
  /// nominal eta of `PastWeighting.miniBatch`.
  public var batchSize: Int
  /// The seed of every random choice: initial atoms, epoch shuffles, resampled atoms.
  public var seed: UInt64
  /// How past batches are weighted in A and B.
  public var pastWeighting: PastWeighting
  /// When unused atoms are replaced; nil never replaces them.
  public var resampling: AtomResampling?
  /// Whether `fit` visits the samples in a fresh seeded random order each epoch (otherwise in
  /// order, batch after batch).
  public var shuffle: Bool
  /// Whether the atoms are constrained to be nonnegative (d_j >= 0 entrywise, as
  /// scikit-learn's `positive_dict`): each update is projected on the nonnegative orthant
  /// before the unit sphere. With nonnegative codes on nonnegative data this is a sparse
  /// nonnegative factorization, whose atoms tend to be parts (strokes of digits) rather than
  /// prototypes (Hoyer 2004, "Non-negative matrix factorization with sparseness constraints").
  public var positiveAtoms: Bool
  /// How the first atoms are chosen (`DictionaryLearner.initialize(from:)`).
  public var initialization: AtomInitialization

  /// Settings with every field given.
  public init(
    atoms: Int, solver: SparseCodingSolver, batchSize: Int = 256, seed: UInt64 = 0,
    pastWeighting: PastWeighting = .miniBatch, resampling: AtomResampling? = AtomResampling(),
    shuffle: Bool = true, positiveAtoms: Bool = false, initialization: AtomInitialization = .samples
  ) {
    precondition(atoms >= 1, "DictionaryLearningSettings: atoms \(atoms) < 1")
    precondition(batchSize >= 1, "DictionaryLearningSettings: batchSize \(batchSize) < 1")
    if case .power(let rho) = pastWeighting { precondition(rho >= 0, "PastWeighting.power: rho \(rho) < 0") }
    self.atoms = atoms
    self.solver = solver
    self.batchSize = batchSize
    self.seed = seed
    self.pastWeighting = pastWeighting
    self.resampling = resampling
    self.shuffle = shuffle
    self.positiveAtoms = positiveAtoms
    self.initialization = initialization
  }

  /// The default coder of the codes: LARS-Lasso at `lambda` (exact, and the faster of LARS and
  /// coordinate descent for 256 atoms of 64 features at lambda 0.5 in our measurement).
  public static func defaultSolver(lambda: Float, positive: Bool = false) -> SparseCodingSolver {
    .lars(lambda: lambda, positive: positive)
  }
}
