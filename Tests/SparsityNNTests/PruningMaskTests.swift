import SparsityCore
import Testing

@testable import SparsityNN

@Suite struct PruningMaskTests {
  @Test func applyZeroesExactlyThePrunedElementsWithPositiveZero() {
    let mask = PruningMask(shape: [2, 3], keep: [true, false, true, false, true, false])
    var tensor = Tensor(shape: [2, 3], scalars: [1, -2, 3, -4, 5, -6])
    mask.apply(to: &tensor)
    #expect(tensor.scalars == [1, 0, 3, 0, 5, 0])
    #expect(tensor.scalars.allSatisfy { $0 != 0 || $0.sign == .plus }, "pruned values are +0.0, not -0.0")
    #expect(mask.prunedCount == 3)
    #expect(mask.sparsity == 0.5)
  }

  @Test func intersectionPrunesWhereEitherPrunes() {
    let a = PruningMask(shape: [4], keep: [true, false, true, true])
    let b = PruningMask(shape: [4], keep: [true, true, false, true])
    #expect(a.intersection(b).keep == [true, false, false, true])
  }

  @Test func keepingAllChangesNothingAndEmptyMasksHaveZeroSparsity() {
    var tensor = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
    PruningMask(keepingAll: [2, 2]).apply(to: &tensor)
    #expect(tensor.scalars == [1, 2, 3, 4])
    #expect(PruningMask(keepingAll: [0, 5]).sparsity == 0)
  }
}
