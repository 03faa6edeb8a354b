// A section of a report: a heading and blocks of text, tables, charts and images.

/// One piece of a report section.
public enum ReportBlock: Sendable, Equatable {
  /// A paragraph of text.
  case paragraph(String)
  /// A smaller heading inside the section.
  case subheading(String)
  /// A two-column table of names and values (settings, a summary).
  case keyValues([KeyValue])
  /// A data table.
  case table(DataTable)
  /// A chart rendered as SVG, with a caption.
  case figure(svg: String, caption: String)
  /// A small chart shown at its own size rather than the column's width, with a caption.
  case compactFigure(svg: String, caption: String)
  /// Small charts side by side at their own size, wrapping onto more rows, with one caption
  /// (small multiples: one chart per unit).
  case figureGrid(svgs: [String], caption: String)
  /// A PNG image with its caption.
  case image(ReportImage)
  /// Preformatted text in a monospace font (a command line, program output).
  case code(String)
}

/// A name and its value in a key-value table.
public struct KeyValue: Sendable, Equatable {
  /// The name, e.g. "epochs".
  public var key: String
  /// The value as text, e.g. "20".
  public var value: String

  /// A name and a value.
  public init(_ key: String, _ value: String) {
    self.key = key
    self.value = value
  }
}

/// A section of a report: an `<h2>` heading and its blocks.
public struct ReportSection: Sendable, Equatable {
  /// The heading.
  public var title: String
  /// The blocks, in order.
  public var blocks: [ReportBlock]

  /// A section with a heading and (optionally) blocks.
  public init(_ title: String, blocks: [ReportBlock] = []) {
    self.title = title
    self.blocks = blocks
  }

  /// Appends a paragraph.
  public mutating func paragraph(_ text: String) { blocks.append(.paragraph(text)) }
  /// Appends a smaller heading.
  public mutating func subheading(_ text: String) { blocks.append(.subheading(text)) }
  /// Appends a table of names and values.
  public mutating func keyValues(_ pairs: [(String, String)]) {
    blocks.append(.keyValues(pairs.map { KeyValue($0, $1) }))
  }
  /// Appends a data table.
  public mutating func table(_ table: DataTable) { blocks.append(.table(table)) }
  /// Appends a chart (rendered now) with a caption.
  public mutating func figure(_ chart: any SVGChart, caption: String) {
    blocks.append(.figure(svg: chart.svg(), caption: caption))
  }
  /// Appends a small chart (rendered now), shown at its own size, with a caption.
  public mutating func compactFigure(_ chart: any SVGChart, caption: String) {
    blocks.append(.compactFigure(svg: chart.svg(), caption: caption))
  }
  /// Appends small charts (rendered now) side by side, with one caption.
  public mutating func figureGrid(_ charts: [any SVGChart], caption: String) {
    blocks.append(.figureGrid(svgs: charts.map { $0.svg() }, caption: caption))
  }
  /// Appends a PNG image; `ReportWriter` writes it next to the page.
  public mutating func image(_ image: ReportImage) { blocks.append(.image(image)) }
  /// Appends preformatted text.
  public mutating func code(_ text: String) { blocks.append(.code(text)) }

  /// The section as HTML, with `id` as its anchor.
  func html(id: String) -> String {
    var lines = ["<section id=\"\(id)\">", "<h2>\(XMLText.escape(title))</h2>"]
    for block in blocks {
      switch block {
      case .paragraph(let text): lines.append("<p>\(XMLText.escape(text))</p>")
      case .subheading(let text): lines.append("<h3>\(XMLText.escape(text))</h3>")
      case .keyValues(let pairs):
        let rows = pairs.map {
          "<tr><th scope=\"row\">\(XMLText.escape($0.key))</th><td>\(XMLText.escape($0.value))</td></tr>"
        }
        lines.append((["<table class=\"summary\">"] + rows + ["</table>"]).joined(separator: "\n"))
      case .table(let table): lines.append(table.html())
      case .figure(let svg, let caption):
        lines.append("<figure>\n\(svg)\n<figcaption>\(XMLText.escape(caption))</figcaption>\n</figure>")
      case .compactFigure(let svg, let caption):
        lines.append(
          "<figure class=\"compact\">\n\(svg)\n<figcaption>\(XMLText.escape(caption))</figcaption>\n</figure>")
      case .figureGrid(let svgs, let caption):
        lines.append(
          "<figure class=\"grid\">\n\(svgs.joined(separator: "\n"))\n<figcaption>\(XMLText.escape(caption))</figcaption>\n</figure>"
        )
      case .image(let image): lines.append(image.html())
      case .code(let text): lines.append("<pre>\(XMLText.escape(text))</pre>")
      }
    }
    lines.append("</section>")
    return lines.joined(separator: "\n")
  }
}
