// Scatter plots with labelled points and an optional Pareto frontier (accuracy against sparsity).

/// One point of a `ScatterPlot`.
public struct ScatterPoint: Sendable, Equatable {
  /// The horizontal coordinate.
  public var x: Double
  /// The vertical coordinate.
  public var y: Double
  /// Text drawn next to the point (e.g. the setting that produced it); empty for none.
  public var label: String
  /// The series (legend entry) the point belongs to, by index into `ScatterPlot.groups`.
  public var group: Int

  /// A point at (x, y) with a label, in group `group`.
  public init(x: Double, y: Double, label: String = "", group: Int = 0) {
    precondition(group >= 0, "ScatterPoint: group must be non-negative")
    self.x = x
    self.y = y
    self.label = label
    self.group = group
  }
}

/// Points in the plane with labels, colored by group, and optionally the Pareto frontier (the
/// points no other point beats on both axes) joined by a line and ringed.
///
/// Points with a non-finite coordinate are left out, with a note.
public struct ScatterPlot: SVGChart, Equatable {
  /// The chart title.
  public var title: String
  /// The horizontal axis.
  public var xAxis: Axis
  /// The vertical axis.
  public var yAxis: Axis
  /// The points.
  public var points: [ScatterPoint]
  /// Legend names of the groups; a single unnamed group needs none.
  public var groups: [String]
  /// Which end of each axis is better, to draw the Pareto frontier; nil for no frontier.
  public var frontier: FrontierPreference?
  /// Extra lines of text under the title.
  public var notes: [String]
  /// The size in pixels.
  public var size: ChartSize

  /// A scatter plot; `frontier` says which end of each axis is better (nil: no frontier).
  public init(
    title: String, xAxis: Axis, yAxis: Axis, points: [ScatterPoint], groups: [String] = [],
    frontier: FrontierPreference? = nil, notes: [String] = [], size: ChartSize = .standard
  ) {
    self.title = title
    self.xAxis = xAxis
    self.yAxis = yAxis
    self.points = points
    self.groups = groups
    self.notes = notes
    self.size = size
    self.frontier = frontier
  }

  /// The chart as SVG. Complexity: O(n log n) for n points.
  public func svg() -> String {
    let x = AxisMapping.fit(xAxis, values: points.map(\.x))
    let y = AxisMapping.fit(yAxis, values: points.map(\.y))
    let shown = points.indices.filter { x.transform(points[$0].x) != nil && y.transform(points[$0].y) != nil }
    let skipped = points.count - shown.count
    var allNotes =
      notes
      + (skipped > 0
        ? ["\(skipped) point\(skipped == 1 ? "" : "s") with non-finite or non-positive (log axis) values not shown"]
        : [])
    var legend = groups.enumerated().map { LegendEntry(name: $1, color: ChartPalette.color($0), isSwatch: true) }
    var onFrontier: [Int] = []
    if let frontier {
      onFrontier = ParetoFrontier.indices(of: shown.map { (points[$0].x, points[$0].y) }, x: frontier.x, y: frontier.y)
        .map { shown[$0] }
      legend.append(LegendEntry(name: "Pareto frontier", color: "#444", dashed: true))
      if shown.count > 0 { allNotes.append("frontier: no other point is better on both axes") }
    }
    let frame = ChartFrame(size: size, x: x, y: y, notes: allNotes, legend: legend)
    var canvas = SVGCanvas(width: size.width, height: size.height)
    frame.draw(on: &canvas, title: title, notes: allNotes, xLabel: xAxis.label, yLabel: yAxis.label)
    if shown.isEmpty { frame.drawEmpty(on: &canvas) }
    let pixels = onFrontier.compactMap { i in
      frame.px(points[i].x).flatMap { px in frame.py(points[i].y).map { (x: px, y: $0) } }
    }
    canvas.polyline(pixels, stroke: "#444", width: 1.5, dash: "6 4")
    for i in shown {
      guard let px = frame.px(points[i].x), let py = frame.py(points[i].y) else { continue }
      let p = points[i]
      let tip =
        (p.label.isEmpty ? "" : p.label + ": ")
        + "\(xAxis.title) \(NumberFormat.compact(p.x)), \(yAxis.title) \(NumberFormat.compact(p.y))"
      canvas.circle(
        px, py, r: 5, fill: ChartPalette.color(p.group), stroke: onFrontier.contains(i) ? "#222" : nil, tooltip: tip)
      if !p.label.isEmpty {
        let anchor = px > frame.right - 60 ? "end" : "start"
        canvas.text(p.label, px + (anchor == "end" ? -8 : 8), py - 7, size: 11, anchor: anchor)
      }
    }
    return canvas.render(title: title)
  }
}
