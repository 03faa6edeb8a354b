import SparsityCore
import Testing

@testable import SparsityNN

@Suite struct NMPruningTests {
  @Test(arguments: [(2, 4), (1, 4), (3, 8), (1, 2)]) func everyGroupKeepsAtMostNOfItsLargest(n: Int, m: Int) {
    let weight = MagnitudePruningTests.random([9, 22], seed: 11)  // 22 inputs: the last group is short
    let mask = NMPruning.mask(for: weight, n: n, m: m)
    var expectedPruned = 0
    for row in 0..<9 {
      for start in stride(from: 0, to: 22, by: m) {
        let group = (row * 22 + start)..<(row * 22 + min(start + m, 22))
        let kept = group.filter { mask.keep[$0] }
        let pruned = group.filter { !mask.keep[$0] }
        #expect(kept.count == min(n, group.count))
        expectedPruned += max(0, group.count - n)
        let prunedMax = pruned.map { abs(weight.scalars[$0]) }.max() ?? 0
        #expect(prunedMax <= kept.map { abs(weight.scalars[$0]) }.min() ?? .infinity)
      }
    }
    #expect(mask.prunedCount == expectedPruned)
  }

  @Test func twoOfFourHalvesARowAndBreaksTiesByPosition() {
    let weight = Tensor(shape: [1, 8], scalars: [4, -3, 2, 1, 1, 1, -1, 1])
    let mask = NMPruning.mask(for: weight, n: 2, m: 4)
    #expect(mask.keep == [true, true, false, false, false, false, true, true])
    #expect(mask.sparsity == 0.5)
  }

  @Test func previouslyPrunedWeightsArePrunedFirst() {
    let weight = Tensor(shape: [1, 4], scalars: [4, 3, 2, 1])
    let previous = PruningMask(shape: [1, 4], keep: [false, true, true, true])
    #expect(NMPruning.mask(for: weight, n: 2, m: 4, previous: previous).keep == [false, true, true, false])
  }
}
