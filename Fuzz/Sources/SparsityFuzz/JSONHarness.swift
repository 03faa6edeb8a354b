// JSON text: StrictJSONDecoder over StrictJSON, the one JSON reader of records and plans.

import Foundation
import SparsityIO

/// `StrictJSONDecoder` decoding any JSON value: written back as JSON (`JSONValue.text`), it
/// decodes to the same value.
enum JSONHarness: Harness {
  static let maximumLength = 4096
  static let entryPoints = "StrictJSONDecoder (StrictJSON)"

  static func run(_ data: Data) -> Bool {
    guard let value = try? StrictJSONDecoder.decode(AnyJSON.self, from: String(decoding: data, as: UTF8.self)) else {
      return false
    }
    let text = value.json.text
    let again = mustDecode("JSON written back") { () throws(StrictJSONDecodingError) in
      try StrictJSONDecoder.decode(AnyJSON.self, from: text)
    }
    precondition(again.json == value.json, "JSON round trip differs: \(text) then \(again.json.text)")
    return true
  }

  static var seeds: [String: Data] {
    [
      "object.json": Data(#"{"a": [1, -2.5e3, 0.125, true, false, null], "b": {"c": "d\n\u00e9\ud83d\ude00"}}"#.utf8),
      "scalars.json": Data(#"[0, -0, 1E+2, 18446744073709551615, "\"\\\/\b\f\r\t"]"#.utf8),
      "nested.json": Data("[[[[{\"k\": [[]]}]]]]".utf8),
    ]
  }
}

/// Any JSON value, read through `Decoder`'s containers (as every `Decodable` reads) and kept as
/// a `JSONValue`: objects keep their key order, numbers become `Double`.
struct AnyJSON: Decodable {
  var json: JSONValue

  /// Any string is a key.
  private struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  init(from decoder: any Decoder) throws {
    if let object = try? decoder.container(keyedBy: Key.self) {
      json = .object(try object.allKeys.map { ($0.stringValue, try object.decode(AnyJSON.self, forKey: $0).json) })
    } else if var array = try? decoder.unkeyedContainer() {
      var items = [JSONValue]()
      while !array.isAtEnd { items.append(try array.decode(AnyJSON.self).json) }
      json = .array(items)
    } else {
      let single = try decoder.singleValueContainer()
      if single.decodeNil() {
        json = .null
      } else if let flag = try? single.decode(Bool.self) {
        json = .bool(flag)
      } else if let text = try? single.decode(String.self) {
        json = .string(text)
      } else {
        json = .double(try single.decode(Double.self))
      }
    }
  }
}
