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

@Suite struct ConvolutionPruningTests {
  @Test func nOfMGroupsRunAlongTheInputChannelsOfEachTap() {
    // (out 2, in 4, 1 x 2): at every (filter, tap) the 4 input channels keep their 2 largest.
    var generator = Xoshiro256StarStar(seed: 11)
    let weight = Tensor.normal(shape: [2, 4, 1, 2], using: &generator)
    let mask = NMPruning.mask(for: weight, n: 2, m: 4)
    for o in 0..<2 {
      for t in 0..<2 {
        let indices = (0..<4).map { (o * 4 + $0) * 2 + t }
        let kept = indices.filter { mask.keep[$0] }
        #expect(kept.count == 2)
        let smallestKept = kept.map { abs(weight.scalars[$0]) }.min()!
        let largestPruned = indices.filter { !mask.keep[$0] }.map { abs(weight.scalars[$0]) }.max()!
        #expect(smallestKept >= largestPruned)
      }
    }
  }

  @Test func prunerReachesConvolutionsInsideResidualBlocksAndSkipsBatchNorm() throws {
    let network = try ModelArchitecture(parsing: "2x6x6,conv:4:3x3:p1,bn,relu,res(conv:4:3x3:p1,bn),flatten,5")
      .makeSequential(seed: 3)
    let pruner = Pruner(model: network)
    #expect(pruner.layerIndices == [0, 3, 5])
    #expect(pruner.weights.map(\.value.shape) == [[4, 2, 3, 3], [4, 4, 3, 3], [5, 144]])
    pruner.prune(toSparsity: 0.9)
    let zeros = pruner.weights.reduce(0) { $0 + $1.value.scalars.filter { $0 == 0 }.count }
    let total = pruner.weights.reduce(0) { $0 + $1.value.count }
    #expect(zeros == Int(0.9 * Double(total)))
    let norm = try #require(network.layers[1] as? BatchNorm2d)
    #expect(norm.weight.value.scalars.allSatisfy { $0 == 1 })
  }
}
