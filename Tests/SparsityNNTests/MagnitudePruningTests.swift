import SparsityCore
import Testing

@testable import SparsityNN

@Suite struct MagnitudePruningTests {
  static func random(_ shape: [Int], seed: UInt64) -> Tensor {
    var generator = Xoshiro256StarStar(seed: seed)
    return Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in generator.normal() })
  }

  @Test(arguments: [0.0, 0.29, 0.5, 0.9, 0.99]) func perLayerPrunesTheFloorOfSTimesNSmallestInEveryLayer(
    sparsity: Double
  ) {
    let weights = [Self.random([7, 13], seed: 1), Self.random([10, 10], seed: 2), Self.random([1, 3], seed: 3)]
    let masks = MagnitudePruning.masks(for: weights, sparsity: sparsity, scope: .perLayer)
    for (weight, mask) in zip(weights, masks) {
      #expect(mask.prunedCount == Int((sparsity * Double(weight.count) + 1e-9).rounded(.down)))
      let pruned = weight.scalars.indices.filter { !mask.keep[$0] }.map { abs(weight.scalars[$0]) }
      let kept = weight.scalars.indices.filter { mask.keep[$0] }.map { abs(weight.scalars[$0]) }
      #expect(
        (pruned.max() ?? 0) <= (kept.min() ?? .infinity), "every pruned weight is at most as large as every kept one")
    }
    #expect(MagnitudePruning.prunedCount(sparsity: 0.29, count: 100) == 29)
  }

  @Test func globalRanksAllLayersTogether() {
    // Layer 0 holds the small weights, layer 1 the large ones: global 50% prunes all of layer 0.
    let small = Tensor(shape: [2, 4], scalars: [0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8])
    let large = Tensor(shape: [2, 4], scalars: [1, -2, 3, -4, 5, -6, 7, -8])
    let masks = MagnitudePruning.masks(for: [small, large], sparsity: 0.5, scope: .global)
    #expect(masks[0].prunedCount == 8)
    #expect(masks[1].prunedCount == 0)
    let perLayer = MagnitudePruning.masks(for: [small, large], sparsity: 0.5, scope: .perLayer)
    #expect(perLayer.map(\.prunedCount) == [4, 4])
  }

  @Test(arguments: [0.1, 0.5, 0.9]) func globalPrunesExactlyTheFloorOfSTimesAllWeights(sparsity: Double) {
    let weights = [Self.random([64, 33], seed: 4), Self.random([33, 10], seed: 5)]
    let masks = MagnitudePruning.masks(for: weights, sparsity: sparsity, scope: .global)
    #expect(masks.map(\.prunedCount).reduce(0, +) == Int((sparsity * Double(64 * 33 + 33 * 10)).rounded(.down)))
  }

  @Test func tiesAreBrokenByPositionEarliestFirst() {
    let weight = Tensor(shape: [1, 6], scalars: [1, -1, 1, 2, -1, 1])
    let mask = MagnitudePruning.masks(for: [weight], sparsity: 0.5, scope: .global)[0]
    #expect(mask.keep == [false, false, false, true, true, true])
    let again = MagnitudePruning.masks(for: [weight], sparsity: 0.5, scope: .global)[0]
    #expect(again == mask)
  }

  @Test func previouslyPrunedWeightsGoFirstSoMasksOnlyGrow() {
    // The earlier mask pruned the largest weight; a 50% mask must keep it pruned.
    let weight = Tensor(shape: [1, 4], scalars: [0.5, 0.1, 0.2, 9])
    let previous = PruningMask(shape: [1, 4], keep: [true, true, true, false])
    let mask = MagnitudePruning.masks(for: [weight], sparsity: 0.5, scope: .global, previous: [previous])[0]
    #expect(mask.keep == [true, false, true, false])
  }

  @Test func quickselectMatchesItsSortingTwin() {
    var generator = Xoshiro256StarStar(seed: 7)
    for count in [1, 2, 3, 10, 257, 4096] {
      var keys = (0..<count).map { _ in generator.next() % 1000 }  // many duplicates
      if count > 10 { keys += Array(repeating: 5, count: 50) }
      for k in Set([1, keys.count / 3 + 1, keys.count / 2, keys.count].filter { $0 >= 1 }) {
        #expect(
          MagnitudeRanking.kthSmallest(keys, k: k) == MagnitudeRanking.kthSmallestBySorting(keys, k: k),
          "n \(keys.count), k \(k)")
      }
      let sorted = (0..<count).map { UInt64($0) }
      #expect(MagnitudeRanking.kthSmallest(sorted, k: count) == UInt64(count - 1))
      #expect(MagnitudeRanking.kthSmallest(sorted.reversed(), k: 1) == 0)
    }
  }
}
