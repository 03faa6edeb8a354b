// Codable encoding into JSONValue: the one JSON writer for model records, plans and the
// command-line tool's --json output.

import SparsityCore

/// How Swift property names map to JSON keys.
public enum JSONKeyStyle: Sendable {
  /// Keys as the coding keys spell them.
  case asDeclared
  /// `camelCase` names become `snake_case` keys (`formatVersion` is `format_version`).
  case snakeCase

  /// The JSON key for a coding key's name.
  func key(_ name: String) -> String {
    guard self == .snakeCase else { return name }
    var out = ""
    var previous: Character?
    for character in name {
      if character.isUppercase, let previous, previous.isLowercase || previous.isNumber { out += "_" }
      out += character.lowercased()
      previous = character
    }
    return out
  }
}

extension JSONValue {
  /// The JSON form of `value`: object members in the order `encode(to:)` writes them, numbers
  /// written so they read back exactly (`Float` as `Float`), nil optionals as `null`.
  /// NaN and infinities are written as `null` (JSON has neither; a reader then sees a missing
  /// value, and `StrictJSONDecoder` refuses it where a number is required).
  /// - Throws: `EncodingError` for an integer beyond `Int`.
  public init<T: Encodable>(encoding value: T, keys: JSONKeyStyle = .asDeclared) throws {
    let slot = Slot()
    try value.encode(to: SlotEncoder(slot: slot, codingPath: [], keys: keys))
    self = slot.json
  }
}

/// A node of the document being built; containers hand out child slots and fill them later.
private final class Slot {
  enum Content {
    case unset
    case value(JSONValue)
    case object([(String, Slot)])
    case array([Slot])
  }

  var content = Content.unset

  var json: JSONValue {
    switch content {
    case .unset: return .object([])
    case .value(let value): return value
    case .object(let members): return .object(members.map { ($0, $1.json) })
    case .array(let items): return .array(items.map(\.json))
    }
  }

  /// The child slot for `key`, replacing an earlier one of the same key.
  func member(_ key: String) -> Slot {
    var members: [(String, Slot)] = []
    if case .object(let existing) = content { members = existing }
    let child = Slot()
    if let index = members.firstIndex(where: { $0.0 == key }) {
      members[index].1 = child
    } else {
      members.append((key, child))
    }
    content = .object(members)
    return child
  }

  /// A new child slot at the end of this array.
  func appended() -> Slot {
    var items: [Slot] = []
    if case .array(let existing) = content { items = existing }
    let child = Slot()
    items.append(child)
    content = .array(items)
    return child
  }
}

/// An `Encoder` writing into one slot.
private struct SlotEncoder: Encoder {
  let slot: Slot
  let codingPath: [any CodingKey]
  let keys: JSONKeyStyle
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    if case .object = slot.content {} else { slot.content = .object([]) }
    return KeyedEncodingContainer(ObjectEncoder<Key>(encoder: self))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    if case .array = slot.content {} else { slot.content = .array([]) }
    return ArrayEncoder(encoder: self)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer { self }

  func child(_ slot: Slot, _ key: any CodingKey) -> SlotEncoder {
    SlotEncoder(slot: slot, codingPath: codingPath + [key], keys: keys)
  }
}

extension SlotEncoder: SingleValueEncodingContainer {
  func encodeNil() { slot.content = .value(.null) }
  func encode(_ value: Bool) { slot.content = .value(.bool(value)) }
  func encode(_ value: String) { slot.content = .value(.string(value)) }
  // JSON has no NaN or infinity: `JSONValue` writes them as null, as the hand-built outputs did.
  func encode(_ value: Double) { slot.content = .value(.double(value)) }
  func encode(_ value: Float) { slot.content = .value(.float(value)) }
  func encode(_ value: Int) { slot.content = .value(.integer(value)) }
  func encode(_ value: Int8) { slot.content = .value(.integer(Int(value))) }
  func encode(_ value: Int16) { slot.content = .value(.integer(Int(value))) }
  func encode(_ value: Int32) { slot.content = .value(.integer(Int(value))) }
  func encode(_ value: Int64) { slot.content = .value(.integer(Int(value))) }
  func encode(_ value: UInt8) { slot.content = .value(.integer(Int(value))) }
  func encode(_ value: UInt16) { slot.content = .value(.integer(Int(value))) }
  func encode(_ value: UInt32) { slot.content = .value(.integer(Int(value))) }
  func encode(_ value: UInt) throws { slot.content = .value(.integer(try fitting(value))) }
  func encode(_ value: UInt64) throws { slot.content = .value(.integer(try fitting(value))) }
  func encode<T: Encodable>(_ value: T) throws { try value.encode(to: self) }

  private func fitting<I: BinaryInteger>(_ value: I) throws -> Int {
    guard let integer = Int(exactly: value) else {
      throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) exceeds Int"))
    }
    return integer
  }
}

/// The members of one object.
private struct ObjectEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let encoder: SlotEncoder
  var codingPath: [any CodingKey] { encoder.codingPath }

  func child(_ key: Key) -> SlotEncoder {
    encoder.child(encoder.slot.member(encoder.keys.key(key.stringValue)), key)
  }

  mutating func encodeNil(forKey key: Key) { child(key).encodeNil() }
  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try value.encode(to: child(key)) }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
    -> KeyedEncodingContainer<NestedKey>
  { child(key).container(keyedBy: keyType) }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    child(key).unkeyedContainer()
  }

  mutating func superEncoder() -> any Encoder {
    encoder.child(encoder.slot.member("super"), Key(stringValue: "super") ?? { preconditionFailure("no 'super'") }())
  }

  mutating func superEncoder(forKey key: Key) -> any Encoder { child(key) }
}

/// The items of one array.
private struct ArrayEncoder: UnkeyedEncodingContainer {
  let encoder: SlotEncoder
  var codingPath: [any CodingKey] { encoder.codingPath }
  var count: Int {
    if case .array(let items) = encoder.slot.content { return items.count }
    return 0
  }

  func next() -> SlotEncoder { encoder.child(encoder.slot.appended(), IndexCodingKey(count)) }

  mutating func encodeNil() { next().encodeNil() }
  mutating func encode<T: Encodable>(_ value: T) throws { try value.encode(to: next()) }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
    -> KeyedEncodingContainer<NestedKey>
  { next().container(keyedBy: keyType) }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { next().unkeyedContainer() }
  mutating func superEncoder() -> any Encoder { next() }
}

/// A coding key for array positions.
struct IndexCodingKey: CodingKey {
  var intValue: Int?
  var stringValue: String { "\(intValue ?? 0)" }
  init(_ index: Int) { intValue = index }
  init?(intValue: Int) { self.intValue = intValue }
  init?(stringValue: String) { nil }
}
