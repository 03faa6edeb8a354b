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
}
