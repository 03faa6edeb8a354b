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
/// tick labels and axis titles around it. Sizes in CSS pixels; text widths are estimated at
/// 0.6 em per character (no font metrics offline).
struct ChartFrame {
  static let titleSize = 16.0, axisTitleSize = 13.0, tickSize = 12.0, noteSize = 12.0

  let size: ChartSize
  let left: Double, top: Double, right: Double, bottom: Double
  let x: AxisMapping, y: AxisMapping
  private let legendRows: [[LegendEntry]]
  private let notesTop: Double

  /// Lays out a chart with axes `x` and `y`, `notes` (one line each) and a `legend`.
  init(size: ChartSize, x: AxisMapping, y: AxisMapping, notes: [String], legend: [LegendEntry]) {
    self.size = size
    self.x = x
    self.y = y
    notesTop = 12 + Self.titleSize + 6
    legendRows = Self.rows(legend, width: size.width - 40)
    let tickWidth = Double(y.ticks.map(\.label.count).max() ?? 1) * Self.tickSize * 0.6
    left = min(size.width / 3, 12 + Self.axisTitleSize + 8 + tickWidth + 8)
    right = size.width - 20
    bottom = size.height - (Self.tickSize + 10 + Self.axisTitleSize + 14)
    // Many notes or legend rows on a small chart: keep at least 40 pixels of plot.
    top = min(bottom - 40, notesTop + Double(notes.count) * 16 + Double(legendRows.count) * 18 + 12)
  }

  /// The plot-area pixel of an x value (nil when the axis cannot show it).
  func px(_ value: Double) -> Double? { x.pixel(value, from: left, to: right) }
  /// The plot-area pixel of a y value (nil when the axis cannot show it).
  func py(_ value: Double) -> Double? { y.pixel(value, from: bottom, to: top) }

  /// Draws title, notes, legend, grid lines, axes, ticks and axis titles.
  func draw(on canvas: inout SVGCanvas, title: String, notes: [String], xLabel: String, yLabel: String) {
    canvas.text(title, size.width / 2, 12 + Self.titleSize, size: Self.titleSize, anchor: "middle", weight: "bold")
    for (i, note) in notes.enumerated() {
      canvas.text(
        note, size.width / 2, notesTop + 12 + Double(i) * 16, size: Self.noteSize, anchor: "middle", fill: "#555")
    }
    drawLegend(on: &canvas, top: notesTop + Double(notes.count) * 16)
    for tick in y.ticks {
      guard let yy = py(tick.value) else { continue }
      canvas.line(left, yy, right, yy, stroke: "#e4e4e4")
      canvas.line(left - 5, yy, left, yy, stroke: "#444")
      canvas.text(tick.label, left - 8, yy + 4, size: Self.tickSize, anchor: "end")
    }
    for tick in x.ticks {
      guard let xx = px(tick.value) else { continue }
      if case .categories = x.scale {} else { canvas.line(xx, top, xx, bottom, stroke: "#f0f0f0") }
      canvas.line(xx, bottom, xx, bottom + 5, stroke: "#444")
      canvas.text(tick.label, xx, bottom + 8 + Self.tickSize, size: Self.tickSize, anchor: "middle")
    }
    canvas.line(left, bottom, right, bottom, stroke: "#444")
    canvas.line(left, top, left, bottom, stroke: "#444")
    canvas.text(xLabel, (left + right) / 2, size.height - 10, size: Self.axisTitleSize, anchor: "middle")
    let yMiddle = (top + bottom) / 2
    canvas.text(yLabel, 12 + Self.axisTitleSize, yMiddle, size: Self.axisTitleSize, anchor: "middle", rotate: -90)
  }

  /// A "no data" message in the middle of the plot area.
  func drawEmpty(on canvas: inout SVGCanvas, message: String = "no data to plot") {
    canvas.text(message, (left + right) / 2, (top + bottom) / 2, size: 14, anchor: "middle", fill: "#777")
  }

  private func drawLegend(on canvas: inout SVGCanvas, top legendTop: Double) {
    for (r, row) in legendRows.enumerated() {
      let widths = row.map(Self.entryWidth)
      var xx = (size.width - widths.reduce(0, +)) / 2
      let yy = legendTop + 12 + Double(r) * 18
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

  private static func entryWidth(_ entry: LegendEntry) -> Double { 26 + Double(entry.name.count) * tickSize * 0.6 + 18 }

  /// Legend entries packed into rows no wider than `width`.
  private static func rows(_ entries: [LegendEntry], width: Double) -> [[LegendEntry]] {
    var rows: [[LegendEntry]] = []
    var current: [LegendEntry] = []
    var used = 0.0
    for entry in entries {
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
