import Foundation
import SparsityCore
import Testing
@testable import SparsityCoding

/// The cost of a realistic run, measured only when SPARSITY_DICTIONARY_TIMING is set (it takes
/// tens of seconds): 256 atoms learned from 20,000 Gaussian 64-dimensional samples (8 x 8
/// patches), 5 epochs of batches of 256 at lambda 0.5, with LARS and with coordinate descent.
@Suite(.serialized) struct DictionaryLearningTimingTests {
  static let enabled = ProcessInfo.processInfo.environment["SPARSITY_DICTIONARY_TIMING"] != nil

  @Test(.enabled(if: enabled), arguments: [
    SparseCodingSolver.lars(lambda: 0.5), .coordinateDescent(lambda: 0.5),
  ])
  func fitTiming(solver: SparseCodingSolver) {
    var generator = Xoshiro256StarStar(seed: 2010)
    let x = Tensor.normal(shape: [20_000, 64], using: &generator)
    let learner = DictionaryLearner(atoms: 256, lambda: 0.5, batchSize: 256, seed: 1, solver: solver)
    let clock = ContinuousClock()
    let elapsed = clock.measure { learner.fit(x, epochs: 5) }
    let history = learner.objectiveHistory
    print("dictionary learning timing, \(solver): \(elapsed) for \(history.count) batches;",
          "batch objective \(history.first!) -> \(history.last!);",
          "non-converged codes \(learner.nonConvergedCodeCount), resampled atoms \(learner.resampledAtomCount)")
    #expect(history.last! < history.first!)
  }
}
