import Testing

@testable import SparsityReport

@Suite struct LineChartTests {
  private func chart(_ series: [LineSeries], x: Axis = Axis("epoch"), y: Axis = Axis("accuracy", unit: "%"))
    -> LineChart
  {
    LineChart(title: "Accuracy <per> epoch & more", xAxis: x, yAxis: y, series: series)
  }

  @Test func drawsEverySeriesWithALegendAndLabelledAxes() throws {
    let svg = chart([LineSeries("train", y: [80, 90, 95]), LineSeries("validation", y: [78, 85, 88], dashed: true)])
      .svg()
    let check = try checkedSVG(svg)
    #expect(check.all("polyline").count == 2)
    #expect(check.all("circle").count == 6)
    #expect(check.text.contains("Accuracy <per> epoch & more"))
    #expect(check.text.contains("accuracy (%)"))
    #expect(check.text.contains("epoch"))
    #expect(check.text.contains("validation"))
    #expect(check.all("polyline")[1].attributes["stroke-dasharray"] != nil)
  }

  @Test func edgeCasesStayValid() throws {
    let cases: [[LineSeries]] = [
      [], [LineSeries("empty", y: [])], [LineSeries("one", y: [42])], [LineSeries("constant", y: [3, 3, 3])],
      [LineSeries("nan", x: [1, 2, 3, 4], y: [1, .nan, 3, .infinity])], [LineSeries("all nan", y: [.nan, .nan])],
      [LineSeries("huge", y: [-Double.greatestFiniteMagnitude, Double.greatestFiniteMagnitude])],
    ]
    for series in cases {
      try checkedSVG(chart(series).svg())
      try checkedSVG(chart(series, x: Axis("l1", scale: .logarithmic)).svg())
    }
  }

  @Test func nonFinitePointsBreakTheLineAndAreCounted() throws {
    let check = try checkedSVG(chart([LineSeries("nan", x: [1, 2, 3, 4, 5], y: [1, 2, .nan, 4, 5])]).svg())
    #expect(check.all("polyline").count == 2)
    #expect(check.all("circle").count == 4)
    #expect(check.text.contains("1 point with non-finite"))
  }

  @Test func categoricalAxisLabelsEverySetting() throws {
    let labels = ["0", "1e-4", "1e-3", "1e-2"]
    let line = LineSeries("gap", x: [0, 1, 2, 3], y: [2, 1.5, 1, 0.5])
    let check = try checkedSVG(chart([line], x: Axis("--act-l1", scale: .categories(labels))).svg())
    for label in labels { #expect(check.all("text").count > 0 && check.text.contains(label)) }
  }
}
