// Building SVG markup element by element, with every coordinate checked and every text escaped.

import Foundation

/// An SVG document under construction: shapes and text appended in drawing order.
///
/// Every coordinate passes through `number(_:)`, which writes at most two decimals and
/// replaces a non-finite value by 0 (charts skip non-finite data before drawing, so this is a
/// last line of defence that keeps the output valid), and every text is XML-escaped.
struct SVGCanvas {
  /// Width and height in CSS pixels (also the view box).
  let width: Double
  let height: Double
  private var body: [String] = []

  init(width: Double, height: Double) {
    precondition(
      width > 0 && height > 0 && width.isFinite && height.isFinite,
      "SVGCanvas: size must be positive, got \(width)x\(height)")
    self.width = width
    self.height = height
  }

  /// A coordinate or length as text: two decimals at most, trailing zeros removed.
  static func number(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let rounded = (value * 100).rounded() / 100
    if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int(rounded)) }
    return String(format: "%.2f", rounded).replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression)
  }

  private static func attributes(_ pairs: [(String, String)]) -> String {
    pairs.map { " \($0.0)=\"\(XMLText.escape($0.1))\"" }.joined()
  }

  /// A straight line from (x1, y1) to (x2, y2).
  mutating func line(
    _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1, dash: String? = nil
  ) {
    var pairs = [
      ("x1", Self.number(x1)), ("y1", Self.number(y1)), ("x2", Self.number(x2)), ("y2", Self.number(y2)),
      ("stroke", stroke), ("stroke-width", Self.number(width)),
    ]
    if let dash { pairs.append(("stroke-dasharray", dash)) }
    body.append("<line\(Self.attributes(pairs))/>")
  }

  /// A rectangle with its top-left corner at (x, y); an optional `tooltip` becomes its `<title>`.
  mutating func rect(
    _ x: Double, _ y: Double, _ width: Double, _ height: Double, fill: String, stroke: String? = nil,
    tooltip: String? = nil
  ) {
    var pairs = [
      ("x", Self.number(x)), ("y", Self.number(y)), ("width", Self.number(max(0, width))),
      ("height", Self.number(max(0, height))), ("fill", fill),
    ]
    if let stroke { pairs += [("stroke", stroke), ("stroke-width", "1")] }
    element("rect", pairs, tooltip: tooltip)
  }

  /// A circle of radius `r` centred at (cx, cy).
  mutating func circle(
    _ cx: Double, _ cy: Double, r: Double, fill: String, stroke: String? = nil, tooltip: String? = nil
  ) {
    var pairs = [("cx", Self.number(cx)), ("cy", Self.number(cy)), ("r", Self.number(r)), ("fill", fill)]
    if let stroke { pairs += [("stroke", stroke), ("stroke-width", "1.5")] }
    element("circle", pairs, tooltip: tooltip)
  }

  /// An open polyline through `points`; nothing for fewer than two points.
  mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, width: Double = 2, dash: String? = nil) {
    guard points.count >= 2 else { return }
    let list = points.map { "\(Self.number($0.x)),\(Self.number($0.y))" }.joined(separator: " ")
    var pairs = [
      ("points", list), ("fill", "none"), ("stroke", stroke), ("stroke-width", Self.number(width)),
      ("stroke-linejoin", "round"),
    ]
    if let dash { pairs.append(("stroke-dasharray", dash)) }
    body.append("<polyline\(Self.attributes(pairs))/>")
  }

  /// A closed polygon through `points`, filled with `fill` at `fillOpacity` and outlined with
  /// `stroke`; nothing for fewer than two points.
  mutating func polygon(
    _ points: [(x: Double, y: Double)], fill: String, fillOpacity: Double, stroke: String, width: Double = 2
  ) {
    guard points.count >= 2 else { return }
    let list = points.map { "\(Self.number($0.x)),\(Self.number($0.y))" }.joined(separator: " ")
    let pairs = [
      ("points", list), ("fill", fill), ("fill-opacity", Self.number(fillOpacity)), ("stroke", stroke),
      ("stroke-width", Self.number(width)), ("stroke-linejoin", "round"),
    ]
    body.append("<polygon\(Self.attributes(pairs))/>")
  }

  /// Text with its baseline at y, placed along x by `anchor`; `rotate` turns it about (x, y) by
  /// that many degrees; an optional `tooltip` (e.g. the full text of an abbreviated label)
  /// becomes its `<title>`.
  mutating func text(
    _ content: String, _ x: Double, _ y: Double, size: Double = 12, anchor: TextAnchor = .start,
    weight: String? = nil, fill: String = "#222", rotate: Double? = nil, tooltip: String? = nil
  ) {
    var pairs = [
      ("x", Self.number(x)), ("y", Self.number(y)), ("font-size", Self.number(size)), ("text-anchor", anchor.rawValue),
      ("fill", fill),
    ]
    if let weight { pairs.append(("font-weight", weight)) }
    if let rotate { pairs.append(("transform", "rotate(\(Self.number(rotate)) \(Self.number(x)) \(Self.number(y)))")) }
    let title = tooltip.map { "<title>\(XMLText.escape($0))</title>" } ?? ""
    body.append("<text\(Self.attributes(pairs))>\(title)\(XMLText.escape(content))</text>")
  }

  private mutating func element(_ name: String, _ pairs: [(String, String)], tooltip: String?) {
    if let tooltip {
      body.append("<\(name)\(Self.attributes(pairs))><title>\(XMLText.escape(tooltip))</title></\(name)>")
    } else {
      body.append("<\(name)\(Self.attributes(pairs))/>")
    }
  }

  /// The finished `<svg>` element; `title` becomes its accessible name (`<title>`, `aria-label`).
  /// Its view box lets pages scale it (the report draws charts as wide as the text column); its
  /// `max-width` keeps a chart drawn smaller than the column from being blown up.
  func render(title: String) -> String {
    let w = Self.number(width)
    let h = Self.number(height)
    let open =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\""
      + " style=\"max-width: \(w)px\""
      + " role=\"img\" aria-label=\"\(XMLText.escape(title))\" font-family=\"Helvetica, Arial, sans-serif\">"
    return
      ([
        open, "<title>\(XMLText.escape(title))</title>",
        "<rect x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>",
      ]
      + body + ["</svg>"]).joined(separator: "\n")
  }
}
