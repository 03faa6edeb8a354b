import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Element names, text, and `src`/`href` references of an XML document.
final class ElementCollector: NSObject, XMLParserDelegate {
  var names: [String] = []
  var references: [String] = []
  var text = ""

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    names.append(name)
    references += [attributes["src"], attributes["href"]].compactMap { $0 }
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}
