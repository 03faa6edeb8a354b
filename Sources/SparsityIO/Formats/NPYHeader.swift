// The header of a NumPy .npy file: a Python dictionary literal with descr, fortran_order, shape.
import SparsityCore

/// The parsed header dictionary of a `.npy` file, e.g.
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (1797, 64), }`.
///
/// Reference: the format specification in NumPy's `numpy/lib/format.py` (NEP 1).
struct NPYHeader: Equatable {
  /// The dtype descriptor string, e.g. `<f4`.
  var descriptor: String
  /// True when the data is stored in column-major (Fortran) order.
  var fortranOrder: Bool
  /// The array shape; empty for a 0-d (scalar) array.
  var shape: [Int]

  /// Number of elements, the product of `shape` (1 for a scalar); nil on overflow.
  var elementCount: Int? {
    var total = 1
    for extent in shape {
      let (product, overflow) = total.multipliedReportingOverflow(by: extent)
      if overflow { return nil }
      total = product
    }
    return total
  }

  /// The header dictionary literal as `numpy.save` writes it, without padding.
  var literal: String {
    let extents = shape.map(String.init)
    let tuple = extents.count == 1 ? "(\(extents[0]),)" : "(\(extents.joined(separator: ", ")))"
    return "{'descr': '\(descriptor)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(tuple), }"
  }

  /// Parses the header text of the file named `file`.
  /// - Throws: `ArrayFileError.malformedHeader` naming what is missing or unexpected.
  init(parsing text: some Collection<UInt8>, file: String) throws(ArrayFileError) {
    var parser = PythonLiteralParser(bytes: Array(text))
    let dictionary: [String: PythonLiteral]
    do throws(PythonLiteralParser.Failure) {
      guard case .dictionary(let entries) = try parser.parseDocument() else {
        throw PythonLiteralParser.Failure(message: "the header is not a dictionary")
      }
      dictionary = entries
    } catch {
      throw .malformedHeader(file: file, detail: error.message)
    }
    func missing(_ key: String, _ expected: String) -> ArrayFileError {
      .malformedHeader(file: file, detail: "'\(key)' must be \(expected)")
    }
    switch dictionary["descr"] {
    case .string(let text): descriptor = text
    case .list:
      throw .unsupportedDataType(
        file: file, descriptor: "structured", reason: "structured (record) arrays are not supported")
    default: throw missing("descr", "a dtype string such as '<f4'")
    }
    guard case .bool(let fortran) = dictionary["fortran_order"] else { throw missing("fortran_order", "True or False") }
    guard case .tuple(let items) = dictionary["shape"] else { throw missing("shape", "a tuple of integers") }
    var extents: [Int] = []
    for item in items {
      guard case .integer(let extent) = item, extent >= 0 else {
        throw missing("shape", "a tuple of non-negative integers")
      }
      extents.append(extent)
    }
    fortranOrder = fortran
    shape = extents
  }

  /// A header with the given fields.
  init(descriptor: String, fortranOrder: Bool, shape: [Int]) {
    self.descriptor = descriptor
    self.fortranOrder = fortranOrder
    self.shape = shape
  }
}

/// The Python literal values a `.npy` header can contain.
enum PythonLiteral: Equatable {
  case string(String)
  case integer(Int)
  case bool(Bool)
  case none
  case tuple([PythonLiteral])
  case list([PythonLiteral])
  case dictionary([String: PythonLiteral])
}

/// A recursive-descent parser for the subset of Python literal syntax `.npy` headers use:
/// dictionaries with string keys, quoted strings, integers (with an optional Python 2 `L`
/// suffix), True/False/None, tuples and lists. Nesting is bounded by `maximumDepth` (a header
/// needs 2: the dictionary and its shape tuple), so no header can exhaust the stack, and a
/// repeated dictionary key is an error rather than a silent choice of one value.
struct PythonLiteralParser {
  /// A parse failure, with a message saying what was expected where.
  struct Failure: Error { var message: String }

  let bytes: [UInt8]
  var position = 0
  /// The deepest nesting of dictionaries, tuples and lists accepted.
  static let maximumDepth = 16

  init(bytes: [UInt8]) { self.bytes = bytes }

  /// Parses one literal followed only by whitespace.
  mutating func parseDocument() throws(Failure) -> PythonLiteral {
    let value = try parseValue(depth: 0)
    skipWhitespace()
    guard position == bytes.count else { throw failure("unexpected text after the dictionary") }
    return value
  }

  private func failure(_ message: String) -> Failure {
    Failure(message: "\(message) at byte \(position) of the header")
  }

  private mutating func skipWhitespace() {
    while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
  }

  private mutating func parseValue(depth: Int) throws(Failure) -> PythonLiteral {
    skipWhitespace()
    guard position < bytes.count else { throw failure("unexpected end") }
    if [UInt8(ascii: "{"), UInt8(ascii: "("), UInt8(ascii: "[")].contains(bytes[position]),
      depth >= Self.maximumDepth
    {
      throw failure("nesting deeper than \(Self.maximumDepth) levels")
    }
    switch bytes[position] {
    case UInt8(ascii: "{"): return try parseDictionary(depth: depth + 1)
    case UInt8(ascii: "("): return .tuple(try parseSequence(closing: UInt8(ascii: ")"), depth: depth + 1))
    case UInt8(ascii: "["): return .list(try parseSequence(closing: UInt8(ascii: "]"), depth: depth + 1))
    case UInt8(ascii: "'"), UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"): return .integer(try parseInteger())
    default: return try parseKeyword()
    }
  }

  private mutating func parseDictionary(depth: Int) throws(Failure) -> PythonLiteral {
    position += 1
    var entries: [String: PythonLiteral] = [:]
    while true {
      skipWhitespace()
      if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
        position += 1
        return .dictionary(entries)
      }
      let keyStart = position
      guard case .string(let key) = try parseValue(depth: depth) else { throw failure("expected a string key") }
      skipWhitespace()
      guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw failure("expected ':'") }
      position += 1
      guard entries.updateValue(try parseValue(depth: depth), forKey: key) == nil else {
        throw Failure(message: "key '\(key)' appears twice at byte \(keyStart) of the header")
      }
      try skipSeparator(closing: UInt8(ascii: "}"))
    }
  }

  private mutating func parseSequence(closing: UInt8, depth: Int) throws(Failure) -> [PythonLiteral] {
    position += 1
    var items: [PythonLiteral] = []
    while true {
      skipWhitespace()
      if position < bytes.count, bytes[position] == closing {
        position += 1
        return items
      }
      items.append(try parseValue(depth: depth))
      try skipSeparator(closing: closing)
    }
  }

  /// Consumes a ',' or stops before `closing`.
  private mutating func skipSeparator(closing: UInt8) throws(Failure) {
    skipWhitespace()
    guard position < bytes.count else {
      throw failure("unexpected end, expected ',' or '\(Character(UnicodeScalar(closing)))'")
    }
    if bytes[position] == UInt8(ascii: ",") {
      position += 1
      return
    }
    guard bytes[position] == closing else { throw failure("expected ',' or '\(Character(UnicodeScalar(closing)))'") }
  }

  private mutating func parseString() throws(Failure) -> String {
    let quote = bytes[position]
    position += 1
    let start = position
    while position < bytes.count, bytes[position] != quote {
      if bytes[position] == UInt8(ascii: "\\") { throw failure("escape sequences are not supported") }
      position += 1
    }
    guard position < bytes.count else { throw failure("unterminated string") }
    defer { position += 1 }
    return String(decoding: bytes[start..<position], as: UTF8.self)
  }

  private mutating func parseInteger() throws(Failure) -> Int {
    let start = position
    if bytes[position] == UInt8(ascii: "-") { position += 1 }
    while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
    guard let value = Int(String(decoding: bytes[start..<position], as: UTF8.self)) else {
      throw failure("bad integer")
    }
    if position < bytes.count, bytes[position] == UInt8(ascii: "L") { position += 1 }
    return value
  }

  private mutating func parseKeyword() throws(Failure) -> PythonLiteral {
    for (word, value) in [("True", PythonLiteral.bool(true)), ("False", .bool(false)), ("None", .none)] {
      let utf8 = Array(word.utf8)
      if bytes.count - position >= utf8.count, Array(bytes[position..<(position + utf8.count)]) == utf8 {
        position += utf8.count
        return value
      }
    }
    throw failure("unexpected character '\(Character(UnicodeScalar(bytes[position])))'")
  }
}
