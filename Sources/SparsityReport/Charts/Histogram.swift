// Histograms: how values are distributed (activations, firing rates, weights).

/// A histogram: the counts of values in equal-width bins, drawn as adjacent bars.
///
/// Bin `i` covers `[edges[i], edges[i+1])`, the last bin also includes its upper edge.
/// Non-finite values and values outside a given range are not counted; a note under the title
/// says how many. Constant data gets one bin of width 1 centred on the value.
public struct Histogram: SVGChart, Equatable {
  /// The chart title.
  public var title: String
  /// The value axis (its range is the bins' range).
  public var xAxis: Axis
  /// The count axis: linear (from 0) or logarithmic (empty bins then show no bar).
  public var yAxis: Axis
  /// `counts.count + 1` increasing bin edges.
  public private(set) var edges: [Double]
  /// The number of values per bin.
  public private(set) var counts: [Int]
  /// Extra lines of text under the title; the initializer adds the skipped-value counts.
  public var notes: [String]
  /// The bar color.
  public var color: String
  /// The size in pixels (taller when notes and legend would leave the plot under 40 pixels).
  public var size: ChartSize

  /// The histogram of `values` in `bins` equal bins over `range` (nil: the finite values' range).
  /// - Complexity: O(values.count).
  public init<Values: Collection>(
    title: String, values: Values, bins: Int = 30, range: ClosedRange<Double>? = nil, xAxis: Axis,
    yAxis: Axis = Axis("count", includesZero: true), notes: [String] = [], color: String = ChartPalette.color(0),
    size: ChartSize = .standard
  ) where Values.Element: BinaryFloatingPoint {
    precondition(bins >= 1, "Histogram: need at least one bin, got \(bins)")
    var lowest = Double.infinity
    var highest = -Double.infinity
    var nonFinite = 0
    for value in values {
      let v = Double(value)
      if v.isFinite {
        lowest = min(lowest, v)
        highest = max(highest, v)
      } else {
        nonFinite += 1
      }
    }
    var low = range?.lowerBound ?? (lowest.isFinite ? lowest : 0)
    var high = range?.upperBound ?? (highest.isFinite ? highest : 1)
    if high <= low { (low, high) = (low - 0.5, low + 0.5) }
    var binCount = range == nil && !(lowest < highest) ? 1 : bins
    var edges = (0...binCount).map { low + (high - low) * (Double($0) / Double(binCount)) }
    if !edges.allSatisfy(\.isFinite) || zip(edges, edges.dropFirst()).contains(where: { $0 >= $1 }) {
      // A range too narrow (or too wide) to split in floating point: one bin.
      (binCount, edges) = (1, [low, high])
    }
    var counts = [Int](repeating: 0, count: binCount)
    var outside = 0
    for value in values {
      let v = Double(value)
      guard v.isFinite else { continue }
      guard v >= low && v <= high else {
        outside += 1
        continue
      }
      let position = (v - low) / (high - low) * Double(binCount)
      counts[position.isFinite ? min(binCount - 1, max(0, Int(position))) : (v > low ? binCount - 1 : 0)] += 1
    }
    var allNotes = notes
    if nonFinite > 0 { allNotes.append("\(nonFinite) non-finite value\(nonFinite == 1 ? "" : "s") not counted") }
    if outside > 0 {
      allNotes.append(
        "\(outside) value\(outside == 1 ? "" : "s") outside \(NumberFormat.compact(low))...\(NumberFormat.compact(high)) not counted"
      )
    }
    self.init(
      title: title, edges: edges, counts: counts, xAxis: xAxis, yAxis: yAxis, notes: allNotes, color: color, size: size)
  }

  /// A histogram of counts already binned: `edges` has `counts.count + 1` increasing values.
  public init(
    title: String, edges: [Double], counts: [Int], xAxis: Axis, yAxis: Axis = Axis("count", includesZero: true),
    notes: [String] = [], color: String = ChartPalette.color(0), size: ChartSize = .standard
  ) {
    precondition(
      edges.count == counts.count + 1,
      "Histogram: \(counts.count) bins need \(counts.count + 1) edges, got \(edges.count)")
    precondition(
      edges.allSatisfy(\.isFinite) && zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 },
      "Histogram: edges must be finite and increasing")
    precondition(counts.allSatisfy { $0 >= 0 }, "Histogram: counts must be non-negative")
    self.title = title
    self.edges = edges
    self.counts = counts
    self.xAxis = xAxis
    self.yAxis = yAxis
    self.notes = notes
    self.color = color
    self.size = size
  }

  /// The chart as SVG. Complexity: O(bins).
  public func svg() -> String {
    var valueAxis = xAxis
    valueAxis.scale = .linear
    valueAxis.range = valueAxis.range ?? (edges.first ?? 0)...(edges.last ?? 1)
    let x = AxisMapping.fit(valueAxis, values: edges)
    let y = AxisMapping.fit(yAxis, values: counts.map(Double.init) + (yAxis.scale == .logarithmic ? [] : [0]))
    let frame = ChartFrame(size: size, x: x, y: y, notes: notes, legend: [])
    var canvas = SVGCanvas(width: frame.size.width, height: frame.size.height)
    frame.draw(on: &canvas, title: title, xLabel: valueAxis.label, yLabel: yAxis.label)
    if counts.allSatisfy({ $0 == 0 }) { frame.drawEmpty(on: &canvas, message: "no values to count") }
    let baseline = yAxis.scale == .logarithmic ? frame.bottom : (frame.py(0) ?? frame.bottom)
    for (i, count) in counts.enumerated() where count > 0 {
      guard let x0 = frame.px(edges[i]), let x1 = frame.px(edges[i + 1]), let top = frame.py(Double(count)) else {
        continue
      }
      let range =
        "[\(NumberFormat.compact(edges[i])), \(NumberFormat.compact(edges[i + 1]))\(i == counts.count - 1 ? "]" : ")")"
      canvas.rect(
        x0, top, max(0.5, x1 - x0 - (x1 - x0 > 4 ? 1 : 0)), baseline - top, fill: color, tooltip: "\(range): \(count)")
    }
    return canvas.render(title: title)
  }
}
