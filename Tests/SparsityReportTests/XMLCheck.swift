import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Parses markup as XML and records its elements, for checking SVG charts and report pages.
final class XMLCheck: NSObject, XMLParserDelegate {
  /// One element: its name, attributes and its own character data (not its children's).
  struct Element {
    var name: String
    var attributes: [String: String]
    var text = ""
  }

  private(set) var elements: [Element] = []
  private(set) var text = ""
  /// The indices in `elements` of the elements open at the parser's position.
  private var open: [Int] = []

  /// The parsed document, or an error naming the parser's complaint.
  static func parse(_ markup: String) throws -> XMLCheck {
    let check = XMLCheck()
    let parser = XMLParser(data: Data(markup.utf8))
    parser.delegate = check
    guard parser.parse() else {
      throw ParseFailure(
        message:
          "\(parser.parserError.map { "\($0)" } ?? "unknown error") at line \(parser.lineNumber), column \(parser.columnNumber)"
      )
    }
    return check
  }

  struct ParseFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { "not well-formed XML: \(message)" }
  }

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    open.append(elements.count)
    elements.append(Element(name: name, attributes: attributes))
  }

  func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
    open.removeLast()
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    text += string
    if let current = open.last { elements[current].text += string }
  }

  /// The elements called `name`.
  func all(_ name: String) -> [Element] { elements.filter { $0.name == name } }

  /// The numeric attributes (coordinates, sizes) that are not finite numbers; should be empty.
  var badNumbers: [String] {
    let numeric: Set<String> = ["x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height"]
    var bad: [String] = []
    for element in elements {
      for (key, value) in element.attributes where numeric.contains(key) {
        if Double(value).map({ !$0.isFinite }) ?? true { bad.append("\(element.name) \(key)=\(value)") }
      }
      if let points = element.attributes["points"] {
        for pair in points.split(separator: " ") {
          for part in pair.split(separator: ",") where Double(part).map({ !$0.isFinite }) ?? true {
            bad.append("points \(part)")
          }
        }
      }
    }
    return bad
  }
}

/// Checks that `svg` is one well-formed `<svg>` element with finite coordinates; returns it parsed.
@discardableResult
func checkedSVG(_ svg: String) throws -> XMLCheck {
  let check = try XMLCheck.parse(svg)
  guard check.elements.first?.name == "svg", check.elements.first?.attributes["xmlns"] == "http://www.w3.org/2000/svg"
  else {
    throw XMLCheck.ParseFailure(message: "the root is not an <svg> element with the SVG namespace")
  }
  guard check.badNumbers.isEmpty else {
    throw XMLCheck.ParseFailure(message: "non-finite coordinates: \(check.badNumbers.prefix(5))")
  }
  return check
}
