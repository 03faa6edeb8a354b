import Testing

@testable import SparsityReport

@Suite struct BarChartTests {
  @Test func drawsOneBarPerCategoryAndSeries() throws {
    let chart = BarChart(
      title: "Sparsity per layer", categories: ["#1 ReLU", "#3 ReLU"], categoryTitle: "layer",
      yAxis: Axis("zeros", unit: "%"),
      series: [BarSeries("activations", values: [56, 52]), BarSeries("weights", values: [0, -3])])
    let check = try checkedSVG(chart.svg())
    // The background, two legend swatches and four bars.
    #expect(check.all("rect").count == 1 + 2 + 4)
    #expect(check.text.contains("#3 ReLU"))
    #expect(check.text.contains("zeros (%)"))
  }

  @Test func edgeCasesStayValid() throws {
    let cases: [([String], [BarSeries])] = [
      ([], []), (["a"], []), (["a"], [BarSeries("s", values: [.nan])]),
      (["a", "b"], [BarSeries("s", values: [0, 0])]),
      (["a"], [BarSeries("s", values: [5])]),
    ]
    for (categories, series) in cases {
      try checkedSVG(
        BarChart(title: "t", categories: categories, categoryTitle: "c", yAxis: Axis("v"), series: series).svg())
    }
  }

  /// Thirty long category names cannot stand under upright bars: the bars lie down, one row per
  /// category, the chart grows taller for them, and no two texts overlap.
  @Test func manyLongCategoriesLieDownWithoutOverlaps() throws {
    let names = (1...30).map { "layer \($0): fully connected block with batch normalization and ReLU" }
    let chart = BarChart(
      title: "Sparsity per layer", categories: names, categoryTitle: "layer", yAxis: Axis("zeros", unit: "%"),
      series: [BarSeries("activations", values: (1...30).map { Double($0) * 3 })])
    let check = try checkedSVG(chart.svg())
    let boxes = TextBoxes(check)
    #expect(boxes.overlaps.isEmpty, "\(boxes.overlaps.prefix(3))")
    #expect(boxes.outside.isEmpty, "\(boxes.outside.prefix(3))")
    #expect(boxes.canvas.height > ChartSize.standard.height, "30 rows need a taller chart")
    // Every category has its label; names cut short keep the full name as a tooltip.
    let labels = boxes.entries.filter { $0.text.hasPrefix("layer ") }
    #expect(labels.count == 30)
    for name in names { #expect(check.all("title").contains { $0.text == name }, "\(name)") }
    // Lying bars: wider than tall.
    let bars = check.all("rect").filter { $0.attributes["fill"] == ChartPalette.color(0) }
    #expect(bars.count == 30)
    #expect(bars.allSatisfy { Double($0.attributes["width"]!)! > 0 && Double($0.attributes["height"]!)! < 20 })
  }

  /// The demo's seven models fit upright on a chart as wide as the report's column, the longest
  /// name on two lines, nothing cut.
  @Test func demoCategoriesStandUprightAndWrap() throws {
    let names = [
      "plain ReLU", "L1 on weights", "activation L1", "dropout", "TopK", "sparse autoencoder", "act. L1 + 90% pruned",
    ]
    let chart = BarChart(
      title: "Batch-1 speedup", categories: names, categoryTitle: "model", yAxis: Axis("speedup", unit: "×"),
      series: [BarSeries("speedup", values: [2, 3.5, 11.8, 2, 2.6, 1.3, 23])], size: ChartSize(width: 980, height: 400))
    let check = try checkedSVG(chart.svg())
    let boxes = TextBoxes(check)
    #expect(boxes.overlaps.isEmpty, "\(boxes.overlaps)")
    #expect(boxes.outside.isEmpty, "\(boxes.outside)")
    #expect(!check.text.contains("…"))
    for name in names.dropLast() { #expect(boxes.entries.contains { $0.text == name }, "\(name)") }
    #expect(boxes.entries.contains { $0.text == "pruned" }, "the last name wraps onto a second line")
  }
}
