import Testing

@testable import SparsityCore

@Suite struct RelativeErrorTests {
  @Test func maxNormOfTheDifferenceOverMaxNormOfTheReference() {
    #expect(maxNormRelativeError([1, 2, 4], [1, 2, 3]) == 1.0 / 3.0)
    #expect(maxNormRelativeError([-4, 0], [-2, 0]) == 1)
    #expect(maxNormRelativeError([], []) == 0)
  }

  @Test func anAllZeroReferenceGivesTheAbsoluteDifference() {
    #expect(maxNormRelativeError([0.5, -0.25], [0, 0]) == 0.5)
    #expect(maxNormRelativeError(Tensor(zeros: [2, 2]), Tensor(zeros: [2, 2])) == 0)
  }
}
