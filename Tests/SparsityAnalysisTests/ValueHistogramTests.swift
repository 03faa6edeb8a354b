import Testing

@testable import SparsityAnalysis

@Suite struct ValueHistogramTests {
  @Test func linearBinsAreHalfOpenExceptTheLast() {
    var histogram = ValueHistogram(scale: .linear, lowerBound: 0, upperBound: 4, bins: 4)
    for value in [0, 0.5, 1, 1.999, 2, 3.5, 4, 4.5, -1, .nan] { histogram.add(value) }
    #expect(histogram.counts == [2, 2, 1, 2])
    #expect(histogram.outside == 3)
    #expect(histogram.edges == [0, 1, 2, 3, 4])
  }

  @Test func logarithmicBinsSpanDecades() {
    let histogram = ValueHistogram(values: [1e-4, 1e-3, 0.02, 0.5, 1, 0, -2], bins: 4, scale: .logarithmic)
    #expect(histogram.lowerBound == 1e-4 && histogram.upperBound == 1)
    #expect(histogram.counts == [1, 1, 1, 2])
    #expect(histogram.outside == 2)
    let edges = histogram.edges
    for (edge, expected) in zip(edges, [1e-4, 1e-3, 1e-2, 1e-1, 1]) { #expect(abs(edge / expected - 1) < 1e-12) }
  }

  @Test func constantValuesGoToTheFirstBin() {
    let histogram = ValueHistogram(values: [2, 2, 2], bins: 5)
    #expect(histogram.counts == [3, 0, 0, 0, 0])
    #expect(ValueHistogram(values: [], bins: 3).total == 0)
  }

  @Test func mergeAddsCounts() {
    var a = ValueHistogram(values: [0, 1], bins: 2)
    a.merge(a)
    #expect(a.counts == [2, 2])
  }
}
