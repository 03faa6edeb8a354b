// Polar plots: a radius at each angle, e.g. a unit's response to each stimulus orientation.

import Foundation

/// One closed curve of a `PolarChart`.
public struct PolarSeries: Sendable, Equatable {
  /// The legend name.
  public var name: String
  /// The angles in degrees, counter-clockwise from the right (0° right, 90° up).
  public var angles: [Double]
  /// The radius at each angle (>= 0).
  public var radii: [Double]
  /// A color such as `#0072B2`; nil for the next color of `ChartPalette`.
  public var color: String?

  /// A curve through `(angles[i], radii[i])`; both must have the same length.
  public init(_ name: String, angles: [Double], radii: [Double], color: String? = nil) {
    precondition(
      angles.count == radii.count, "PolarSeries '\(name)': \(angles.count) angles but \(radii.count) radii")
    self.name = name
    self.angles = angles
    self.radii = radii
    self.color = color
  }
}

/// A polar plot: each series drawn as a closed, lightly filled curve around the centre at
/// distance r from it in direction θ, with rings at round radii, spokes every 30° and a legend
/// when there are several series.
///
/// Angles are degrees counter-clockwise from the right (0° right, 90° up), the convention of
/// orientation tuning (0° horizontal, 90° vertical). With `axial` the data are orientations,
/// defined modulo 180°: each point is drawn at θ and at θ + 180°, so a unit tuned to vertical
/// lines draws a figure eight along the vertical, and only the spokes of the upper half are
/// labelled. The radius is linear from 0 at the centre to the largest ring (`radialAxis.range`,
/// else fitted to the data); points with a negative or non-finite radius are left out and a note
/// says how many.
///
/// Reference: polar plots of orientation tuning as in D. H. Hubel and T. N. Wiesel, "Receptive
/// fields, binocular interaction and functional architecture in the cat's visual cortex",
/// J. Physiol. 160, 1962.
public struct PolarChart: SVGChart, Equatable {
  /// The chart title.
  public var title: String
  /// What the radius shows (its title labels the rings' values in the tooltip) and its range.
  public var radialAxis: Axis
  /// The curves, drawn in order.
  public var series: [PolarSeries]
  /// Orientations (period 180°) rather than directions (period 360°).
  public var axial: Bool
  /// Extra lines of text under the title.
  public var notes: [String]
  /// The size in pixels.
  public var size: ChartSize

  /// 300 x 320: small enough for several side by side in a report's column.
  public static let small = ChartSize(width: 300, height: 320)

  /// A polar chart; see the properties for the parameters.
  public init(
    title: String, radialAxis: Axis, series: [PolarSeries], axial: Bool = false, notes: [String] = [],
    size: ChartSize = PolarChart.small
  ) {
    self.title = title
    self.radialAxis = radialAxis
    self.series = series
    self.axial = axial
    self.notes = notes
    self.size = size
  }

  /// Room between the outer ring and the edge of the plot for the spoke labels.
  private static let labelRoom = 26.0

  /// The chart as SVG. Complexity: O(total points).
  public func svg() -> String {
    let radial = AxisMapping.fit(
      Axis(radialAxis.title, range: radialAxis.range, includesZero: true),
      values: series.flatMap(\.radii).filter { $0 >= 0 }, maxTicks: 4)
    let colors = series.indices.map { series[$0].color ?? ChartPalette.color($0) }
    let skipped = series.reduce(0) { $0 + $1.radii.filter { !($0.isFinite && $0 >= 0) }.count }
    let allNotes =
      notes
      + (skipped > 0
        ? ["\(skipped) point\(skipped == 1 ? "" : "s") with a negative or non-finite radius not shown"] : [])
    let width = size.width
    let noteLines = allNotes.flatMap {
      TextMetrics.wrapped($0, toWidth: width - 20, size: ChartFrame.noteSize, maxLines: 8)
    }
    let legend = series.count > 1 ? zip(series, colors).map { LegendEntry(name: $0.name, color: $1) } : []
    let legendRows = ChartFrame.legendRows(legend, width: width - 40)
    let legendTop = ChartFrame.notesTop + Double(noteLines.count) * ChartFrame.noteSpacing
    let plotTop = legendTop + Double(legendRows.count) * ChartFrame.legendSpacing + 8
    let height = max(size.height, (plotTop + 2 * Self.labelRoom + 70).rounded(.up))
    let radius = max(30, min(width - 20, height - plotTop - 10) / 2 - Self.labelRoom)
    let center = (x: width / 2, y: plotTop + Self.labelRoom + radius)
    var canvas = SVGCanvas(width: width, height: height)
    ChartFrame.fitted(title, width: width - 20, size: ChartFrame.titleSize) { text, tip in
      canvas.text(
        text, width / 2, 12 + ChartFrame.titleSize, size: ChartFrame.titleSize, anchor: .middle, weight: "bold",
        tooltip: tip)
    }
    for (i, note) in noteLines.enumerated() {
      canvas.text(
        note, width / 2, ChartFrame.notesTop + 12 + Double(i) * ChartFrame.noteSpacing, size: ChartFrame.noteSize,
        anchor: .middle, fill: "#555")
    }
    ChartFrame.drawLegend(legendRows, on: &canvas, top: legendTop, width: width)
    let scale = { (r: Double) in radial.pixel(r, from: 0, to: radius) ?? 0 }
    drawGrid(on: &canvas, center: center, radius: radius, radial: radial, scale: scale)
    if skipped == series.reduce(0, { $0 + $1.radii.count }) {
      canvas.text("no data to plot", center.x, center.y - 8, size: 14, anchor: .middle, fill: "#777")
    }
    for (s, color) in zip(series, colors) { draw(s, color: color, center: center, scale: scale, on: &canvas) }
    return canvas.render(title: title)
  }

  /// The point at `degrees` and pixel distance `distance` from `center`.
  private static func point(_ center: (x: Double, y: Double), _ degrees: Double, _ distance: Double) -> (
    x: Double, y: Double
  ) {
    let radians = degrees * Double.pi / 180
    return (center.x + distance * cos(radians), center.y - distance * sin(radians))
  }

  /// Rings at the radial ticks with their values, spokes every 30° with their angles.
  private func drawGrid(
    on canvas: inout SVGCanvas, center: (x: Double, y: Double), radius: Double, radial: AxisMapping,
    scale: (Double) -> Double
  ) {
    for tick in radial.ticks where tick.value > 0 {
      canvas.circle(center.x, center.y, r: scale(tick.value), fill: "none", stroke: "#dddddd")
    }
    for degrees in stride(from: 0.0, to: 360, by: 30) {
      let end = Self.point(center, degrees, radius)
      canvas.line(center.x, center.y, end.x, end.y, stroke: "#e4e4e4")
      guard !axial || degrees <= 180 else { continue }
      let label = Self.point(center, degrees, radius + Self.labelRoom / 2)
      canvas.text(
        "\(Int(degrees))°", label.x, label.y + (TextMetrics.ascent - TextMetrics.descent) / 2 * ChartFrame.tickSize,
        size: ChartFrame.tickSize, anchor: .middle, fill: "#444")
    }
    for tick in radial.ticks where tick.value > 0 {
      let at = Self.point(center, 15, scale(tick.value))
      canvas.text(tick.label, at.x + 3, at.y + 4, size: 11, fill: "#777", tooltip: "\(radialAxis.label) \(tick.label)")
    }
  }

  /// One series: the closed curve through its points (doubled by 180° when axial) and dots.
  private func draw(
    _ s: PolarSeries, color: String, center: (x: Double, y: Double), scale: (Double) -> Double,
    on canvas: inout SVGCanvas
  ) {
    let kept = zip(s.angles, s.radii).filter { $0.1.isFinite && $0.1 >= 0 && $0.0.isFinite }
    let turns = axial ? [0.0, 180] : [0]
    let points = turns.flatMap { turn in kept.map { Self.point(center, $0.0 + turn, scale($0.1)) } }
    canvas.polygon(points, fill: color, fillOpacity: 0.15, stroke: color)
    guard kept.count <= 60 else { return }
    for (angle, r) in kept {
      let at = Self.point(center, angle, scale(r))
      canvas.circle(
        at.x, at.y, r: 3, fill: color,
        tooltip: "\(s.name): \(NumberFormat.compact(angle))°, \(NumberFormat.compact(r))")
    }
  }
}
