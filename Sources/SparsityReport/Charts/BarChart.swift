// Bar charts: one value per category and series, e.g. sparsity per layer.

/// One group member of a `BarChart`: a name and one value per category.
public struct BarSeries: Sendable, Equatable {
  /// The legend name.
  public var name: String
  /// One value per category (non-finite values draw no bar).
  public var values: [Double]
  /// A color; nil for the next color of `ChartPalette`.
  public var color: String?

  /// A series of bar heights.
  public init(_ name: String, values: [Double], color: String? = nil) {
    self.name = name
    self.values = values
    self.color = color
  }
}

/// Bars grouped by category: for each category one bar per series, side by side.
///
/// The value axis is linear and includes 0 (bars grow from 0, up or down); non-finite values draw
/// no bar and a note says how many. Bars stand upright when every category name fits under its
/// bar in at most two lines; otherwise (many or long names) they lie horizontally, one row per
/// category with its name on the left (cut with "…" beyond 35% of the width, the full name in a
/// tooltip), and the chart grows taller when the rows need it.
public struct BarChart: SVGChart, Equatable {
  /// The chart title.
  public var title: String
  /// The category names, one group of bars each.
  public var categories: [String]
  /// The title of the category axis.
  public var categoryTitle: String
  /// The value axis.
  public var yAxis: Axis
  /// The series; each has one value per category.
  public var series: [BarSeries]
  /// Extra lines of text under the title.
  public var notes: [String]
  /// The size in pixels (taller when horizontal bars need more rows than it has room for).
  public var size: ChartSize

  /// A bar chart; every series must have one value per category.
  public init(
    title: String, categories: [String], categoryTitle: String, yAxis: Axis, series: [BarSeries], notes: [String] = [],
    size: ChartSize = .standard
  ) {
    for s in series {
      precondition(
        s.values.count == categories.count,
        "BarChart '\(title)': series '\(s.name)' has \(s.values.count) values for \(categories.count) categories")
    }
    self.title = title
    self.categories = categories
    self.categoryTitle = categoryTitle
    self.yAxis = yAxis
    self.series = series
    self.notes = notes
    self.size = size
  }

  /// The chart as SVG. Complexity: O(categories x series).
  public func svg() -> String {
    var valueAxis = yAxis
    valueAxis.scale = .linear
    valueAxis.includesZero = true
    let values = series.flatMap(\.values)
    let skipped = values.filter { !$0.isFinite }.count
    let allNotes = notes + (skipped > 0 ? ["\(skipped) non-finite value\(skipped == 1 ? "" : "s") not shown"] : [])
    let colors = series.indices.map { series[$0].color ?? ChartPalette.color($0) }
    let legend =
      series.count > 1 ? zip(series, colors).map { LegendEntry(name: $0.name, color: $1, isSwatch: true) } : []
    let valueMapping = AxisMapping.fit(valueAxis, values: values + [0])
    let categoryAxis = Axis(categoryTitle, scale: .categories(categories))
    let upright = ChartFrame(
      size: size, x: AxisMapping.fit(categoryAxis, values: [], maxTicks: categories.count), y: valueMapping,
      notes: allNotes, legend: legend)
    let isUpright = upright.xLabels.count == categories.count && TickLabels.areComplete(upright.xLabels)
    let frame = isUpright ? upright : lyingFrame(valueMapping, notes: allNotes, legend: legend)
    var canvas = SVGCanvas(width: frame.size.width, height: frame.size.height)
    if isUpright {
      frame.draw(on: &canvas, title: title, xLabel: categoryTitle, yLabel: valueAxis.label)
    } else {
      frame.draw(on: &canvas, title: title, xLabel: valueAxis.label, yLabel: categoryTitle)
    }
    if categories.isEmpty || series.isEmpty || skipped == values.count { frame.drawEmpty(on: &canvas) }
    drawBars(on: &canvas, frame: frame, colors: colors, isUpright: isUpright)
    return canvas.render(title: title)
  }

  /// The least height of a category's row of horizontal bars, in pixels.
  private var rowHeight: Double {
    max(TextMetrics.lineHeight(size: ChartFrame.tickSize) + TickLabels.gap + 2, 6 * Double(series.count) + 4)
  }

  /// The frame for horizontal bars: categories down the left (the first at the top), values
  /// along the bottom, the chart made taller when the rows need more room than `size` gives.
  private func lyingFrame(_ values: AxisMapping, notes: [String], legend: [LegendEntry]) -> ChartFrame {
    let names = AxisMapping.fit(
      Axis(categoryTitle, scale: .categories(categories.reversed())), values: [], maxTicks: categories.count)
    let room = size.width * 0.35
    let first = ChartFrame(size: size, x: values, y: names, notes: notes, legend: legend, maxYLabelWidth: room)
    let missing = Double(categories.count) * rowHeight - (first.bottom - first.top)
    guard missing > 0 else { return first }
    let taller = ChartSize(width: size.width, height: first.size.height + missing.rounded(.up))
    return ChartFrame(size: taller, x: values, y: names, notes: notes, legend: legend, maxYLabelWidth: room)
  }

  /// One bar per category and series: upright from the value 0, or lying (categories top down).
  private func drawBars(on canvas: inout SVGCanvas, frame: ChartFrame, colors: [String], isUpright: Bool) {
    let count = Double(max(1, categories.count))
    let slot = isUpright ? (frame.right - frame.left) / count : (frame.bottom - frame.top) / count
    let thickness = slot * 0.8 / Double(max(1, series.count))
    let zero = (isUpright ? frame.py(0) : frame.px(0)) ?? (isUpright ? frame.bottom : frame.left)
    for (c, category) in categories.enumerated() {
      for (s, member) in series.enumerated() {
        let value = member.values[c]
        let tip = "\(category), \(member.name): \(NumberFormat.compact(value))"
        let offset = slot * (Double(c) + 0.1) + thickness * Double(s)
        if isUpright {
          guard let top = frame.py(value) else { continue }
          canvas.rect(
            frame.left + offset, min(top, zero), thickness, abs(zero - top), fill: colors[s], tooltip: tip)
        } else {
          guard let end = frame.px(value) else { continue }
          canvas.rect(
            min(end, zero), frame.top + offset, abs(end - zero), thickness, fill: colors[s], tooltip: tip)
        }
      }
    }
  }
}
