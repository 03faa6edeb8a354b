// Data tables for the report: a header row and rows of cells, numbers right-aligned.

/// A table of text cells under a header row; number columns are right-aligned with digits of
/// equal width so that values line up.
public struct DataTable: Sendable, Equatable {
  /// How a column's cells are aligned.
  public enum Alignment: Sendable, Equatable {
    /// Left-aligned text.
    case text
    /// Right-aligned numbers (tabular digits).
    case number
    /// Left-aligned text in which the spans between ⟦ and ⟧ are highlighted (`<mark>`), e.g. a
    /// token in its context; the marks themselves are not shown.
    case marked
  }

  /// A column: its header and alignment.
  public struct Column: Sendable, Equatable {
    /// The header text, with the unit if any, e.g. "test accuracy (%)".
    public var title: String
    /// How the cells are aligned.
    public var alignment: Alignment

    /// A column with a header and an alignment.
    public init(_ title: String, _ alignment: Alignment = .text) {
      self.title = title
      self.alignment = alignment
    }
  }

  /// The columns, in order.
  public var columns: [Column]
  /// The rows, each with one cell per column.
  public private(set) var rows: [[String]]

  /// A table with `columns` and `rows` (each with one cell per column).
  public init(columns: [Column], rows: [[String]] = []) {
    self.columns = columns
    self.rows = []
    for row in rows { append(row) }
  }

  /// Appends a row; it must have one cell per column.
  public mutating func append(_ row: [String]) {
    precondition(row.count == columns.count, "DataTable: a row of \(row.count) cells for \(columns.count) columns")
    rows.append(row)
  }

  /// The table as HTML (`<table>` with `<thead>` and `<tbody>`), every cell escaped.
  /// - Complexity: O(cells).
  public func html() -> String {
    func cell(_ tag: String, _ text: String, _ alignment: Alignment) -> String {
      let content = alignment == .marked && tag == "td" ? Self.marked(text) : XMLText.escape(text)
      return "<\(tag)\(alignment == .number ? " class=\"num\"" : "")>\(content)</\(tag)>"
    }
    let header = columns.map { cell("th", $0.title, $0.alignment) }.joined()
    let body = rows.map { row in "<tr>" + zip(row, columns).map { cell("td", $0, $1.alignment) }.joined() + "</tr>" }
    return (["<table>", "<thead><tr>\(header)</tr></thead>", "<tbody>"] + body + ["</tbody>", "</table>"]).joined(
      separator: "\n")
  }

  /// `text` escaped, with each ⟦span⟧ as `<mark>span</mark>` (an unclosed ⟦ runs to the end).
  static func marked(_ text: String) -> String {
    var html = ""
    var open = false
    var run = ""
    for character in text {
      guard character == "⟦" || character == "⟧" else {
        run.append(character)
        continue
      }
      html += XMLText.escape(run)
      run = ""
      if character == "⟦" && !open {
        html += "<mark>"
        open = true
      } else if character == "⟧" && open {
        html += "</mark>"
        open = false
      }
    }
    html += XMLText.escape(run) + (open ? "</mark>" : "")
    return html
  }
}
