import SparsityCore
import Testing

@testable import SparsityCoding

/// Dictionary learning with each batch cut into parts (what MPI ranks share; scripts/mpi.sh runs
/// the ranks): one part is `partialFit` bit for bit, resampling included, and parts pick the
/// replacement rows from the part that holds them.
@Suite struct DictionaryLearningPartsTests {
  /// Data in span(e_0 … e_7) and a start whose atom 8 is orthogonal to it, so atom 8 is resampled.
  static func setting() -> (Tensor, Tensor) {
    var generator = Xoshiro256StarStar(seed: 33)
    var x = Tensor.normal(shape: [128, 16], using: &generator)
    for i in 0..<128 { for f in 8..<16 { x[i, f] = 0 } }
    var start = Tensor(zeros: [9, 16])
    for j in 0..<8 { start[j, j] = 1 }
    start[8, 15] = 1
    return (x, start)
  }

  static func learner(_ start: Tensor) -> DictionaryLearner {
    let learner = DictionaryLearner(
      atoms: 9, lambda: 0.2, batchSize: 32, seed: 1, resampling: AtomResampling(warmupBatches: 0))
    learner.initialize(dictionary: start)
    return learner
  }

  @Test func onePartIsPartialFit() throws {
    let (x, start) = Self.setting()
    let (whole, parted) = (Self.learner(start), Self.learner(start))
    for b in 0..<4 {
      let batch = x.rows((32 * b)..<(32 * b + 32))
      let expected = whole.partialFit(batch)
      let objective = try parted.partialFit(parts: [batch], of: 1, reduction: LocalPartReduction())
      #expect(objective == expected)
    }
    #expect(whole.resampledAtomCount >= 1, "the resampling path ran")
    #expect(parted.dictionary == whole.dictionary)
    #expect(parted.objectiveHistory == whole.objectiveHistory)
    #expect(parted.resampledAtomCount == whole.resampledAtomCount)
  }

  /// Three parts: the replacement row comes from whichever part holds it (the atom becomes that
  /// row of the whole batch, normalized), and two runs agree bit for bit.
  @Test func partsReplaceAtomsWithTheBatchRowsTheyHold() throws {
    let (x, start) = Self.setting()
    func run() throws -> DictionaryLearner {
      let learner = Self.learner(start)
      try learner.fit(x, epochs: 2, parts: 3, reduction: LocalPartReduction())
      return learner
    }
    let (first, second) = (try run(), try run())
    #expect(first.dictionary == second.dictionary)
    #expect(first.resampledAtomCount >= 1)
    let d = first.dictionary
    #expect(abs(d[8, 15]) < 1e-6, "atom 8 left the direction no sample has")
    for j in 0..<9 {
      let norm = (0..<16).reduce(Float(0)) { $0 + d[j, $1] * d[j, $1] }.squareRoot()
      #expect(abs(norm - 1) < 1e-5)
    }
    #expect(BatchParts.range(2, of: 3, count: 32) == 21..<32)
  }
}
