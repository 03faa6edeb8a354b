import Testing

@testable import SparsityCore

@Suite struct MaskKernelsTests {
  @Test(arguments: kernelTestLengths)
  func dropoutMaskMatchesItsTwinAndLeavesTheSameGenerator(count: Int) {
    for probability: Float in [0, 0.1, 0.5, 0.9] {
      var (fastGenerator, twinGenerator) = (Xoshiro256StarStar(seed: 3), Xoshiro256StarStar(seed: 3))
      var (fast, twin) = ([Float](repeating: .nan, count: count), [Float](repeating: -1, count: count))
      drawDropoutMask(&fast, probability: probability, using: &fastGenerator)
      drawDropoutMaskReference(&twin, probability: probability, using: &twinGenerator)
      #expect(bits(fast) == bits(twin), "\(count) entries, p \(probability)")
      #expect(fastGenerator.next() == twinGenerator.next())
      #expect(fast.allSatisfy { $0 == 0 || $0 == 1 / (1 - probability) })
    }
  }

  @Test(arguments: kernelTestLengths)
  func zeroUnkeptMatchesItsTwin(count: Int) {
    var generator = Xoshiro256StarStar(seed: UInt64(count))
    let values = randomValues(count, seed: UInt64(count) + 1).map { $0 == 0 ? -0.0 : $0 }
    for keepFraction: Float in [0, 0.5, 1] {
      let keep = (0..<count).map { _ in generator.nextUnitFloat() < keepFraction }
      var (fast, twin) = (values, values)
      zeroUnkept(&fast, keep: keep)
      zeroUnkeptReference(&twin, keep: keep)
      #expect(bits(fast) == bits(twin), "\(count) entries, keeping \(keepFraction)")
    }
  }
}
