// A minimal JSON value with ordered object keys and round-tripping number output.
import SparsityCore

/// A JSON document built in code and written compactly. Object keys keep their order, strings
/// are escaped per RFC 8259, and numbers are written with Swift's shortest round-trip
/// representation, so parsing the output gives back exactly the same `Double` or `Float`.
public enum JSONValue: Equatable, Sendable {
  case object([(String, JSONValue)])
  case array([JSONValue])
  case string(String)
  case integer(Int)
  case double(Double)
  case float(Float)
  case bool(Bool)
  case null

  /// The compact JSON text of this value.
  public var text: String {
    var out = ""
    write(to: &out)
    return out
  }

  private func write(to out: inout String) {
    switch self {
    case .object(let members):
      out += "{"
      for (index, (key, value)) in members.enumerated() {
        if index > 0 { out += "," }
        out += JSONString.quoted(key) + ":"
        value.write(to: &out)
      }
      out += "}"
    case .array(let items):
      out += "["
      for (index, item) in items.enumerated() {
        if index > 0 { out += "," }
        item.write(to: &out)
      }
      out += "]"
    case .string(let text): out += JSONString.quoted(text)
    case .integer(let value): out += String(value)
    case .double(let value):
      out += value.isFinite ? "\(value)" : "null"  // JSON has no NaN or infinity
    case .float(let value):
      out += value.isFinite ? "\(value)" : "null"
    case .bool(let value): out += value ? "true" : "false"
    case .null: out += "null"
    }
  }

  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.text == rhs.text }
}
