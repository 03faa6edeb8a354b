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
  /// The size in pixels (taller by the key when some labels are shown as numbers).
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

  /// The font size of point labels.
  static let labelSize = 12.0

  /// The chart as SVG. Labels never overlap each other or a point: each goes where it finds room
  /// (`PointLabelPlacer`); one that finds none is replaced by a number explained in a key under
  /// the title. Complexity: O(n^2 x candidates) for n labelled points, see `PointLabelPlacer`.
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
    let (frame, labels) = layout(x: x, y: y, shown: shown, frontier: onFrontier, notes: allNotes, legend: legend)
    var canvas = SVGCanvas(width: frame.size.width, height: frame.size.height)
    frame.draw(on: &canvas, title: title, xLabel: xAxis.label, yLabel: yAxis.label)
    if shown.isEmpty { frame.drawEmpty(on: &canvas) }
    canvas.polyline(onFrontier.map { pixel($0, frame) }.map { ($0.x, $0.y) }, stroke: "#444", width: 1.5, dash: "6 4")
    for (_, label) in labels {
      if let line = label.leader { canvas.line(line.from.x, line.from.y, line.to.x, line.to.y, stroke: "#999") }
    }
    for i in shown {
      let p = pixel(i, frame)
      canvas.circle(
        p.x, p.y, r: 5, fill: ChartPalette.color(points[i].group), stroke: onFrontier.contains(i) ? "#222" : nil,
        tooltip: tooltip(points[i]))
    }
    for (i, label) in labels {
      let tip = label.text == points[i].label ? nil : points[i].label
      canvas.text(label.text, label.box.minX, label.baseline(size: Self.labelSize), size: Self.labelSize, tooltip: tip)
    }
    return canvas.render(title: title)
  }

  /// The frame and the placed labels. Labels that find no room become numbers, listed in a key
  /// note; the frame is then laid out again with the key (the chart grows taller by the key's
  /// lines), until no further label needs a number.
  private func layout(
    x: AxisMapping, y: AxisMapping, shown: [Int], frontier: [Int], notes: [String], legend: [LegendEntry]
  ) -> (ChartFrame, [(index: Int, label: PlacedLabel)]) {
    let labelled = shown.filter { !points[$0].label.isEmpty }
    let plain = ChartFrame(size: size, x: x, y: y, notes: notes, legend: legend)
    var numbered: [Int] = []
    while true {
      let key =
        numbered.isEmpty
        ? [] : ["key: " + numbered.enumerated().map { "\($0 + 1) = \(points[$1].label)" }.joined(separator: "; ")]
      var frame = ChartFrame(size: size, x: x, y: y, notes: notes + key, legend: legend)
      // The key's lines make the chart taller rather than the plot smaller.
      let lost = plain.plotArea.height - frame.plotArea.height
      if lost > 0 {
        let taller = ChartSize(width: size.width, height: frame.size.height + lost)
        frame = ChartFrame(size: taller, x: x, y: y, notes: notes + key, legend: legend)
      }
      let pixels = frontier.map { pixel($0, frame) }
      var placer = PointLabelPlacer(
        bounds: frame.plotArea, size: Self.labelSize, points: shown.map { pixel($0, frame) },
        lines: zip(pixels, pixels.dropFirst()).map { PixelSegment(from: $0, to: $1) })
      let (labels, unplaced) = placeLabels(labelled, numbered: numbered, frame: frame, placer: &placer)
      let new = unplaced.filter { !numbered.contains($0) }
      if new.isEmpty { return (frame, labels) }
      numbered = (numbered + new).sorted()
    }
  }

  /// Places the labels of `labelled` points in `frame` with `placer`: full texts first, then the
  /// numbers of the `numbered` points (small, they fit in the gaps); returns those without room too.
  private func placeLabels(
    _ labelled: [Int], numbered: [Int], frame: ChartFrame, placer: inout PointLabelPlacer
  ) -> (labels: [(index: Int, label: PlacedLabel)], unplaced: [Int]) {
    var labels: [(index: Int, label: PlacedLabel)] = []
    var unplaced: [Int] = []
    for i in labelled.filter({ !numbered.contains($0) }) + numbered {
      let text = numbered.firstIndex(of: i).map { "\($0 + 1)" } ?? points[i].label
      if let label = placer.place(text, at: pixel(i, frame)) { labels.append((i, label)) } else { unplaced.append(i) }
    }
    return (labels, unplaced)
  }

  /// The pixel of point `i` (shown points only: both coordinates on the axes).
  private func pixel(_ i: Int, _ frame: ChartFrame) -> PixelPoint {
    PixelPoint(x: frame.px(points[i].x) ?? frame.left, y: frame.py(points[i].y) ?? frame.bottom)
  }

  /// The point's tooltip: its label and both coordinates.
  private func tooltip(_ p: ScatterPoint) -> String {
    (p.label.isEmpty ? "" : p.label + ": ")
      + "\(xAxis.title) \(NumberFormat.compact(p.x)), \(yAxis.title) \(NumberFormat.compact(p.y))"
  }
}
