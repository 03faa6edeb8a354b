// A small, strict JSON reader for file headers: keeps object keys in order (so duplicates can be
// reported) and keeps numbers as their literal text (so 64-bit offsets are read exactly).
import SparsityCore

/// A parsed JSON value.
///
/// Objects keep every member in document order, duplicates included, so a caller can reject a
/// repeated key instead of silently keeping one of them (`JSONSerialization` keeps one).
/// Numbers keep their literal text; `integer` reads a non-negative integer exactly.
indirect enum StrictJSON: Equatable, Sendable {
  case object([Member])
  case array([StrictJSON])
  case string(String)
  case number(String)
  case bool(Bool)
  case null

  /// A key and its value inside an object.
  struct Member: Equatable, Sendable {
    var key: String
    var value: StrictJSON
  }

  /// Why a text is not valid JSON: a byte offset and what was expected there.
  struct SyntaxError: Error, Equatable, Sendable {
    var offset: Int
    var detail: String
    /// e.g. `at byte 17: expected ':' after an object key`.
    var description: String { "at byte \(offset): \(detail)" }
  }

  /// The value's kind for messages: `object`, `array`, `string`, `number`, `boolean`, `null`.
  var kind: String {
    switch self {
    case .object: return "object"
    case .array: return "array"
    case .string: return "string"
    case .number: return "number"
    case .bool: return "boolean"
    case .null: return "null"
    }
  }

  /// The value of a number literal that is a non-negative integer fitting in `Int`, else nil.
  var nonNegativeInteger: Int? {
    guard case .number(let text) = self, !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
      return nil
    }
    return Int(text)
  }

  /// Parses one JSON value from `bytes` (UTF-8), allowing only whitespace around it.
  /// - Throws: `SyntaxError` with the byte offset of the first problem.
  /// - Complexity: O(bytes.count); nesting deeper than `maximumDepth` is rejected.
  static func parse(_ bytes: [UInt8], maximumDepth: Int = 64) throws(SyntaxError) -> StrictJSON {
    var parser = Parser(bytes: bytes, maximumDepth: maximumDepth)
    parser.skipWhitespace()
    let value = try parser.value(depth: 0)
    parser.skipWhitespace()
    guard parser.index == bytes.count else { throw parser.error("unexpected text after the JSON value") }
    return value
  }
}

/// A recursive-descent parser over UTF-8 bytes (RFC 8259).
private struct Parser {
  let bytes: [UInt8]
  let maximumDepth: Int
  var index = 0

  init(bytes: [UInt8], maximumDepth: Int) {
    self.bytes = bytes
    self.maximumDepth = maximumDepth
  }

  func error(_ detail: String) -> StrictJSON.SyntaxError { StrictJSON.SyntaxError(offset: index, detail: detail) }

  var current: UInt8? { index < bytes.count ? bytes[index] : nil }

  mutating func skipWhitespace() {
    while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
  }

  mutating func expect(_ literal: String, _ value: StrictJSON) throws(StrictJSON.SyntaxError) -> StrictJSON {
    let utf8 = Array(literal.utf8)
    guard index + utf8.count <= bytes.count, Array(bytes[index..<(index + utf8.count)]) == utf8 else {
      throw error("expected '\(literal)'")
    }
    index += utf8.count
    return value
  }

  mutating func value(depth: Int) throws(StrictJSON.SyntaxError) -> StrictJSON {
    guard depth < maximumDepth else { throw error("nesting deeper than \(maximumDepth) levels") }
    guard let byte = current else { throw error("unexpected end of text, expected a value") }
    switch byte {
    case UInt8(ascii: "{"): return try object(depth: depth)
    case UInt8(ascii: "["): return try array(depth: depth)
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"): return try expect("true", .bool(true))
    case UInt8(ascii: "f"): return try expect("false", .bool(false))
    case UInt8(ascii: "n"): return try expect("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
    default: throw error("unexpected character '\(Self.printable(byte))', expected a value")
    }
  }

  mutating func object(depth: Int) throws(StrictJSON.SyntaxError) -> StrictJSON {
    index += 1
    var members = [StrictJSON.Member]()
    skipWhitespace()
    if current == UInt8(ascii: "}") {
      index += 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard current == UInt8(ascii: "\"") else { throw error("expected a string key in an object") }
      let key = try string()
      skipWhitespace()
      guard current == UInt8(ascii: ":") else { throw error("expected ':' after an object key") }
      index += 1
      skipWhitespace()
      members.append(StrictJSON.Member(key: key, value: try value(depth: depth + 1)))
      skipWhitespace()
      switch current {
      case UInt8(ascii: ","): index += 1
      case UInt8(ascii: "}"):
        index += 1
        return .object(members)
      default: throw error("expected ',' or '}' in an object")
      }
    }
  }

  mutating func array(depth: Int) throws(StrictJSON.SyntaxError) -> StrictJSON {
    index += 1
    var items = [StrictJSON]()
    skipWhitespace()
    if current == UInt8(ascii: "]") {
      index += 1
      return .array(items)
    }
    while true {
      skipWhitespace()
      items.append(try value(depth: depth + 1))
      skipWhitespace()
      switch current {
      case UInt8(ascii: ","): index += 1
      case UInt8(ascii: "]"):
        index += 1
        return .array(items)
      default: throw error("expected ',' or ']' in an array")
      }
    }
  }

  /// A number literal: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, kept as text.
  mutating func number() throws(StrictJSON.SyntaxError) -> String {
    let start = index
    if current == UInt8(ascii: "-") { index += 1 }
    if current == UInt8(ascii: "0") {
      index += 1
    } else {
      guard try digits() > 0 else { throw error("expected a digit") }
    }
    if current == UInt8(ascii: ".") {
      index += 1
      guard try digits() > 0 else { throw error("expected a digit after '.'") }
    }
    if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
      index += 1
      if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
      guard try digits() > 0 else { throw error("expected a digit in the exponent") }
    }
    return String(decoding: bytes[start..<index], as: UTF8.self)
  }

  mutating func digits() throws(StrictJSON.SyntaxError) -> Int {
    let start = index
    while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
    return index - start
  }

  /// A string literal with its escapes resolved; the text must be valid UTF-8.
  mutating func string() throws(StrictJSON.SyntaxError) -> String {
    index += 1
    var scalars = String.UnicodeScalarView()
    var runStart = index
    while true {
      guard let byte = current else { throw error("unterminated string") }
      if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
        try appendRun(from: runStart, to: &scalars)
        index += 1
        if byte == UInt8(ascii: "\"") { return String(scalars) }
        scalars.append(try escape())
        runStart = index
      } else if byte < 0x20 {
        throw error("control character 0x\(String(byte, radix: 16)) inside a string must be escaped")
      } else {
        index += 1
      }
    }
  }

  /// Appends the unescaped bytes `runStart..<index`, checking that they are valid UTF-8.
  func appendRun(from runStart: Int, to scalars: inout String.UnicodeScalarView) throws(StrictJSON.SyntaxError) {
    guard runStart < index else { return }
    guard let text = String(validating: bytes[runStart..<index], as: UTF8.self) else {
      throw StrictJSON.SyntaxError(offset: runStart, detail: "invalid UTF-8 inside a string")
    }
    scalars.append(contentsOf: text.unicodeScalars)
  }

  /// The character of an escape sequence whose backslash has been consumed.
  mutating func escape() throws(StrictJSON.SyntaxError) -> Unicode.Scalar {
    guard let byte = current else { throw error("unterminated escape sequence") }
    index += 1
    switch byte {
    case UInt8(ascii: "\""): return "\""
    case UInt8(ascii: "\\"): return "\\"
    case UInt8(ascii: "/"): return "/"
    case UInt8(ascii: "b"): return "\u{08}"
    case UInt8(ascii: "f"): return "\u{0C}"
    case UInt8(ascii: "n"): return "\n"
    case UInt8(ascii: "r"): return "\r"
    case UInt8(ascii: "t"): return "\t"
    case UInt8(ascii: "u"): return try unicodeEscape()
    default:
      index -= 1
      throw error("invalid escape '\\\(Self.printable(byte))'")
    }
  }

  /// The scalar of `\uXXXX`, or of a `\uD8XX\uDCXX` surrogate pair.
  mutating func unicodeEscape() throws(StrictJSON.SyntaxError) -> Unicode.Scalar {
    let high = try hexQuad()
    if (0xD800..<0xDC00).contains(high) {
      guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
        throw error("a high surrogate must be followed by a \\u low surrogate")
      }
      index += 2
      let low = try hexQuad()
      guard (0xDC00..<0xE000).contains(low) else { throw error("invalid low surrogate") }
      return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
    }
    guard let scalar = Unicode.Scalar(high) else { throw error("unpaired low surrogate") }
    return scalar
  }

  mutating func hexQuad() throws(StrictJSON.SyntaxError) -> UInt32 {
    guard index + 4 <= bytes.count,
      let value = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16),
      bytes[index..<(index + 4)].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") })
    else { throw error("expected four hexadecimal digits after \\u") }
    index += 4
    return value
  }

  /// A byte as a character for messages, or `0xNN` when it is not printable ASCII.
  static func printable(_ byte: UInt8) -> String {
    (0x21...0x7E).contains(byte) ? String(UnicodeScalar(byte)) : "0x" + String(byte, radix: 16)
  }
}
