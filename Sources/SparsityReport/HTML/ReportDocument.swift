// SparsityReport: offline HTML reports with inline SVG charts, PNG images and tables.
//
// The API in one place (everything is a value; nothing touches the disk until ReportWriter):
//
//   var report = ReportDocument(title: "Sweep of --act-l1", introduction: "...")
//   var section = ReportSection("Accuracy against sparsity")
//   section.paragraph("Each point is one model ...")
//   section.keyValues([("data", "digits"), ("epochs", "20")])
//   section.table(DataTable(columns: [.init("value"), .init("test accuracy (%)", .number)], rows: [...]))
//   section.figure(ScatterPlot(title:, xAxis: Axis("activation sparsity", unit: "%"),
//                              yAxis: Axis("test accuracy", unit: "%"), points: [...],
//                              frontier: .bothHigher), caption: "...")
//   section.image(ReportImage(fileName: "atoms.png", gray: image, alternativeText:, caption:, scale: 4))
//   report.append(section)
//   let index = try ReportWriter.write(report, to: URL(fileURLWithPath: "report"))  // report/index.html + PNGs
//
// Charts (all `SVGChart`: `svg()` returns one valid <svg> element, non-finite data skipped with a note):
//   LineChart (LineSeries, e.g. accuracy per epoch), Histogram (binned values or given counts),
//   BarChart (BarSeries per category), ScatterPlot (ScatterPoint, optional Pareto frontier),
//   HeatMap (rows of cells with a color bar; one row = heat strip).
// Axes: Axis(title, unit:, scale: .linear | .logarithmic | .categories([...]), range:, includesZero:).
// Helpers: XMLText.escape, NumberFormat.compact / .percent, ChartPalette, ColorMap.viridis, ParetoFrontier.

/// An HTML report: a title, an introduction and sections of text, tables, charts and images.
///
/// `html()` is one self-contained, well-formed page (it also parses as XML): UTF-8, an embedded
/// style sheet, inline SVG charts, no scripts and no external resources other than the PNG files
/// of its images, referenced by relative file name. `ReportWriter` writes the page and the PNGs.
public struct ReportDocument: Sendable, Equatable {
  /// The page title, also the top heading.
  public var title: String
  /// A paragraph under the title (empty for none).
  public var introduction: String
  /// The sections, in order.
  public private(set) var sections: [ReportSection] = []

  /// An empty report.
  public init(title: String, introduction: String = "") {
    self.title = title
    self.introduction = introduction
  }

  /// Appends a section.
  public mutating func append(_ section: ReportSection) { sections.append(section) }

  /// Every image of every section, in order.
  public var images: [ReportImage] {
    sections.flatMap { $0.blocks.compactMap { if case .image(let image) = $0 { image } else { nil } } }
  }

  /// The complete page. Complexity: O(size of the page).
  public func html() -> String {
    var lines = [
      "<!DOCTYPE html>", "<html lang=\"en\">", "<head>", "<meta charset=\"utf-8\"/>",
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>",
      "<title>\(XMLText.escape(title))</title>", "<style>", ReportStyle.css, "</style>", "</head>", "<body>",
      "<h1>\(XMLText.escape(title))</h1>",
    ]
    if !introduction.isEmpty { lines.append("<p class=\"intro\">\(XMLText.escape(introduction))</p>") }
    if sections.count > 2 {
      let items = sections.enumerated().map {
        "<li><a href=\"#section-\($0 + 1)\">\(XMLText.escape($1.title))</a></li>"
      }
      lines.append("<nav><ol>" + items.joined() + "</ol></nav>")
    }
    for (i, section) in sections.enumerated() { lines.append(section.html(id: "section-\(i + 1)")) }
    lines += ["</body>", "</html>", ""]
    return lines.joined(separator: "\n")
  }
}
