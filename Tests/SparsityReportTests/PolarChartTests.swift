import Foundation
import Testing

@testable import SparsityReport

@Suite struct PolarChartTests {
  /// A unit tuned to vertical lines: responses at 0, 45, 90 and 135 degrees.
  private let vertical = PolarSeries("unit 0", angles: [0, 45, 90, 135], radii: [0.5, 1, 2, 1])

  private func point(_ polygon: XMLCheck.Element, _ index: Int) -> (x: Double, y: Double) {
    let pair = polygon.attributes["points"]!.split(separator: " ")[index].split(separator: ",")
    return (Double(pair[0])!, Double(pair[1])!)
  }

  @Test func drawsACurveWithRingsSpokesAndLabels() throws {
    let chart = PolarChart(title: "Tuning <of> unit 0 & more", radialAxis: Axis("response"), series: [vertical])
    let check = try checkedSVG(chart.svg())
    #expect(check.text.contains("Tuning <of> unit 0 & more"))
    #expect(check.all("polygon").count == 1)
    #expect(check.all("circle").filter { $0.attributes["fill"] == "none" }.count == 2)  // rings at 1 and 2
    #expect(check.all("circle").filter { $0.attributes["fill"] != "none" }.count == 4)  // one dot per point
    #expect(check.all("line").count == 12)  // spokes every 30 degrees
    for label in ["0°", "90°", "180°", "270°", "330°"] { #expect(check.text.contains(label), "\(label)") }
    let boxes = TextBoxes(check)
    #expect(boxes.overlaps.isEmpty, "\(boxes.overlaps.prefix(3))")
    #expect(boxes.outside.isEmpty, "\(boxes.outside.prefix(3))")
  }

  /// Directions run counter-clockwise from the right; axial data are mirrored through the centre.
  @Test func axialDataAreDrawnAtTheAngleAndOpposite() throws {
    let chart = PolarChart(title: "t", radialAxis: Axis("response"), series: [vertical], axial: true)
    let check = try checkedSVG(chart.svg())
    let polygon = try #require(check.all("polygon").first)
    #expect(polygon.attributes["points"]!.split(separator: " ").count == 8)
    let (right, up, down) = (point(polygon, 0), point(polygon, 2), point(polygon, 6))
    let centerY = (up.y + down.y) / 2
    #expect(abs(up.x - down.x) < 0.02 && up.y < down.y)  // 90 degrees straight up, 270 straight down
    #expect(abs(right.y - centerY) < 0.02)  // 0 degrees to the right of the centre
    #expect(abs((right.x - up.x) * 4 - (centerY - up.y)) < 0.05)  // radius 0.5 at 0 degrees, 2 at 90
    #expect(!check.text.contains("270°"))  // only the upper half is labelled for orientations
  }

  @Test func negativeAndNonFiniteRadiiAreLeftOutWithANote() throws {
    let series = PolarSeries("s", angles: [0, 90, 180], radii: [1, -1, .nan])
    let check = try checkedSVG(PolarChart(title: "t", radialAxis: Axis("r"), series: [series]).svg())
    #expect(check.text.contains("2 points with a negative"))  // the note, wrapped to the width
    #expect(check.all("circle").filter { $0.attributes["fill"] != "none" }.count == 1)
  }

  @Test func edgeCasesStayValid() throws {
    let cases: [[PolarSeries]] = [
      [], [PolarSeries("empty", angles: [], radii: [])], [PolarSeries("zero", angles: [0, 90], radii: [0, 0])],
      [PolarSeries("huge", angles: [0, 90], radii: [1e300, 1])],
      (0..<9).map { PolarSeries("series with a long name \($0)", angles: [0, 60, 120], radii: [1, 2, 3]) },
    ]
    for series in cases {
      let svg = PolarChart(title: "t", radialAxis: Axis("r"), series: series, axial: true).svg()
      let boxes = TextBoxes(try checkedSVG(svg))
      #expect(boxes.outside.isEmpty, "\(boxes.outside.prefix(3))")
    }
    let empty = try checkedSVG(PolarChart(title: "t", radialAxis: Axis("r"), series: []).svg())
    #expect(empty.text.contains("no data to plot"))
  }

  @Test func figureGridsShowChartsSideBySide() throws {
    var section = ReportSection("Orientation")
    let chart = PolarChart(title: "unit 0", radialAxis: Axis("r"), series: [vertical], axial: true)
    section.figureGrid([chart, chart], caption: "two <units>")
    var report = ReportDocument(title: "t")
    report.append(section)
    let check = try XMLCheck.parse(report.html())
    #expect(report.html().contains("<figure class=\"grid\">"))
    #expect(check.all("svg").count == 2)
    #expect(check.text.contains("two <units>"))
    #expect(ReportStyle.css.contains("figure.grid svg { display: inline-block;"))
  }
}
