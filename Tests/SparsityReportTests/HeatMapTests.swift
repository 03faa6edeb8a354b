import Testing

@testable import SparsityReport

@Suite struct HeatMapTests {
  @Test func drawsOneCellPerValue() throws {
    let map = HeatMap(
      title: "Firing rate per unit", rows: [[0, 0.5, 1], [0.2, 0.4]], rowLabels: ["#1", "#3"], columnTitle: "unit",
      valueAxis: Axis("firing rate", unit: "%"))
    let check = try checkedSVG(map.svg())
    let cells = check.all("rect").filter { $0.attributes["stroke"] == nil }
    // The background, five cells and the 24 steps of the color bar.
    #expect(cells.count == 1 + 5 + 24)
    #expect(check.text.contains("firing rate (%)"))
  }

  @Test func colorMapEndsAndNonFinite() {
    #expect(ColorMap.viridis(0) == "#440154")
    #expect(ColorMap.viridis(1) == "#fde725")
    #expect(ColorMap.viridis(7) == "#fde725")
    #expect(ColorMap.viridis(.nan) == "#cccccc")
  }

  @Test func edgeCasesStayValid() throws {
    for rows in [[], [[]], [[1]], [[2, 2]], [[.nan, 1]], [[.infinity]]] as [[[Double]]] {
      try checkedSVG(HeatMap(title: "t", rows: rows, columnTitle: "unit", valueAxis: Axis("v")).svg())
    }
  }

  /// Forty labelled rows in a heat strip: row labels are thinned, the color bar's texts keep
  /// clear of everything.
  @Test func manyRowLabelsKeepApart() throws {
    let rows = (0..<40).map { r in (0..<16).map { Double(($0 * 7 + r) % 16) / 16 } }
    let map = HeatMap(
      title: "Firing rate per unit", rows: rows, rowLabels: (0..<40).map { "layer \($0) (ReLU)" },
      columnTitle: "unit", valueAxis: Axis("firing rate of the unit on the test images", unit: "%"),
      notes: ["one row per layer"])
    let boxes = TextBoxes(try checkedSVG(map.svg()))
    #expect(boxes.overlaps.isEmpty, "\(boxes.overlaps.prefix(3))")
    #expect(boxes.outside.isEmpty, "\(boxes.outside.prefix(3))")
    #expect(boxes.entries.contains { $0.text == "layer 39 (ReLU)" }, "the bottom row keeps its label")
  }
}
