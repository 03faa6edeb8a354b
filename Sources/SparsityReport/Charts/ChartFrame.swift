// The frame around a chart's data: title, notes, legend, plot area, axes, ticks and grid.

import Foundation

/// One entry of a chart legend.
struct LegendEntry {
  var name: String
  var color: String
  var dashed = false
  /// Drawn as a filled square (bars) rather than a line with a dot.
  var isSwatch = false
}

/// The layout of a chart: the title and notes at the top, a legend under them, the plot area,
/// tick labels and axis titles around it. Sizes in CSS pixels; text sizes are the estimates of
/// `TextMetrics` (no font metrics offline).
///
/// No two texts of the frame overlap: notes wrap to the chart's width; titles, legend names and
/// tick labels too long for their room are cut with "…" (the full text becomes a tooltip);
/// tick labels are thinned when the axis is crowded (`TickLabels`); the plot area gives way to
/// the lines of wrapped category labels under it.
struct ChartFrame {
  static let titleSize = 16.0, axisTitleSize = 13.0, tickSize = 12.0, noteSize = 12.0
  /// The distance between note lines and between legend rows.
  static let noteSpacing = 16.0, legendSpacing = 18.0

  /// The chart's size: the size asked for, or taller when the notes and legend need it.
  let size: ChartSize
  let left: Double, top: Double, right: Double, bottom: Double
  let x: AxisMapping, y: AxisMapping
  /// The tick labels drawn under the plot and left of it (after thinning).
  let xLabels: [TickLabel], yLabels: [TickLabel]
  private let noteLines: [String]
  private let legendRows: [[LegendEntry]]
  static let notesTop = 12 + titleSize + 6

  /// Lays out a chart of about `size` with axes `x` and `y`, `notes` (wrapped to the width) and a
  /// `legend`; the chart grows taller when notes and legend leave less than 40 pixels of plot
  /// (`size` is then the grown size). Category labels under the plot wrap into at most
  /// `maxXLabelLines` lines; labels left of it take at most `maxYLabelWidth` pixels (nil: up to a
  /// third of the width, with the axis title).
  init(
    size requested: ChartSize, x: AxisMapping, y: AxisMapping, notes: [String], legend: [LegendEntry],
    maxXLabelLines: Int = 2, maxYLabelWidth: Double? = nil
  ) {
    self.x = x
    self.y = y
    let width = requested.width
    noteLines = notes.flatMap { TextMetrics.wrapped($0, toWidth: width - 20, size: Self.noteSize, maxLines: 8) }
    legendRows = Self.legendRows(legend, width: width - 40)
    let yRoom = maxYLabelWidth ?? (width / 3 - Self.yTitleRoom - 8)
    let yWidth = min(yRoom, y.ticks.map { TextMetrics.width($0.label, size: Self.tickSize) }.max() ?? 0)
    left = Self.yTitleRoom + yWidth + 8
    right = width - 20
    xLabels = Self.xTickLabels(x, left: left, right: right, maxLines: maxXLabelLines, width: width)
    let lines = Double(xLabels.map(\.lines.count).max() ?? 1)
    let below = Self.tickSize * (1 + (lines - 1) * TextMetrics.lineSpacing) + 10 + Self.axisTitleSize + 14
    let header = Self.notesTop + Double(noteLines.count) * Self.noteSpacing
    let plotTop = header + Double(legendRows.count) * Self.legendSpacing + 12
    // Many notes or legend rows on a small chart: grow taller to keep 40 pixels of plot.
    let height = max(requested.height, (plotTop + 40 + below).rounded(.up))
    let plotBottom = height - below
    (size, top, bottom) = (ChartSize(width: width, height: height), plotTop, plotBottom)
    let yTicks = y.ticks.map {
      (position: y.pixel($0.value, from: plotBottom, to: plotTop) ?? plotBottom, label: $0.label)
    }
    yLabels = TickLabels.vertical(yTicks, maxWidth: yWidth, size: Self.tickSize)
  }

  /// The room left of the y tick labels for the rotated y axis title.
  private static let yTitleRoom = 12 + axisTitleSize + 8

  /// The x tick labels: on a categorical axis wrapped to their room, on a numeric one one line.
  private static func xTickLabels(
    _ x: AxisMapping, left: Double, right: Double, maxLines: Int, width: Double
  ) -> [TickLabel] {
    let ticks = x.ticks.map { (position: x.pixel($0.value, from: left, to: right) ?? left, label: $0.label) }
    guard case .categories = x.scale else {
      return TickLabels.horizontal(ticks, maxWidth: right - left, maxLines: 1, size: tickSize, bounds: 2...(width - 2))
    }
    // Category names get the room between neighbouring ticks, wrapped into lines.
    let spacing = ticks.count > 1 ? ticks[1].position - ticks[0].position : right - left
    return TickLabels.horizontal(
      ticks, maxWidth: spacing - TickLabels.gap, maxLines: maxLines, size: tickSize, bounds: 2...(width - 2))
  }

  /// The plot-area pixel of an x value (nil when the axis cannot show it).
  func px(_ value: Double) -> Double? { x.pixel(value, from: left, to: right) }
  /// The plot-area pixel of a y value (nil when the axis cannot show it).
  func py(_ value: Double) -> Double? { y.pixel(value, from: bottom, to: top) }
  /// The plot area.
  var plotArea: PixelRect { PixelRect(x: left, y: top, width: right - left, height: bottom - top) }

  /// The baseline of line `line` (0 first) of the x tick labels.
  func xLabelBaseline(line: Int) -> Double { bottom + 8 + Self.tickSize * (1 + Double(line) * TextMetrics.lineSpacing) }

  /// Draws title, notes, legend, grid lines, axes, ticks and axis titles.
  func draw(on canvas: inout SVGCanvas, title: String, xLabel: String, yLabel: String) {
    Self.fitted(title, width: size.width - 20, size: Self.titleSize) { text, tip in
      canvas.text(
        text, size.width / 2, 12 + Self.titleSize, size: Self.titleSize, anchor: .middle, weight: "bold", tooltip: tip)
    }
    for (i, note) in noteLines.enumerated() {
      canvas.text(
        note, size.width / 2, Self.notesTop + 12 + Double(i) * Self.noteSpacing, size: Self.noteSize, anchor: .middle,
        fill: "#555")
    }
    Self.drawLegend(
      legendRows, on: &canvas, top: Self.notesTop + Double(noteLines.count) * Self.noteSpacing, width: size.width)
    drawYAxis(on: &canvas)
    drawXAxis(on: &canvas)
    canvas.line(left, bottom, right, bottom, stroke: "#444")
    canvas.line(left, top, left, bottom, stroke: "#444")
    Self.fitted(xLabel, width: right - left, size: Self.axisTitleSize) { text, tip in
      canvas.text(text, (left + right) / 2, size.height - 10, size: Self.axisTitleSize, anchor: .middle, tooltip: tip)
    }
    Self.fitted(yLabel, width: bottom - top, size: Self.axisTitleSize) { text, tip in
      canvas.text(
        text, 12 + Self.axisTitleSize, (top + bottom) / 2, size: Self.axisTitleSize, anchor: .middle, rotate: -90,
        tooltip: tip)
    }
  }

  /// Calls `draw` with `text` cut to `width` pixels at `size` and, when cut, the full text.
  static func fitted(_ text: String, width: Double, size: Double, draw: (String, String?) -> Void) {
    let shown = TextMetrics.abbreviated(text, toWidth: width, size: size)
    draw(shown, shown == text ? nil : text)
  }

  private func drawYAxis(on canvas: inout SVGCanvas) {
    let isCategorical: Bool
    if case .categories = y.scale { isCategorical = true } else { isCategorical = false }
    for tick in y.ticks {
      guard let yy = py(tick.value) else { continue }
      if !isCategorical { canvas.line(left, yy, right, yy, stroke: "#e4e4e4") }
      canvas.line(left - 5, yy, left, yy, stroke: "#444")
    }
    for label in yLabels {
      let baseline = label.center + (TextMetrics.ascent - TextMetrics.descent) / 2 * Self.tickSize
      canvas.text(label.lines[0], left - 8, baseline, size: Self.tickSize, anchor: .end, tooltip: label.tooltip)
    }
  }

  private func drawXAxis(on canvas: inout SVGCanvas) {
    for tick in x.ticks {
      guard let xx = px(tick.value) else { continue }
      if case .categories = x.scale {} else { canvas.line(xx, top, xx, bottom, stroke: "#f0f0f0") }
      canvas.line(xx, bottom, xx, bottom + 5, stroke: "#444")
    }
    for label in xLabels {
      for (i, line) in label.lines.enumerated() {
        canvas.text(
          line, label.center, xLabelBaseline(line: i), size: Self.tickSize, anchor: .middle, tooltip: label.tooltip)
      }
    }
  }

  /// A "no data" message in the middle of the plot area.
  func drawEmpty(on canvas: inout SVGCanvas, message: String = "no data to plot") {
    canvas.text(message, (left + right) / 2, (top + bottom) / 2, size: 14, anchor: .middle, fill: "#777")
  }

  /// Draws legend `rows` (from `legendRows`) centred in a chart `width` pixels wide, the first
  /// row's baseline 12 pixels under `legendTop`, rows `legendSpacing` apart.
  static func drawLegend(_ rows: [[LegendEntry]], on canvas: inout SVGCanvas, top legendTop: Double, width: Double) {
    for (r, row) in rows.enumerated() {
      let widths = row.map(Self.entryWidth)
      var xx = (width - widths.reduce(0, +)) / 2
      let yy = legendTop + 12 + Double(r) * Self.legendSpacing
      for (entry, width) in zip(row, widths) {
        if entry.isSwatch {
          canvas.rect(xx + 4, yy - 9, 12, 10, fill: entry.color)
        } else {
          canvas.line(xx, yy - 4, xx + 20, yy - 4, stroke: entry.color, width: 2.5, dash: entry.dashed ? "6 4" : nil)
        }
        canvas.text(entry.name, xx + 26, yy, size: Self.tickSize)
        xx += width
      }
    }
  }

  private static func entryWidth(_ entry: LegendEntry) -> Double {
    26 + TextMetrics.width(entry.name, size: tickSize) + 18
  }

  /// Legend entries packed into rows no wider than `width`; names too long for a row are cut.
  static func legendRows(_ entries: [LegendEntry], width: Double) -> [[LegendEntry]] {
    var rows: [[LegendEntry]] = []
    var current: [LegendEntry] = []
    var used = 0.0
    for var entry in entries {
      entry.name = TextMetrics.abbreviated(entry.name, toWidth: width - 44, size: tickSize)
      let w = entryWidth(entry)
      if !current.isEmpty && used + w > width {
        rows.append(current)
        current = []
        used = 0
      }
      current.append(entry)
      used += w
    }
    if !current.isEmpty { rows.append(current) }
    return rows
  }
}
