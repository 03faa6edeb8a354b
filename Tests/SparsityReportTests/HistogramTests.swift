import Testing

@testable import SparsityReport

@Suite struct HistogramTests {
  @Test func countsEveryFiniteValueOnce() {
    let values: [Float] = [0, 0, 0, 0.5, 1, 1.5, 2, .nan, .infinity]
    let histogram = Histogram(title: "h", values: values, bins: 4, xAxis: Axis("activation"))
    #expect(histogram.counts == [3, 1, 1, 2])
    #expect(histogram.edges == [0, 0.5, 1, 1.5, 2])
    #expect(histogram.notes == ["2 non-finite values not counted"])
  }

  @Test func givenRangeCountsOutsideValuesInANote() {
    let histogram = Histogram(title: "h", values: [-1.0, 0.1, 0.9, 5], bins: 2, range: 0...1, xAxis: Axis("rate"))
    #expect(histogram.counts == [1, 1])
    #expect(histogram.notes.first?.contains("2 values outside") == true)
  }

  @Test func drawsOneBarPerNonEmptyBin() throws {
    let histogram = Histogram(
      title: "Firing rate", values: [0.1, 0.2, 0.2, 0.9], bins: 5, range: 0...1, xAxis: Axis("firing rate", unit: "%"))
    let check = try checkedSVG(histogram.svg())
    // The background and three bars.
    #expect(check.all("rect").count == 1 + 3)
    #expect(check.text.contains("count"))
    #expect(check.text.contains("firing rate (%)"))
  }

  @Test func edgeCasesStayValid() throws {
    let cases: [[Double]] = [
      [], [7], [2, 2, 2], [.nan], [.nan, 1], [0, Double.leastNormalMagnitude / 4], [-1e308, 1e308],
      [Double.leastNonzeroMagnitude, Double.leastNonzeroMagnitude * 2],
    ]
    for values in cases {
      for yAxis in [Axis("count", includesZero: true), Axis("count", scale: .logarithmic)] {
        let histogram = Histogram(title: "edge", values: values, bins: 10, xAxis: Axis("v"), yAxis: yAxis)
        #expect(histogram.counts.reduce(0, +) == values.filter(\.isFinite).count, "\(values)")
        try checkedSVG(histogram.svg())
      }
    }
  }

  /// Tick labels of long numbers on a narrow histogram never collide.
  @Test func narrowHistogramTickLabelsKeepApart() throws {
    let values = (0..<1000).map { 123_456.789 + Double($0) * 0.0137 }
    let histogram = Histogram(
      title: "h", values: values, bins: 40, xAxis: Axis("value"), size: ChartSize(width: 200, height: 150))
    let boxes = TextBoxes(try checkedSVG(histogram.svg()))
    #expect(boxes.overlaps.isEmpty, "\(boxes.overlaps)")
    #expect(boxes.outside.isEmpty, "\(boxes.outside)")
  }
}
