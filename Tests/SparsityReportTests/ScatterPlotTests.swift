import Testing

@testable import SparsityReport

@Suite struct ScatterPlotTests {
  @Test func paretoFrontierKeepsTheNonDominatedPoints() {
    let points: [(x: Double, y: Double)] = [(30, 98), (56, 98), (89, 97.7), (50, 96), (88, 90), (89, 97.7), (10, .nan)]
    let frontier = ParetoFrontier.indices(of: points, x: .higher, y: .higher)
    #expect(frontier == [1, 2])
    #expect(ParetoFrontier.indices(of: points, x: .lower, y: .higher) == [0])
    #expect(ParetoFrontier.indices(of: [], x: .higher, y: .higher).isEmpty)
  }

  @Test func drawsLabelledPointsAndTheFrontier() throws {
    let plot = ScatterPlot(
      title: "Accuracy against sparsity", xAxis: Axis("activation sparsity", unit: "%"),
      yAxis: Axis("test accuracy", unit: "%"),
      points: [
        ScatterPoint(x: 30, y: 98, label: "0"), ScatterPoint(x: 56, y: 98.1, label: "1e-3"),
        ScatterPoint(x: 89, y: 97.7, label: "1e-2"),
      ],
      frontier: .bothHigher)
    let check = try checkedSVG(plot.svg())
    #expect(check.all("circle").count == 3)
    #expect(check.all("polyline").count == 1)
    #expect(check.text.contains("1e-3"))
    #expect(check.text.contains("Pareto frontier"))
  }

  @Test func edgeCasesStayValid() throws {
    let cases: [[ScatterPoint]] = [
      [], [ScatterPoint(x: 1, y: 1)], [ScatterPoint(x: .nan, y: 1), ScatterPoint(x: 2, y: .infinity)],
      [ScatterPoint(x: 5, y: 5, label: "<&>"), ScatterPoint(x: 5, y: 5, label: "same")],
    ]
    for points in cases {
      let plot = ScatterPlot(title: "t", xAxis: Axis("x"), yAxis: Axis("y"), points: points, frontier: .bothHigher)
      try checkedSVG(plot.svg())
    }
  }
}
