// The style sheet embedded in every report page.

/// The report's CSS: readable type, tables with right-aligned tabular numbers, charts as wide as
/// the text column that shrink with narrow windows. It contains no `<` or `&`, so the page stays
/// well-formed XML.
enum ReportStyle {
  /// The width of the text column in CSS pixels; charts are drawn this wide by default
  /// (`ChartSize.standard`), so that they fill the column at their natural size.
  static let columnWidth = 980.0

  static let css = """
    body { font-family: Helvetica, Arial, sans-serif; font-size: 16px; line-height: 1.45; color: #1b1b1b;
      max-width: \(Int(columnWidth))px; margin: 2em auto; padding: 0 1em; background: #ffffff; }
    h1 { font-size: 1.8em; margin-bottom: 0.2em; }
    h2 { font-size: 1.35em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
    h3 { font-size: 1.1em; margin-top: 1.4em; }
    p.intro { color: #444; }
    nav ol { margin: 0.5em 0 1.5em; }
    table { border-collapse: collapse; margin: 1em 0; font-size: 0.92em; }
    th, td { border-bottom: 1px solid #e2e2e2; padding: 0.3em 0.8em; text-align: left; vertical-align: top; }
    thead th { border-bottom: 2px solid #999; background: #f6f6f6; }
    td:first-child, th:first-child { white-space: nowrap; }
    td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    th.num { text-align: right; }
    table.summary th { font-weight: normal; color: #555; }
    figure { margin: 1.5em 0; }
    figure svg { width: 100%; height: auto; display: block; }
    figure.compact svg { width: auto; max-width: 100%; }
    figure.grid svg { display: inline-block; width: auto; max-width: 100%; vertical-align: top; margin: 0 0.3em 0.3em 0; }
    mark { background: #ffe08a; padding: 0 0.1em; border-radius: 2px; }
    figcaption { font-size: 0.9em; color: #444; margin-top: 0.4em; }
    img { max-width: 100%; height: auto; display: block; border: 1px solid #ddd; }
    img.pixelated { image-rendering: pixelated; image-rendering: crisp-edges; }
    pre { background: #f4f4f4; padding: 0.7em; overflow-x: auto; font-size: 0.88em; }
    """
}
