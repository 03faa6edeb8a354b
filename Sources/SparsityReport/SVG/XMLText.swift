// Escaping text for XML and HTML: the one place that turns arbitrary strings into safe markup.

/// Escaping of arbitrary text for XML (SVG) and HTML documents.
public enum XMLText {
  /// `text` safe to place in XML character data or in a double- or single-quoted attribute.
  ///
  /// Replaces `&` `<` `>` `"` `'` by their entity references and drops the characters XML 1.0
  /// does not allow at all (C0 controls other than tab, newline and carriage return, lone
  /// surrogates cannot occur in a Swift `String`, U+FFFE and U+FFFF), so the result always
  /// parses.
  /// - Complexity: O(text length).
  /// - Reference: W3C, "Extensible Markup Language (XML) 1.0 (Fifth Edition)", section 2.2
  ///   (Characters) and 2.4 (Character Data and Markup).
  public static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default:
        if isAllowed(scalar) { out.unicodeScalars.append(scalar) }
      }
    }
    return out
  }

  /// True for the characters XML 1.0 allows in a document.
  static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x9, 0xA, 0xD: return true
    case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
    default: return false
    }
  }
}
