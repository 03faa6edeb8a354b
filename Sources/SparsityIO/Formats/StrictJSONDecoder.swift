// Codable decoding on top of StrictJSON: the one JSON reader for model records, plans and
// every other Decodable value the library reads from a file.

import SparsityCore

/// Decodes `Decodable` values from JSON text with `StrictJSON`'s rules: nesting is bounded,
/// a repeated object key is an error (Foundation's decoder keeps one of them silently), numbers
/// are read from their literal text, so a `UInt64` is exact and a `Float` out of range is an
/// error rather than infinity.
public enum StrictJSONDecoder {
  /// Decodes a `T` from the UTF-8 JSON `text`.
  /// - Throws: `StrictJSONDecodingError` with the path of the faulty value and what is wrong.
  /// `keys` says how property names map to JSON keys; `maximumDepth` bounds nesting.
  public static func decode<T: Decodable>(
    _ type: T.Type, from text: String, keys: JSONKeyStyle = .asDeclared, maximumDepth: Int = 64
  ) throws(StrictJSONDecodingError) -> T {
    let value: StrictJSON
    do { value = try StrictJSON.parse(Array(text.utf8), maximumDepth: maximumDepth) } catch {
      throw StrictJSONDecodingError(path: "", detail: "not valid JSON: \(error.description)")
    }
    do { return try T(from: ValueDecoder(value: value, codingPath: [], keys: keys)) } catch let error as DecodingError {
      throw StrictJSONDecodingError(error, keys: keys)
    } catch let error as StrictJSONDecodingError {
      throw error
    } catch {
      throw StrictJSONDecodingError(path: "", detail: "\(error)")
    }
  }
}

/// Why JSON text does not decode: where (a path such as `scaling.offsets[3]`) and what.
public struct StrictJSONDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The path of the value at fault, empty for the whole document.
  public var path: String
  /// What is wrong there.
  public var detail: String

  public init(path: String, detail: String) {
    self.path = path
    self.detail = detail
  }

  /// e.g. `at scaling.offsets[3]: expected a number, found string`.
  public var description: String { path.isEmpty ? detail : "at \(path): \(detail)" }

  /// The error at the path of `error`, its keys spelled as the JSON text spells them.
  init(_ error: DecodingError, keys: JSONKeyStyle) {
    switch error {
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
      self.init(path: Self.path(context.codingPath, keys: keys), detail: context.debugDescription)
    case .keyNotFound(let key, let context):
      self.init(
        path: Self.path(context.codingPath, keys: keys), detail: "missing key \"\(keys.key(key.stringValue))\"")
    @unknown default:
      self.init(path: "", detail: "\(error)")
    }
  }

  /// `a.b[2].c` for a coding path, with the JSON keys `keys` gives for its names.
  static func path(_ codingPath: [any CodingKey], keys: JSONKeyStyle) -> String {
    var text = ""
    for key in codingPath {
      if let index = key.intValue {
        text += "[\(index)]"
      } else {
        text += (text.isEmpty ? "" : ".") + keys.key(key.stringValue)
      }
    }
    return text
  }
}

/// A `Decoder` over one parsed value.
private struct ValueDecoder: Decoder {
  let value: StrictJSON
  let codingPath: [any CodingKey]
  let keys: JSONKeyStyle
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func mismatch(_ expected: String) -> DecodingError {
    .typeMismatch(
      Any.self, .init(codingPath: codingPath, debugDescription: "expected \(expected), found \(value.kind)"))
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    guard case .object(let members) = value else { throw mismatch("an object") }
    var byKey = [String: StrictJSON]()
    for member in members {
      guard byKey.updateValue(member.value, forKey: member.key) == nil else {
        throw DecodingError.dataCorrupted(
          .init(codingPath: codingPath, debugDescription: "key \"\(member.key)\" appears twice"))
      }
    }
    return KeyedDecodingContainer(
      ObjectContainer<Key>(members: byKey, order: members.map(\.key), codingPath: codingPath, keys: keys))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    guard case .array(let items) = value else { throw mismatch("an array") }
    return ArrayContainer(items: items, codingPath: codingPath, keys: keys)
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer { self }
}

extension ValueDecoder: SingleValueDecodingContainer {
  func decodeNil() -> Bool { value == .null }

  func decode(_ type: Bool.Type) throws -> Bool {
    guard case .bool(let flag) = value else { throw mismatch("true or false") }
    return flag
  }

  func decode(_ type: String.Type) throws -> String {
    guard case .string(let text) = value else { throw mismatch("a string") }
    return text
  }

  func decode(_ type: Double.Type) throws -> Double { try number("a finite number", Double.init) }
  func decode(_ type: Float.Type) throws -> Float { try number("a number in Float's range", Float.init) }
  func decode(_ type: Int.Type) throws -> Int { try integer(Int.self) }
  func decode(_ type: Int8.Type) throws -> Int8 { try integer(Int8.self) }
  func decode(_ type: Int16.Type) throws -> Int16 { try integer(Int16.self) }
  func decode(_ type: Int32.Type) throws -> Int32 { try integer(Int32.self) }
  func decode(_ type: Int64.Type) throws -> Int64 { try integer(Int64.self) }
  func decode(_ type: UInt.Type) throws -> UInt { try integer(UInt.self) }
  func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(UInt8.self) }
  func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(UInt16.self) }
  func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(UInt32.self) }
  func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(UInt64.self) }

  func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: self) }

  /// A finite floating-point number from the literal text.
  private func number<F: BinaryFloatingPoint>(_ expected: String, _ make: (String) -> F?) throws -> F {
    guard case .number(let text) = value else { throw mismatch(expected) }
    guard let number = make(text), number.isFinite else {
      throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "\(text) is not \(expected)"))
    }
    return number
  }

  /// An integer literal that fits `I` exactly (no fraction, no exponent).
  private func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
    guard case .number(let text) = value else { throw mismatch("an integer") }
    guard let integer = I(text) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: codingPath, debugDescription: "\(text) is not an integer in \(I.min)...\(I.max)"))
    }
    return integer
  }
}

/// The members of one object by key.
private struct ObjectContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let members: [String: StrictJSON]
  /// The keys in document order.
  let order: [String]
  let codingPath: [any CodingKey]
  let keys: JSONKeyStyle

  /// The JSON keys as they are (a dictionary's keys are not renamed), in document order.
  var allKeys: [Key] { order.compactMap { Key(stringValue: $0) } }
  func contains(_ key: Key) -> Bool { value(key) != nil }

  /// The member named by `key` in the key style, or by `key` itself (a dictionary's key).
  func value(_ key: Key) -> StrictJSON? { members[keys.key(key.stringValue)] ?? members[key.stringValue] }

  func decoder(for key: Key) throws -> ValueDecoder {
    guard let value = value(key) else {
      throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
    }
    return ValueDecoder(value: value, codingPath: codingPath + [key], keys: keys)
  }

  func decodeNil(forKey key: Key) throws -> Bool { try decoder(for: key).decodeNil() }
  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try T(from: decoder(for: key)) }
  func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decoder(for: key).decode(type) }
  func decode(_ type: String.Type, forKey key: Key) throws -> String { try decoder(for: key).decode(type) }
  func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decoder(for: key).decode(type) }
  func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decoder(for: key).decode(type) }
  func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decoder(for: key).decode(type) }
  func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decoder(for: key).decode(type) }

  func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
    -> KeyedDecodingContainer<NestedKey>
  { try decoder(for: key).container(keyedBy: type) }

  func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
    try decoder(for: key).unkeyedContainer()
  }

  func superDecoder() throws -> any Decoder {
    try decoder(for: Key(stringValue: "super") ?? { preconditionFailure("key type without a 'super' key") }())
  }

  func superDecoder(forKey key: Key) throws -> any Decoder { try decoder(for: key) }
}

/// The items of one array, read in order.
private struct ArrayContainer: UnkeyedDecodingContainer {
  let items: [StrictJSON]
  let codingPath: [any CodingKey]
  let keys: JSONKeyStyle
  var currentIndex = 0

  init(items: [StrictJSON], codingPath: [any CodingKey], keys: JSONKeyStyle) {
    self.items = items
    self.codingPath = codingPath
    self.keys = keys
  }

  var count: Int? { items.count }
  var isAtEnd: Bool { currentIndex >= items.count }

  mutating func next() throws -> ValueDecoder {
    guard !isAtEnd else {
      throw DecodingError.valueNotFound(
        Any.self,
        .init(codingPath: codingPath + [IndexCodingKey(currentIndex)], debugDescription: "the array ends too early"))
    }
    defer { currentIndex += 1 }
    return ValueDecoder(value: items[currentIndex], codingPath: codingPath + [IndexCodingKey(currentIndex)], keys: keys)
  }

  mutating func decodeNil() throws -> Bool {
    guard !isAtEnd, items[currentIndex] == .null else { return false }
    currentIndex += 1
    return true
  }

  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: next()) }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
    -> KeyedDecodingContainer<NestedKey>
  { try next().container(keyedBy: type) }

  mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
  mutating func superDecoder() throws -> any Decoder { try next() }
}
