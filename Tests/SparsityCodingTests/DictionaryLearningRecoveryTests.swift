import SparsityCore
import Testing

@testable import SparsityCoding

/// End to end: learning recovers a planted dictionary from its sparse combinations.
@Suite struct DictionaryLearningRecoveryTests {
  /// X = A D + noise with a random unit-norm D (24 atoms over 16 features) and 3 nonzeros per
  /// code, lambda 0.3: after ten epochs at least 80% of the true atoms have a learned atom with
  /// |cosine| > 0.9.
  @Test(arguments: [nil, SparseCodingSolver.coordinateDescent(lambda: 0.3)])
  func recoversPlantedDictionary(solver: SparseCodingSolver?) {
    let truth = CodingFixture.dictionary(atoms: 24, features: 16, seed: 81)
    let x = CodingFixture.planted(samples: 3000, dictionary: truth, nonzeros: 3, noise: 0.02, seed: 82).samples
    let learner = DictionaryLearner(atoms: 24, lambda: 0.3, batchSize: 64, seed: 83, solver: solver)
    learner.fit(x, epochs: 10)
    let cosines = Tensor.matmul(truth, learner.dictionary, transposeB: true)  // 24 x 24
    let recovered = (0..<24).filter { i in (0..<24).contains { abs(cosines[i, $0]) > 0.9 } }.count
    #expect(recovered >= 20, "recovered \(recovered) of 24 atoms")
  }
}
