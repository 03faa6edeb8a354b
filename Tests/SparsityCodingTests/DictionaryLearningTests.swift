import SparsityCore
import Testing

@testable import SparsityCoding

/// Properties of online dictionary learning (Mairal, Bach, Ponce & Sapiro, JMLR 2010) on
/// small seeded problems: unit-norm atoms, a falling objective, reproducibility, streaming.
@Suite struct DictionaryLearningTests {
  /// Samples from a planted dictionary of 24 atoms over 16 features, 3 nonzeros each.
  static let truth = CodingFixture.dictionary(atoms: 24, features: 16, seed: 71)
  static let data = CodingFixture.planted(samples: 1200, dictionary: truth, nonzeros: 3, noise: 0.02, seed: 72).samples

  static func learner(seed: UInt64 = 5, shuffle: Bool = true, solver: SparseCodingSolver? = nil) -> DictionaryLearner {
    DictionaryLearner(atoms: 24, lambda: 0.1, batchSize: 64, seed: seed, solver: solver, shuffle: shuffle)
  }

  static func rowNorms(_ d: Tensor) -> [Float] {
    (0..<d.rows).map { i in (0..<d.columns).reduce(Float(0)) { $0 + d[i, $1] * d[i, $1] }.squareRoot() }
  }

  /// Every atom has unit norm, after initialization and after fitting.
  @Test(arguments: [nil, SparseCodingSolver.coordinateDescent(lambda: 0.1)])
  func atomsHaveUnitNorm(solver: SparseCodingSolver?) {
    let learner = Self.learner(solver: solver)
    learner.initialize(from: Self.data)
    #expect(Self.rowNorms(learner.dictionary).allSatisfy { abs($0 - 1) < 1e-5 })
    learner.fit(Self.data, epochs: 2)
    let d = learner.dictionary
    #expect(d.shape == [24, 16])
    #expect(Self.rowNorms(d).allSatisfy { abs($0 - 1) < 1e-5 })
  }

  /// The full-data objective falls below that of the initial dictionary and decreases epoch
  /// over epoch (up to 0.5% of noise from the stochastic batches).
  @Test func objectiveDecreases() {
    let learner = Self.learner()
    learner.initialize(from: Self.data)
    let initial = learner.objective(Self.data)
    var calls = 0
    learner.fit(Self.data, epochs: 4, evaluateEachEpoch: true) { epoch, index, count, objective in
      #expect(epoch < 4 && index < count && count == 19 && objective.isFinite)
      calls += 1
    }
    #expect(calls == 4 * 19 && learner.objectiveHistory.count == 4 * 19 && learner.batchesSeen == 76)
    let epochs = learner.epochObjectives
    #expect(epochs.count == 4)
    #expect(epochs[0] < initial)
    #expect(epochs[3] < 0.8 * initial)
    for e in 1..<epochs.count { #expect(epochs[e] <= epochs[e - 1] * 1.005) }
    #expect(learner.nonConvergedCodeCount == 0)
  }

  /// The same seed gives the identical dictionary; another seed a different one.
  @Test func sameSeedSameDictionary() {
    let first = Self.learner(seed: 9)
    let second = Self.learner(seed: 9)
    let other = Self.learner(seed: 10)
    // BLAS held on one thread: benchmark tests running alongside lend it threads for a while.
    BLAS.withThreadCount(1) { for learner in [first, second, other] { learner.fit(Self.data, epochs: 2) } }
    #expect(first.dictionary == second.dictionary)
    #expect(first.objectiveHistory == second.objectiveHistory)
    #expect(first.dictionary != other.dictionary)
  }

  /// `partialFit` over the batches of `fit` without shuffling, in the same order, gives the
  /// same dictionary and history.
  @Test func partialFitEqualsUnshuffledFit() {
    // One BLAS thread: a product split another way may round differently (BLAS.withThreadCount).
    let fitted = Self.learner(shuffle: false)
    let streamed = Self.learner(shuffle: false)
    BLAS.withThreadCount(1) {
      fitted.fit(Self.data, epochs: 2)
      streamed.initialize(from: Self.data)
      for _ in 0..<2 {
        for start in stride(from: 0, to: 1200, by: 64) {
          streamed.partialFit(Self.data.rows(start..<min(1200, start + 64)))
        }
      }
    }
    #expect(streamed.dictionary == fitted.dictionary)
    #expect(streamed.objectiveHistory == fitted.objectiveHistory)
  }

  /// An atom orthogonal to all the data is never used: it is replaced by a (normalized) sample,
  /// which lies in the data's subspace; without resampling it stays put.
  @Test func unusedAtomIsResampled() {
    var generator = Xoshiro256StarStar(seed: 33)
    var x = Tensor.normal(shape: [128, 16], using: &generator)
    for i in 0..<128 { for f in 8..<16 { x[i, f] = 0 } }  // data in span(e_0 ... e_7)
    var start = Tensor(zeros: [9, 16])
    for j in 0..<8 { start[j, j] = 1 }
    start[8, 15] = 1  // orthogonal to every sample
    for resampling in [AtomResampling(warmupBatches: 0), nil] {
      let learner = DictionaryLearner(atoms: 9, lambda: 0.2, batchSize: 32, seed: 1, resampling: resampling)
      learner.initialize(dictionary: start)
      learner.partialFit(x.rows(0..<32))
      let d = learner.dictionary
      if resampling == nil {
        #expect(learner.resampledAtomCount == 0 && d[8, 15] == 1)
      } else {
        #expect(learner.resampledAtomCount >= 1)
        #expect(abs(d[8, 15]) < 1e-6 && abs(Self.rowNorms(d)[8] - 1) < 1e-5)
      }
    }
  }

  /// Zero samples never become atoms, and a learner with more atoms than samples still gets
  /// unit-norm (random) atoms.
  @Test func initializationSkipsZeroSamples() {
    var x = CodingFixture.samples(6, features: 5, seed: 3)
    for f in 0..<5 { x[2, f] = 0 }
    let learner = DictionaryLearner(atoms: 10, lambda: 0.1, seed: 4)
    learner.initialize(from: x)
    #expect(Self.rowNorms(learner.dictionary).allSatisfy { abs($0 - 1) < 1e-5 })
    let codes = learner.transform(x)
    #expect(codes.codes.shape == [6, 10])
  }

  /// With positive codes every code is nonnegative, in training and in `transform`.
  @Test func positiveCodes() {
    let learner = DictionaryLearner(atoms: 24, lambda: 0.1, positiveCodes: true, batchSize: 64, seed: 6)
    learner.fit(Self.data, epochs: 1)
    #expect(learner.settings.solver == .lars(lambda: 0.1, positive: true))
    let codes = learner.transform(Self.data.rows(0..<100)).codes
    #expect(codes.scalars.allSatisfy { $0 >= 0 } && codes.scalars.contains { $0 > 0 })
    #expect(Self.rowNorms(learner.dictionary).allSatisfy { abs($0 - 1) < 1e-5 })
  }

  /// The past weights: plain sums, the power rule and the paper's mini-batch rule.
  @Test func pastWeights() {
    #expect(PastWeighting.accumulate.beta(batchesSeen: 7, batchSize: 32) == 1)
    #expect(PastWeighting.power(rho: 1).beta(batchesSeen: 0, batchSize: 32) == 0)
    #expect(abs(PastWeighting.power(rho: 2).beta(batchesSeen: 3, batchSize: 32) - 0.5625) < 1e-12)
    #expect(abs(PastWeighting.miniBatch.beta(batchesSeen: 0, batchSize: 32) - 1.0 / 33) < 1e-12)
    let late = (0..<200).map { PastWeighting.miniBatch.beta(batchesSeen: $0, batchSize: 32) }
    #expect(zip(late, late.dropFirst()).allSatisfy { $0 <= $1 } && late.last! < 1)
  }

  /// Nonnegative atoms stay nonnegative through initialization, updates and resampling, and a
  /// random start is seeded (the same twice) and differs from a start from samples.
  @Test func nonnegativeAtomsAndRandomStart() {
    let x = Tensor(shape: [60, 16], scalars: (0..<960).map { Float(($0 * 7919) % 13) / 13 })
    func learned(_ initialization: AtomInitialization) -> Tensor {
      let learner = DictionaryLearner(
        atoms: 6, lambda: 0.05, positiveCodes: true, batchSize: 20, seed: 3,
        positiveAtoms: true, initialization: initialization)
      BLAS.withThreadCount(1) { learner.fit(x, epochs: 3) }
      return learner.dictionary
    }
    let random = learned(.randomDirections)
    let again = learned(.randomDirections)
    let fromSamples = learned(.samples)
    #expect(random.scalars.allSatisfy { $0 >= 0 } && fromSamples.scalars.allSatisfy { $0 >= 0 })
    #expect(random == again)
    #expect(random != fromSamples)
    for atom in 0..<6 {
      let norm = (0..<16).reduce(Float(0)) { $0 + random[atom, $1] * random[atom, $1] }.squareRoot()
      #expect(abs(norm - 1) < 1e-5)
    }
  }

  /// A batch size past the sample count is one batch of every sample (Int.max overflowed).
  @Test func aBatchLargerThanTheDataIsOneBatch() {
    let huge = DictionaryLearner(atoms: 24, lambda: 0.1, batchSize: .max, seed: 5)
    let exact = DictionaryLearner(atoms: 24, lambda: 0.1, batchSize: Self.data.rows, seed: 5)
    BLAS.withThreadCount(1) {
      huge.fit(Self.data, epochs: 1)
      exact.fit(Self.data, epochs: 1)
    }
    #expect(huge.dictionary == exact.dictionary)
  }
}
