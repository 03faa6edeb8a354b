import SparsityCore
import SparsityNN
import Testing

@testable import SparsityAnalysis

/// Multiply-add counts on the hand-built network, worked out by hand.
@Suite struct MultiplyAddCountTests {
  @Test func countsMatchTheHandWorkedNetwork() {
    // Layer 0: W (4x3) has column nonzeros [1, 1, 1]; the inputs have 1, 1, 1, 1, 1, 1, 0
    // nonzeros, each in one column: needed 6 of 7 * 12 = 84.
    // Layer 2: W (3x4) has column nonzeros [1, 1, 1, 0]; the hidden outputs (see
    // HandBuiltNetworks.features) have unit 1 on always (1 product each) and unit 2 on inputs
    // 2 and 3 (1 product each); unit 3 has no weights: needed 7 + 2 = 9 of 7 * 12 = 84.
    let count = MultiplyAddCount.measure(
      HandBuiltNetworks.fourUnits(), features: HandBuiltNetworks.features, batchSize: 3)
    #expect(count.samples == 7)
    #expect(count.layers.map(\.index) == [0, 2])
    #expect(count.layers.map(\.dense) == [84, 84])
    #expect(count.layers.map(\.needed) == [6, 9])
    #expect(count.dense == 168 && count.needed == 15)
    #expect(abs(count.fraction - 15.0 / 168.0) < 1e-12)
  }

  @Test func denseNetworkOnDenseInputsNeedsEverything() {
    var generator = Xoshiro256StarStar(seed: 1)
    let network = Sequential(
      inputFeatures: 5, [Linear(5, 7, using: &generator), Sigmoid(), Linear(7, 2, using: &generator)])
    let features = Tensor(rows: (0..<9).map { r in (0..<5).map { Float($0 + r) + 0.5 } })
    let count = MultiplyAddCount.measure(network, features: features)
    #expect(count.needed == count.dense && count.dense == 9 * (5 * 7 + 7 * 2))
    #expect(count.fraction == 1)
  }

  @Test func emptyDataCountsNothing() {
    let count = MultiplyAddCount.measure(HandBuiltNetworks.fourUnits(), features: Tensor(zeros: [0, 3]))
    #expect(count.dense == 0 && count.needed == 0 && count.fraction == 0)
  }
}
