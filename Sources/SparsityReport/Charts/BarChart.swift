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

/// Vertical bars grouped by category: for each category one bar per series, side by side.
///
/// The value axis is linear and includes 0 (bars grow from 0, up or down); non-finite values draw
/// no bar and a note says how many.
public struct BarChart: SVGChart, Equatable {
  /// The chart title.
  public var title: String
  /// The category names along the horizontal axis.
  public var categories: [String]
  /// The title of the horizontal axis.
  public var categoryTitle: String
  /// The value axis.
  public var yAxis: Axis
  /// The series; each has one value per category.
  public var series: [BarSeries]
  /// Extra lines of text under the title.
  public var notes: [String]
  /// The size in pixels.
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
    let x = AxisMapping.fit(Axis(categoryTitle, scale: .categories(categories)), values: [])
    let frame = ChartFrame(
      size: size, x: x, y: AxisMapping.fit(valueAxis, values: values + [0]), notes: allNotes, legend: legend)
    var canvas = SVGCanvas(width: size.width, height: size.height)
    frame.draw(on: &canvas, title: title, notes: allNotes, xLabel: categoryTitle, yLabel: valueAxis.label)
    if categories.isEmpty || series.isEmpty || skipped == values.count { frame.drawEmpty(on: &canvas) }
    let slot = (frame.right - frame.left) / Double(max(1, categories.count))
    let barWidth = slot * 0.8 / Double(max(1, series.count))
    let zero = frame.py(0) ?? frame.bottom
    for (c, category) in categories.enumerated() {
      for (s, member) in series.enumerated() {
        let value = member.values[c]
        guard let top = frame.py(value) else { continue }
        let x0 = frame.left + slot * (Double(c) + 0.1) + barWidth * Double(s)
        canvas.rect(
          x0, min(top, zero), barWidth, abs(zero - top), fill: colors[s],
          tooltip: "\(category), \(member.name): \(NumberFormat.compact(value))")
      }
    }
    return canvas.render(title: title)
  }
}
