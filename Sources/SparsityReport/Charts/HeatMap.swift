// Heat maps and heat strips: one colored cell per value, e.g. the firing rate of every unit.

/// Rows of colored cells with a color bar: cell j of row i has the color of `rows[i][j]`.
///
/// Each row spans the full width, so rows of different lengths (layers of different widths)
/// line up at both ends; one row is a heat strip. Colors follow `ColorMap.viridis` over `range`
/// (nil: the finite values' range); non-finite values are gray, with a note.
public struct HeatMap: SVGChart, Equatable {
  /// The chart title.
  public var title: String
  /// The values, one array per row.
  public var rows: [[Double]]
  /// The label left of each row (empty strings for none).
  public var rowLabels: [String]
  /// What the cells' horizontal position means, e.g. "unit (sorted by firing rate)".
  public var columnTitle: String
  /// What the colors mean, with its unit, shown at the color bar.
  public var valueAxis: Axis
  /// Extra lines of text under the title.
  public var notes: [String]
  /// The size in pixels (taller when notes and legend would leave the plot under 40 pixels).
  public var size: ChartSize

  /// A heat map; `rowLabels` must be empty or have one label per row.
  public init(
    title: String, rows: [[Double]], rowLabels: [String] = [], columnTitle: String, valueAxis: Axis,
    notes: [String] = [], size: ChartSize = .wide
  ) {
    precondition(
      rowLabels.isEmpty || rowLabels.count == rows.count,
      "HeatMap '\(title)': \(rowLabels.count) labels for \(rows.count) rows")
    self.title = title
    self.rows = rows
    self.rowLabels = rowLabels
    self.columnTitle = columnTitle
    self.valueAxis = valueAxis
    self.notes = notes
    self.size = size
  }

  /// The chart as SVG. Complexity: O(cells).
  public func svg() -> String {
    let values = rows.flatMap { $0 }
    let finite = values.filter(\.isFinite)
    let skipped = values.count - finite.count
    let allNotes = notes + (skipped > 0 ? ["\(skipped) non-finite value\(skipped == 1 ? "" : "s") shown gray"] : [])
    var low = valueAxis.range?.lowerBound ?? finite.min() ?? 0
    var high = valueAxis.range?.upperBound ?? finite.max() ?? 1
    if high <= low { (low, high) = (low - 0.5, low + 0.5) }
    let labels = rowLabels.isEmpty ? rows.map { _ in "" } : rowLabels
    let rowAxis = AxisMapping.fit(Axis("", scale: .categories(labels.reversed())), values: [], maxTicks: labels.count)
    let frame = ChartFrame(
      size: size, x: AxisMapping(lower: 0, upper: 1, ticks: [], scale: .linear), y: rowAxis, notes: allNotes, legend: []
    )
    var canvas = SVGCanvas(width: frame.size.width, height: frame.size.height)
    frame.draw(on: &canvas, title: title, xLabel: columnTitle, yLabel: "")
    if values.isEmpty { frame.drawEmpty(on: &canvas) }
    let plotRight = drawColorBar(on: &canvas, frame: frame, low: low, high: high)
    let rowHeight = (frame.bottom - frame.top) / Double(max(1, rows.count))
    for (r, row) in rows.enumerated() where !row.isEmpty {
      let cell = (plotRight - frame.left) / Double(row.count)
      let y0 = frame.top + Double(r) * rowHeight
      for (c, value) in row.enumerated() {
        let color = ColorMap.viridis((value - low) / (high - low))
        canvas.rect(
          frame.left + Double(c) * cell, y0 + 1, cell + 0.3, rowHeight - 2, fill: color,
          tooltip: "\(labels[r]) #\(c): \(NumberFormat.compact(value))")
      }
    }
    return canvas.render(title: title)
  }

  /// Draws a vertical color bar at the right edge, the range's ends right of it and the value
  /// axis title, rotated, right of those; returns the pixel where the cells must end.
  private func drawColorBar(on canvas: inout SVGCanvas, frame: ChartFrame, low: Double, high: Double) -> Double {
    let (tick, titleSize) = (ChartFrame.tickSize, ChartFrame.axisTitleSize)
    let (lowText, highText) = (NumberFormat.compact(low), NumberFormat.compact(high))
    let numbers = max(TextMetrics.width(lowText, size: tick), TextMetrics.width(highText, size: tick))
    let titleX = size.width - 6 - TextMetrics.descent * titleSize
    let numbersX = titleX - TextMetrics.ascent * titleSize - 8 - numbers
    let barX = numbersX - 6 - 14
    let steps = 24
    let height = frame.bottom - frame.top
    for k in 0..<steps {
      let fraction = Double(k) / Double(steps - 1)
      canvas.rect(
        barX, frame.bottom - Double(k + 1) * height / Double(steps), 14, height / Double(steps) + 0.3,
        fill: ColorMap.viridis(fraction))
    }
    canvas.text(highText, numbersX, frame.top + TextMetrics.ascent * tick, size: tick)
    canvas.text(lowText, numbersX, frame.bottom - TextMetrics.descent * tick, size: tick)
    ChartFrame.fitted(valueAxis.label, width: height, size: titleSize) { text, tip in
      canvas.text(
        text, titleX, (frame.top + frame.bottom) / 2, size: titleSize, anchor: .middle, rotate: -90, tooltip: tip)
    }
    return barX - 16
  }
}
