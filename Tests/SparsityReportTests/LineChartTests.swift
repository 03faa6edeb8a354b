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

  /// Forty settings on a categorical axis: labels are thinned until neighbours keep apart.
  @Test func crowdedCategoricalAxisThinsItsLabels() throws {
    let labels = (0..<40).map { "setting \($0)" }
    let line = LineSeries("gap", x: (0..<40).map(Double.init), y: (0..<40).map { Double($0 % 7) })
    let check = try checkedSVG(chart([line], x: Axis("--act-l1", scale: .categories(labels))).svg())
    let boxes = TextBoxes(check)
    #expect(boxes.overlaps.isEmpty, "\(boxes.overlaps.prefix(3))")
    #expect(boxes.outside.isEmpty, "\(boxes.outside.prefix(3))")
    #expect(boxes.entries.filter { $0.text.hasPrefix("setting") }.count >= 5, "several settings stay labelled")
    #expect(!check.text.contains("…"), "thinned rather than cut")
  }

  /// The smallest chart with many series and notes grows taller and keeps every text apart.
  @Test func smallChartWithLongLegendAndNotesKeepsTextsApart() throws {
    let series = (0..<9).map { LineSeries("series with a long name \($0)", y: [1, 2, 3].map { $0 * 1e6 }) }
    let notes = ["a note long enough to need wrapping onto more than one line of this small chart"]
    let small = LineChart(
      title: "A title far too long for a chart only two hundred pixels wide", xAxis: Axis("epoch"),
      yAxis: Axis("a long vertical axis title with its unit", unit: "%"), series: series, notes: notes,
      size: ChartSize(width: 200, height: 150))
    let boxes = TextBoxes(try checkedSVG(small.svg()))
    #expect(boxes.overlaps.isEmpty, "\(boxes.overlaps.prefix(3))")
    #expect(boxes.outside.isEmpty, "\(boxes.outside.prefix(3))")
  }
}
