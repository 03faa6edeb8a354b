import SparsityCore

/// Online (mini-batch) dictionary learning: Mairal, Bach, Ponce & Sapiro, "Online Learning for
/// Matrix Factorization and Sparse Coding", JMLR 11 (2010), Algorithms 1 and 2.
///
/// Convention (as everywhere in SparsityCoding): X is samples x features, the dictionary D is
/// atoms x features with unit-norm rows, codes A are samples x atoms, X ~= A D. The objective is
///
///     min over D, a_i of  (1/n) sum_i 0.5 ||x_i - a_i D||^2 + lambda ||a_i||_1,  ||d_j|| = 1
///
/// (a_i >= 0 when the solver is positive). Each mini-batch is coded with the current D
/// (`sparseEncode`, split over the cores), the codes are folded into the statistics
/// A = sum a a^T (atoms x atoms) and B = sum a^T x (atoms x features) with the weighting of
/// `PastWeighting`, and one sweep of block-coordinate descent moves every atom to the minimizer
/// of the surrogate 0.5 tr(D^T A D) - tr(D^T B), renormalized. Unused atoms are replaced by
/// samples (`AtomResampling`). Solves that do not converge are counted, never thrown.
///
/// `partialFit` consumes one batch (streaming data larger than memory); `fit` runs epochs of
/// seeded shuffles over an in-memory X and calls `partialFit` per batch.
/// - Complexity: per batch of eta samples, one `LassoProblem` (O(atoms^2 features)), the codes
///   (solver cost per sample), the statistics O(eta atoms (atoms + features)) and the update
///   O(atoms^2 features).
public final class DictionaryLearner {
  /// The settings this learner was made with.
  public let settings: DictionaryLearningSettings
  /// The mean Lasso objective of each mini-batch, coded with the dictionary before its update.
  public internal(set) var objectiveHistory: [Double] = []
  /// The mean Lasso objective of all of X after each `fit` epoch (when `fit` evaluates it).
  public internal(set) var epochObjectives: [Double] = []
  /// The mini-batches consumed since the last `initialize`.
  public internal(set) var batchesSeen = 0
  /// The atoms replaced as unused since the last `initialize`.
  public internal(set) var resampledAtomCount = 0
  /// The samples whose sparse code did not converge since the last `initialize`.
  public internal(set) var nonConvergedCodeCount = 0

  var generator: Xoshiro256StarStar
  /// D, atoms x features, row-major, in Double; empty before initialization.
  var atomsStorage: [Double] = []
  var statistics: DictionaryStatistics
  private var cachedProblem: LassoProblem?

  /// A learner with the given settings; call `initialize`, or let the first `fit` or
  /// `partialFit` initialize from its data.
  public init(settings: DictionaryLearningSettings) {
    self.settings = settings
    generator = Xoshiro256StarStar(seed: settings.seed)
    statistics = DictionaryStatistics(atoms: settings.atoms, features: 0)
  }

  /// A learner of `atoms` atoms at Lasso weight `lambda`, coding with `solver` (by default
  /// `DictionaryLearningSettings.defaultSolver(lambda:positive:)`; a given solver must use
  /// the same lambda and sign constraint).
  public convenience init(
    atoms: Int, lambda: Float, positiveCodes: Bool = false, batchSize: Int = 256, seed: UInt64 = 0,
    solver: SparseCodingSolver? = nil, pastWeighting: PastWeighting = .miniBatch,
    resampling: AtomResampling? = AtomResampling(), shuffle: Bool = true, positiveAtoms: Bool = false,
    initialization: AtomInitialization = .samples
  ) {
    let coder = solver ?? DictionaryLearningSettings.defaultSolver(lambda: lambda, positive: positiveCodes)
    precondition(
      coder.lambda == lambda && coder.positive == positiveCodes,
      "DictionaryLearner: solver \(coder) does not match lambda \(lambda), positive \(positiveCodes)")
    self.init(
      settings: DictionaryLearningSettings(
        atoms: atoms, solver: coder, batchSize: batchSize, seed: seed, pastWeighting: pastWeighting,
        resampling: resampling, shuffle: shuffle, positiveAtoms: positiveAtoms, initialization: initialization))
  }

  /// Whether a dictionary exists (after `initialize`, `fit` or `partialFit`).
  public var isInitialized: Bool { !atomsStorage.isEmpty }

  /// The number of features (columns of the dictionary); 0 before initialization.
  public var features: Int { statistics.features }

  /// D, atoms x features, unit-norm rows.
  public var dictionary: Tensor {
    precondition(isInitialized, "DictionaryLearner.dictionary: not initialized")
    return Tensor(shape: [settings.atoms, features], scalars: atomsStorage.map { Float($0) })
  }

  /// The dictionary prepared for coding (Gram matrix, and the step size when the learner's
  /// solver needs one), rebuilt only after the dictionary moves.
  public var problem: LassoProblem {
    if let cachedProblem { return cachedProblem }
    let made = LassoProblem(dictionary: dictionary, stepSize: settings.solver.needsStepSize)
    cachedProblem = made
    return made
  }

  /// Starts over from atoms drawn from `samples` (samples x features) as
  /// `settings.initialization` says: a seeded random choice of distinct samples, each scaled to
  /// unit norm (zero samples, and atoms beyond the number of samples, become random Gaussian
  /// directions), or random directions for all. Resets the statistics, the histories and the
  /// random generator (to the seed), so that a run is reproducible from here.
  /// - Complexity: O(samples + atoms features).
  public func initialize(from samples: Tensor) {
    precondition(
      samples.rank == 2 && samples.columns >= 1,
      "DictionaryLearner.initialize: samples must be samples x features, shape is \(samples.shape)")
    generator = Xoshiro256StarStar(seed: settings.seed)
    let (k, m) = (settings.atoms, samples.columns)
    var d = [Double](repeating: 0, count: k * m)
    if settings.initialization == .samples {
      let chosen = generator.permutation(samples.rows).prefix(k)
      for (j, i) in chosen.enumerated() {
        for f in 0..<m { d[j * m + f] = Double(samples[i, f]) }
      }
    }
    for j in 0..<k { normalizeAtom(j, in: &d, features: m) }
    start(with: d, features: m)
  }

  /// Starts over from the given dictionary (atoms x features, rows rescaled to unit norm; zero
  /// rows become random directions): a warm start. Resets statistics, histories and generator.
  public func initialize(dictionary: Tensor) {
    precondition(
      dictionary.rank == 2 && dictionary.rows == settings.atoms && dictionary.columns >= 1,
      "DictionaryLearner.initialize: dictionary \(dictionary.shape), expected \(settings.atoms) x features")
    generator = Xoshiro256StarStar(seed: settings.seed)
    let m = dictionary.columns
    var d = dictionary.scalars.map { Double($0) }
    for j in 0..<settings.atoms { normalizeAtom(j, in: &d, features: m) }
    start(with: d, features: m)
  }

  private func start(with d: [Double], features m: Int) {
    atomsStorage = d
    statistics = DictionaryStatistics(atoms: settings.atoms, features: m)
    cachedProblem = nil
    objectiveHistory = []
    epochObjectives = []
    (batchesSeen, resampledAtomCount, nonConvergedCodeCount) = (0, 0, 0)
  }

  /// Forgets the prepared problem after the dictionary moved.
  func invalidateProblem() { cachedProblem = nil }

  /// Scales atom j of `d` to unit norm, or replaces it by a random Gaussian direction when it
  /// is zero (or not finite). With `settings.positiveAtoms`, negative entries are set to 0
  /// first (and a random direction is |Gaussian|).
  func normalizeAtom(_ j: Int, in d: inout [Double], features m: Int) {
    let positive = settings.positiveAtoms
    var norm = 0.0
    for f in 0..<m {
      if positive { d[j * m + f] = max(0, d[j * m + f]) }
      norm += d[j * m + f] * d[j * m + f]
    }
    while !(norm > 0 && norm.isFinite) {
      norm = 0
      for f in 0..<m {
        let v = Double(generator.normal())
        d[j * m + f] = positive ? abs(v) : v
        norm += d[j * m + f] * d[j * m + f]
      }
    }
    let scale = 1 / norm.squareRoot()
    for f in 0..<m { d[j * m + f] *= scale }
  }

  /// The sparse codes of `samples` (samples x features) over the current dictionary, with the
  /// learner's solver: codes are samples x atoms, X ~= codes D.
  public func transform(_ samples: Tensor) -> SparseCodingResult {
    precondition(
      samples.rank == 2 && samples.columns == features,
      "DictionaryLearner.transform: samples \(samples.shape), dictionary has \(features) features")
    return sparseEncode(samples, problem: problem, solver: settings.solver)
  }

  /// The mean Lasso objective (1/n) sum_i 0.5 ||x_i - a_i D||^2 + lambda ||a_i||_1 of
  /// `samples` coded over the current dictionary. O(one `transform`).
  public func objective(_ samples: Tensor) -> Double {
    guard samples.rows > 0 else { return 0 }
    let result = transform(samples)
    return result.objectives.reduce(0, +) / Double(samples.rows)
  }
}
