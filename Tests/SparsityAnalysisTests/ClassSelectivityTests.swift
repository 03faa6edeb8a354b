import Testing

@testable import SparsityAnalysis

@Suite struct ClassSelectivityTests {
  @Test func oneClassOnlyIsOne() {
    #expect(ClassSelectivity(classMeans: [0, 0, 2.5, 0]) == ClassSelectivity(index: 1, preferredClass: 2))
  }

  @Test func equalMeansAreZero() {
    #expect(ClassSelectivity(classMeans: [3, 3, 3]) == ClassSelectivity(index: 0, preferredClass: 0))
  }

  @Test func morcosFormula() {
    // mu_max = 4, mu_rest = (1 + 2 + 1) / 3 = 4/3: (4 - 4/3) / (4 + 4/3) = 0.5.
    let s = ClassSelectivity(classMeans: [1, 4, 2, 1])
    #expect(s.preferredClass == 1)
    #expect(abs(s.index! - 0.5) < 1e-12)
  }

  @Test func classesWithoutInputsAreLeftOut() {
    #expect(ClassSelectivity(classMeans: [nil, 2, 0, nil]) == ClassSelectivity(index: 1, preferredClass: 1))
    #expect(ClassSelectivity(classMeans: [nil, 2, nil]) == ClassSelectivity(index: nil, preferredClass: nil))
  }

  @Test func deadUnitIsUndefined() {
    #expect(ClassSelectivity(classMeans: [0, 0, 0]) == ClassSelectivity(index: nil, preferredClass: nil))
  }
}
