// Placing the labels of scatter-plot points so that none overlaps another label or a point.

/// A point's label as placed: its text, its box, and the leader line to a label set apart.
struct PlacedLabel: Equatable {
  /// The text drawn (the label, or its number in the chart's key).
  var text: String
  /// The text's box; the text starts at its left edge.
  var box: PixelRect
  /// A thin line from the point's marker to a label moved away from it; nil when the label sits
  /// right next to its point.
  var leader: PixelSegment?

  /// The baseline for drawing `text` in `box` at font size `size`.
  func baseline(size: Double) -> Double { box.minY + TextMetrics.ascent * size }
}

/// Greedy, deterministic placement of point labels (first fit over a fixed list of candidate
/// positions), in the spirit of cartographic point-feature labelling.
///
/// For each label, in the order given, the candidates are tried in turn: right of the point,
/// left, above, below, the four diagonals (not for a point whose marker overlaps another: there
/// they would block the leaders), then stacked ever further up and down beside the point on the
/// right and on the left, joined to it by a leader line. The first candidate is
/// taken that lies inside `bounds` and keeps `gap` pixels from every label placed so far, from
/// every point's marker, from every leader line and from the plot's `lines`. A label with no such position is not placed
/// (the chart shows a number instead, or nothing).
/// Complexity: O(labels x candidates x labels), candidates about 8 + 4 x bounds height / line height.
/// Reference: S. A. Christensen, J. Marks and S. Shieber, "An Empirical Study of Algorithms for
/// Point-Feature Label Placement", ACM Transactions on Graphics 14(3), 1995.
struct PointLabelPlacer {
  /// The area labels must stay in (the plot area).
  let bounds: PixelRect
  /// The labels' font size.
  let size: Double
  /// The markers' boxes: every point's marker, labels keep clear of them.
  let markers: [PixelRect]
  /// Lines drawn in the plot (e.g. the Pareto frontier) that labels keep clear of.
  let lines: [PixelSegment]
  /// The least distance in pixels between a label and anything else.
  let gap = 2.0
  /// The marker's radius including its ring.
  static let markerRadius = 6.5
  private(set) var placed: [PlacedLabel] = []

  /// A placer inside `bounds` for labels of font size `size` around the points `points`,
  /// keeping clear of the line segments `lines`.
  init(bounds: PixelRect, size: Double, points: [PixelPoint], lines: [PixelSegment] = []) {
    self.bounds = bounds
    self.size = size
    self.lines = lines
    let r = Self.markerRadius
    markers = points.map { PixelRect(x: $0.x - r, y: $0.y - r, width: 2 * r, height: 2 * r) }
  }

  /// Places `text` next to `point`, or returns nil when no candidate position is free.
  mutating func place(_ text: String, at point: PixelPoint) -> PlacedLabel? {
    let label = candidates(TextMetrics.width(text, size: size), around: point).lazy.map { box, leader in
      PlacedLabel(text: text, box: box, leader: leader)
    }.first { isFree($0, of: point) }
    if let label { placed.append(label) }
    return label
  }

  /// The candidate boxes for a label `width` pixels wide, in order of preference, each with
  /// its leader line when it is away from the point.
  private func candidates(_ width: Double, around p: PixelPoint) -> [(PixelRect, PixelSegment?)] {
    let h = TextMetrics.lineHeight(size: size)
    let r = Self.markerRadius
    let near = r + gap + 1
    let diagonal = near
    let spots: [(Double, Double)] = [
      (p.x + near, p.y - h / 2), (p.x - near - width, p.y - h / 2), (p.x - width / 2, p.y - near - h),
      (p.x - width / 2, p.y + near), (p.x + diagonal, p.y - diagonal - h), (p.x - diagonal - width, p.y - diagonal - h),
      (p.x + diagonal, p.y + diagonal), (p.x - diagonal - width, p.y + diagonal),
    ]
    // In a cluster (markers overlapping this one) a label above or below would fence the point
    // in and block the leaders of the labels stacked beside it: only the sides then.
    let own = PixelRect(x: p.x, y: p.y, width: 0, height: 0).expanded(by: r)
    let isClustered = markers.filter { $0.intersects(own) }.count > 1
    var list = spots.prefix(isClustered ? 2 : spots.count).map {
      (PixelRect(x: $0, y: $1, width: width, height: h), nil as PixelSegment?)
    }
    let step = h + gap + 1
    let steps = Int((bounds.height / step).rounded(.up))
    guard steps >= 1 else { return list }
    for k in 1...steps {
      for (side, dy) in [(1.0, -1.0), (1, 1), (-1, -1), (-1, 1)] {
        let y = p.y - h / 2 + dy * Double(k) * step
        let x = side > 0 ? p.x + near + 8 : p.x - near - 8 - width
        let box = PixelRect(x: x, y: y, width: width, height: h)
        let end = PixelPoint(x: side > 0 ? box.minX - 1 : box.maxX + 1, y: box.midY)
        list.append((box, leader(from: p, to: end)))
      }
    }
    return list
  }

  /// The leader from the edge of the marker at `point` to `end`.
  private func leader(from point: PixelPoint, to end: PixelPoint) -> PixelSegment {
    let (dx, dy) = (end.x - point.x, end.y - point.y)
    let length = max(1e-9, (dx * dx + dy * dy).squareRoot())
    let start = PixelPoint(
      x: point.x + dx / length * Self.markerRadius, y: point.y + dy / length * Self.markerRadius)
    return PixelSegment(from: start, to: end)
  }

  /// True when `label` stays inside the bounds and clear of lines, placed labels, leaders and markers
  /// (its leader may cross its own point's marker and the markers overlapping that one).
  private func isFree(_ label: PlacedLabel, of point: PixelPoint) -> Bool {
    guard bounds.contains(label.box) else { return false }
    if lines.contains(where: { label.box.expanded(by: gap).intersects($0) }) { return false }
    for other in placed {
      if other.box.intersects(label.box, gap: gap) { return false }
      if let line = other.leader, label.box.expanded(by: gap).intersects(line) { return false }
      if let line = label.leader, other.box.expanded(by: gap).intersects(line) { return false }
    }
    let own = PixelRect(x: point.x, y: point.y, width: 0, height: 0).expanded(by: Self.markerRadius)
    for marker in markers {
      if marker.intersects(label.box, gap: gap) { return false }
      // A leader leaves its own marker and the markers overlapping it (a cluster) freely.
      if let line = label.leader, !marker.intersects(own), marker.intersects(line) { return false }
    }
    return true
  }
}
