import Foundation

@testable import SparsityReport

/// The drawn texts of a parsed SVG chart with their estimated boxes, for geometric checks: the
/// boxes come from `TextMetrics`, the same estimate the charts lay their labels out with.
struct TextBoxes {
  /// One `<text>` element: its own text (not its tooltip) and its box in the SVG's pixels.
  struct Entry {
    var text: String
    var box: PixelRect
  }

  let entries: [Entry]
  /// The SVG's view box: (0, 0) to its width and height.
  let canvas: PixelRect

  /// The texts of `check`, an SVG parsed by `checkedSVG`; rotated texts get the bounding box of
  /// their rotated box.
  init(_ check: XMLCheck) {
    let root = check.elements.first?.attributes ?? [:]
    canvas = PixelRect(
      x: 0, y: 0, width: Double(root["width"] ?? "") ?? 0, height: Double(root["height"] ?? "") ?? 0)
    entries = check.all("text").filter { !$0.text.isEmpty }.map { element in
      let a = element.attributes
      let (x, y) = (Double(a["x"] ?? "") ?? 0, Double(a["y"] ?? "") ?? 0)
      let size = Double(a["font-size"] ?? "") ?? 12
      let anchor = TextAnchor(rawValue: a["text-anchor"] ?? "start") ?? .start
      var box = TextMetrics.box(element.text, x: x, y: y, size: size, anchor: anchor)
      if let transform = a["transform"] { box = Self.rotated(box, by: transform) }
      return Entry(text: element.text, box: box)
    }
  }

  /// The pairs of texts whose boxes overlap, as readable strings; empty when none do.
  var overlaps: [String] {
    var found: [String] = []
    for i in entries.indices {
      for j in entries.indices where j > i && entries[i].box.intersects(entries[j].box) {
        found.append("'\(entries[i].text)' \(entries[i].box) overlaps '\(entries[j].text)' \(entries[j].box)")
      }
    }
    return found
  }

  /// The texts whose boxes reach outside the SVG's view box.
  var outside: [String] { entries.filter { !canvas.contains($0.box) }.map { "'\($0.text)' \($0.box)" } }

  /// The texts whose boxes overlap one of `rects` (e.g. the markers of a scatter plot).
  func overlapping(_ rects: [PixelRect]) -> [String] {
    entries.filter { entry in rects.contains { $0.intersects(entry.box) } }.map { "'\($0.text)' \($0.box)" }
  }

  /// The bounding box of `box` turned as `rotate(angle cx cy)` says.
  private static func rotated(_ box: PixelRect, by transform: String) -> PixelRect {
    let numbers = transform.dropFirst("rotate(".count).dropLast().split(separator: " ").compactMap { Double($0) }
    guard numbers.count == 3 else { return box }
    let (angle, cx, cy) = (numbers[0] * Double.pi / 180, numbers[1], numbers[2])
    let corners = [(box.minX, box.minY), (box.maxX, box.minY), (box.minX, box.maxY), (box.maxX, box.maxY)].map {
      (x, y) in
      (cx + (x - cx) * cos(angle) - (y - cy) * sin(angle), cy + (x - cx) * sin(angle) + (y - cy) * cos(angle))
    }
    let xs = corners.map(\.0)
    let ys = corners.map(\.1)
    return PixelRect(x: xs.min()!, y: ys.min()!, width: xs.max()! - xs.min()!, height: ys.max()! - ys.min()!)
  }
}

/// The boxes of the circles (point markers) of a parsed SVG, ring included.
func circleBoxes(_ check: XMLCheck) -> [PixelRect] {
  check.all("circle").map { element in
    let a = element.attributes
    let (cx, cy, r) = (Double(a["cx"] ?? "") ?? 0, Double(a["cy"] ?? "") ?? 0, Double(a["r"] ?? "") ?? 0)
    let ring = a["stroke"] == nil ? 0 : 0.75
    return PixelRect(x: cx - r - ring, y: cy - r - ring, width: 2 * (r + ring), height: 2 * (r + ring))
  }
}
