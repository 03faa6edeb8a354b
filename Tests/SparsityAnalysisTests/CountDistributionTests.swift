import Testing

@testable import SparsityAnalysis

@Suite struct CountDistributionTests {
  @Test func meanMedianAndExtremes() {
    var distribution = CountDistribution(maximumCount: 5)
    for count in [1, 3, 3, 5] { distribution.record(count) }
    #expect(distribution.frequencies == [0, 1, 0, 2, 0, 1])
    #expect(distribution.mean == 3)
    #expect(distribution.median == 3)
    #expect(distribution.minimum == 1 && distribution.maximum == 5)
    distribution.record(0)
    distribution.record(0)
    #expect(distribution.median == 2)  // 0 0 1 | 3 3 5: (1 + 3) / 2
    #expect(distribution.count(atRank: 0) == 0)
  }

  @Test func emptyIsAllZero() {
    let distribution = CountDistribution(maximumCount: 3)
    #expect(distribution.mean == 0 && distribution.median == 0 && distribution.total == 0)
  }
}
