// Text from files and command lines, made safe to show inside a one-line message.

/// Text as messages show it: control characters written out, so that a file name, an option
/// value or a field read from a file can neither break a message into several lines nor move
/// the terminal's cursor (a carriage return) or change its colors (an escape sequence).
public enum PrintableText {
  /// `text` with every control character (U+0000...U+001F and U+007F...U+009F) written as
  /// `\u{XX}`: `"a\rb"` becomes `a\u{d}b`; everything else is kept.
  /// - Complexity: O(length of `text`).
  public static func escaped(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
        out += "\\u{" + String(scalar.value, radix: 16) + "}"
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
