import Testing

@testable import SparsityReport

/// Marked columns: the ⟦span⟧ of a context highlighted, everything else escaped.
@Suite struct DataTableTests {
  @Test func markedCellsHighlightTheSpanAndEscapeTheRest() throws {
    #expect(DataTable.marked("a <b> ⟦c&d⟧ e") == "a &lt;b&gt; <mark>c&amp;d</mark> e")
    #expect(DataTable.marked("⟧ stray ⟦open") == " stray <mark>open</mark>")
    let table = DataTable(columns: [.init("context", .marked)], rows: [["x ⟦y⟧"]])
    #expect(table.html().contains("<th>context</th>") && table.html().contains("<td>x <mark>y</mark></td>"))
    var section = ReportSection("s")
    section.table(table)
    section.compactFigure(
      Histogram(
        title: "h", edges: [0, 1, 2], counts: [1, 2], xAxis: Axis("v"), size: ChartSize(width: 300, height: 160)),
      caption: "small")
    var report = ReportDocument(title: "t")
    report.append(section)
    _ = try XMLCheck.parse(report.html())
    #expect(report.html().contains("<figure class=\"compact\">"))
  }
}
