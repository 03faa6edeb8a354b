// Line charts: several series of (x, y) points, e.g. accuracy and sparsity per epoch.

/// One line of a `LineChart`.
public struct LineSeries: Sendable, Equatable {
  /// The legend name.
  public var name: String
  /// The x values (on a categorical axis: slot numbers 0, 1, 2, ...).
  public var x: [Double]
  /// The y values, one per x value.
  public var y: [Double]
  /// Dashed rather than solid (e.g. validation against training).
  public var dashed: Bool
  /// A color such as `#0072B2`; nil for the next color of `ChartPalette`.
  public var color: String?

  /// A series of points `(x[i], y[i])`; `x` and `y` must have the same length.
  public init(_ name: String, x: [Double], y: [Double], dashed: Bool = false, color: String? = nil) {
    precondition(x.count == y.count, "LineSeries '\(name)': \(x.count) x values but \(y.count) y values")
    self.name = name
    self.x = x
    self.y = y
    self.dashed = dashed
    self.color = color
  }

  /// A series over x = 1, 2, ..., n (epochs).
  public init(_ name: String, y: [Double], dashed: Bool = false, color: String? = nil) {
    self.init(name, x: y.indices.map { Double($0 + 1) }, y: y, dashed: dashed, color: color)
  }
}

/// A chart of several lines over a shared x axis, with a dot on every point (when there are at
/// most 60 per series) and a legend.
///
/// Points with a non-finite coordinate (or <= 0 on a logarithmic axis) are left out and the line
/// is broken there; a note under the title says how many. Series with a single point show a dot.
public struct LineChart: SVGChart, Equatable {
  /// The chart title.
  public var title: String
  /// The horizontal axis.
  public var xAxis: Axis
  /// The vertical axis.
  public var yAxis: Axis
  /// The lines, drawn in order.
  public var series: [LineSeries]
  /// Extra lines of text under the title.
  public var notes: [String]
  /// The size in pixels (taller when notes and legend would leave the plot under 40 pixels).
  public var size: ChartSize

  /// A line chart; see the properties for the parameters.
  public init(
    title: String, xAxis: Axis, yAxis: Axis, series: [LineSeries], notes: [String] = [], size: ChartSize = .standard
  ) {
    self.title = title
    self.xAxis = xAxis
    self.yAxis = yAxis
    self.series = series
    self.notes = notes
    self.size = size
  }

  /// The chart as SVG. Complexity: O(total points).
  public func svg() -> String {
    let x = AxisMapping.fit(xAxis, values: series.flatMap(\.x))
    let y = AxisMapping.fit(yAxis, values: series.flatMap(\.y))
    let colors = series.indices.map { series[$0].color ?? ChartPalette.color($0) }
    let skipped = series.reduce(0) { total, s in
      total + zip(s.x, s.y).filter { x.transform($0) == nil || y.transform($1) == nil }.count
    }
    let allNotes =
      notes
      + (skipped > 0
        ? ["\(skipped) point\(skipped == 1 ? "" : "s") with non-finite or non-positive (log axis) values not shown"]
        : [])
    let legend =
      series.count > 1 ? zip(series, colors).map { LegendEntry(name: $0.name, color: $1, dashed: $0.dashed) } : []
    let frame = ChartFrame(size: size, x: x, y: y, notes: allNotes, legend: legend)
    var canvas = SVGCanvas(width: frame.size.width, height: frame.size.height)
    frame.draw(on: &canvas, title: title, xLabel: xAxis.label, yLabel: yAxis.label)
    if skipped == series.reduce(0, { $0 + $1.x.count }) { frame.drawEmpty(on: &canvas) }
    for (s, color) in zip(series, colors) {
      draw(s, color: color, frame: frame, on: &canvas)
    }
    return canvas.render(title: title)
  }

  private func draw(_ s: LineSeries, color: String, frame: ChartFrame, on canvas: inout SVGCanvas) {
    var run: [(x: Double, y: Double)] = []
    var dots: [(x: Double, y: Double, label: String)] = []
    for (xv, yv) in zip(s.x, s.y) {
      guard let px = frame.px(xv), let py = frame.py(yv) else {
        canvas.polyline(run, stroke: color, dash: s.dashed ? "6 4" : nil)
        run = []
        continue
      }
      run.append((px, py))
      dots.append((px, py, "\(s.name): x = \(NumberFormat.compact(xv)), y = \(NumberFormat.compact(yv))"))
    }
    canvas.polyline(run, stroke: color, dash: s.dashed ? "6 4" : nil)
    if dots.count <= 60 || dots.count == 1 {
      for dot in dots { canvas.circle(dot.x, dot.y, r: 3.5, fill: color, tooltip: dot.label) }
    }
  }
}
