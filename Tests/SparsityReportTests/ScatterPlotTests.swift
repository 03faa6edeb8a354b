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

  /// Eight long labels on points within a pixel of each other, with two far points that fix the
  /// axes' ranges: every label is drawn in full, beside or stacked above and below the cluster.
  @Test func crowdedLabelsNeverOverlap() throws {
    let names = [
      "plain ReLU", "dropout 0.2", "activation L1", "L1 on weights", "TopK 64 activations",
      "sparse autoencoder (sigmoid, KL 0.05)", "act. L1 + 90% pruned", "magnitude pruning 50%",
    ]
    var points = names.enumerated().map { i, name in
      ScatterPoint(x: 50 + Double(i) * 0.01, y: 97 + Double(i % 3) * 0.005, label: name)
    }
    points += [ScatterPoint(x: 0, y: 90, label: "far left"), ScatterPoint(x: 100, y: 100, label: "far right")]
    let plot = ScatterPlot(
      title: "Crowded", xAxis: Axis("x"), yAxis: Axis("y"), points: points, frontier: .bothHigher)
    let check = try checkedSVG(plot.svg())
    let boxes = TextBoxes(check)
    #expect(boxes.overlaps.isEmpty, "\(boxes.overlaps)")
    #expect(boxes.outside.isEmpty, "\(boxes.outside)")
    #expect(boxes.overlapping(circleBoxes(check)).isEmpty, "\(boxes.overlapping(circleBoxes(check)))")
    for name in names + ["far left", "far right"] { #expect(boxes.entries.contains { $0.text == name }, "\(name)") }
    #expect(check.all("line").contains { $0.attributes["stroke"] == "#999" }, "stacked labels have leader lines")
  }

  /// The demo's seven models, whose labels used to print on top of each other in pairs.
  @Test func demoLabelsAreAllDrawnInFull() throws {
    let demo: [(String, Double, Double)] = [
      ("plain ReLU", 43.4, 98.61), ("L1 on weights", 87.1, 98.05), ("activation L1", 86.8, 98.33),
      ("dropout", 45.9, 98.61), ("TopK", 91.2, 96.1), ("sparse autoencoder", 42.7, 93.59),
      ("act. L1 + 90% pruned", 97.6, 98.61),
    ]
    let plot = ScatterPlot(
      title: "Test accuracy against skippable work", xAxis: Axis("multiply-adds that involve a zero", unit: "%"),
      yAxis: Axis("test accuracy", unit: "%"), points: demo.map { ScatterPoint(x: $1, y: $2, label: $0) },
      frontier: .bothHigher)
    let check = try checkedSVG(plot.svg())
    let boxes = TextBoxes(check)
    #expect(boxes.overlaps.isEmpty, "\(boxes.overlaps)")
    #expect(boxes.overlapping(circleBoxes(check)).isEmpty)
    for (name, _, _) in demo { #expect(boxes.entries.contains { $0.text == name }, "\(name)") }
    #expect(!check.text.contains("key:"))
  }

  /// On a small chart the labels cannot all fit: some become numbers explained in a key, and
  /// still nothing overlaps.
  @Test func labelsWithoutRoomBecomeNumbersWithAKey() throws {
    let points =
      (0..<8).map { ScatterPoint(x: 5 + Double($0) * 1e-3, y: 5, label: "a rather long label number \($0)") }
      + [ScatterPoint(x: 0, y: 0), ScatterPoint(x: 10, y: 10)]
    let plot = ScatterPlot(
      title: "Small", xAxis: Axis("x"), yAxis: Axis("y"), points: points, size: ChartSize(width: 300, height: 220))
    let check = try checkedSVG(plot.svg())
    let boxes = TextBoxes(check)
    #expect(boxes.overlaps.isEmpty, "\(boxes.overlaps)")
    #expect(boxes.outside.isEmpty, "\(boxes.outside)")
    #expect(boxes.overlapping(circleBoxes(check)).isEmpty)
    #expect(check.text.contains("key: 1 = a rather long label number"))
    #expect(boxes.entries.contains { $0.text == "1" })
    #expect(plot.svg() == plot.svg(), "placement is deterministic")
  }
}
