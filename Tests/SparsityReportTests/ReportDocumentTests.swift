import Foundation
import SparsityCore
import SparsityIO
import Testing

@testable import SparsityReport

@Suite struct ReportDocumentTests {
  static func sample() -> ReportDocument {
    var report = ReportDocument(title: "Sweep <act-l1> & friends", introduction: "One model per value.")
    var settings = ReportSection("Settings")
    settings.keyValues([("data", "digits"), ("epochs", "20 & more")])
    settings.code("sparsity sweep --param act-l1 --values 0,1e-3")
    report.append(settings)
    var results = ReportSection("Results")
    results.paragraph("Accuracy < 100% \u{7}always.")
    results.table(
      DataTable(
        columns: [.init("value"), .init("test accuracy (%)", .number)], rows: [["0", "98.05"], ["1e-3", "97.77"]]))
    results.figure(
      LineChart(
        title: "gap", xAxis: Axis("value"), yAxis: Axis("gap", unit: "points"), series: [LineSeries("gap", y: [1, 2])]),
      caption: "The gap.")
    results.figure(Histogram(title: "empty", values: [Float](), xAxis: Axis("v")), caption: "Nothing.")
    report.append(results)
    var images = ReportSection("Images")
    images.image(
      ReportImage(
        fileName: "digit.png", gray: GrayImage(width: 8, height: 8, repeating: 0.5), alternativeText: "a gray square",
        caption: "8x8, shown 4x", scale: 4))
    images.image(
      ReportImage(
        fileName: "color.png", rgb: [1, 0, 0, 0, 1, 0], width: 2, height: 1, alternativeText: "red, green",
        caption: "RGB"))
    report.append(images)
    return report
  }

  @Test func pageIsWellFormedWithEscapedTextAndEverySVGValid() throws {
    let html = Self.sample().html()
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("<meta charset=\"utf-8\"/>"))
    #expect(!html.contains("<script"))
    #expect(
      !html.contains("http://")
        || !html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://"))
    let page = try XMLCheck.parse(html)
    #expect(page.text.contains("Sweep <act-l1> & friends"))
    #expect(page.text.contains("Accuracy < 100% always."))
    #expect(page.all("svg").count == 2)
    #expect(page.all("h2").count == 3)
    #expect(page.all("nav").count == 1)
    #expect(page.all("td").filter { $0.attributes["class"] == "num" }.count == 2)
    // Every inline SVG element also parses on its own.
    var rest = html[...]
    while let start = rest.range(of: "<svg "),
      let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex)
    {
      try checkedSVG(String(rest[start.lowerBound..<end.upperBound]))
      rest = rest[end.upperBound...]
    }
  }

  @Test func imagesAreListedAndReferencedWithAltText() throws {
    let report = Self.sample()
    #expect(report.images.map(\.fileName) == ["digit.png", "color.png"])
    let images = try XMLCheck.parse(report.html()).all("img")
    #expect(images.map { $0.attributes["src"] } == ["digit.png", "color.png"])
    #expect(images[0].attributes["alt"] == "a gray square")
    #expect(images[0].attributes["width"] == "32")
    #expect(images[0].attributes["class"] == "pixelated")
  }

  @Test func plainFileNamesOnly() {
    #expect(ReportImage.isPlainFileName("atoms-1_2.png"))
    for bad in ["../x.png", "a/b.png", ".png", "x.svg", "a b.png", ""] {
      #expect(!ReportImage.isPlainFileName(bad), "\(bad)")
    }
  }

  /// Charts fill the text column: drawn as wide as it by default, scaled to it by the page, and
  /// never blown up beyond their own width.
  @Test func chartsAreAsWideAsTheTextColumn() throws {
    #expect(ChartSize.standard.width == ReportStyle.columnWidth)
    #expect(ChartSize.wide.width == ReportStyle.columnWidth)
    #expect(ReportStyle.css.contains("max-width: \(Int(ReportStyle.columnWidth))px"))
    #expect(ReportStyle.css.contains("figure svg { width: 100%; height: auto;"))
    let chart = LineChart(title: "t", xAxis: Axis("x"), yAxis: Axis("y"), series: [LineSeries("s", y: [1, 2])])
    let root = try #require(try checkedSVG(chart.svg()).elements.first)
    #expect(root.attributes["viewBox"] == "0 0 980 500")
    #expect(root.attributes["style"] == "max-width: 980px")
  }
}
