// The JSON header of a safetensors file: parsing with strict validation, and writing.
import SparsityCore

/// The header of a safetensors file: where each tensor's bytes are and how to read them, plus
/// the optional string-to-string `__metadata__`.
///
/// Text form: `{"__metadata__": {"key": "value"}, "name": {"dtype": "F32", "shape": [2, 3],
/// "data_offsets": [0, 24]}, ...}`, offsets relative to the first byte after the header.
/// Validation follows the reference implementation (huggingface/safetensors `tensor.rs`):
/// each range holds exactly shape x element-size bytes, and the ranges, sorted, tile the
/// whole data buffer with neither overlaps nor holes.
struct SafetensorsHeader: Equatable, Sendable {
  /// One tensor's entry: name, element type, shape and byte range in the data buffer.
  struct Entry: Equatable, Sendable {
    var name: String
    var dataType: SafetensorsDataType
    var shape: [Int]
    var begin: Int
    var end: Int
  }

  /// The tensors in header order.
  var entries: [Entry]
  /// The `__metadata__` object, empty when absent.
  var metadata: [String: String]

  init(entries: [Entry], metadata: [String: String]) {
    self.entries = entries
    self.metadata = metadata
  }

  /// Parses header bytes (UTF-8 JSON, possibly padded with trailing spaces).
  /// - Throws: `SafetensorsError` for invalid JSON, a duplicate name, a malformed entry, an
  ///   unsupported dtype, or malformed metadata; `file` names the file in errors.
  init(parsing bytes: [UInt8], file: String) throws(SafetensorsError) {
    guard bytes.first == UInt8(ascii: "{") else {
      throw .invalidHeader(file: file, detail: "it does not start with '{' (not a safetensors file?)")
    }
    let members: [StrictJSON.Member]
    do {
      guard case .object(let parsed) = try StrictJSON.parse(bytes) else { preconditionFailure("starts with '{'") }
      members = parsed
    } catch {
      throw .invalidHeader(file: file, detail: "not valid JSON \(error.description)")
    }
    var seen = Set<String>()
    var entries = [Entry]()
    var metadata: [String: String]?
    for member in members {
      guard seen.insert(member.key).inserted else {
        if member.key == "__metadata__" { throw .invalidMetadata(file: file, detail: "it appears more than once") }
        throw .duplicateTensor(file: file, tensor: member.key)
      }
      if member.key == "__metadata__" {
        metadata = try Self.metadata(from: member.value, file: file)
      } else {
        entries.append(try Self.entry(named: member.key, from: member.value, file: file))
      }
    }
    self.init(entries: entries, metadata: metadata ?? [:])
  }

  /// The `__metadata__` value as a dictionary.
  private static func metadata(from value: StrictJSON, file: String) throws(SafetensorsError) -> [String: String] {
    guard case .object(let members) = value else {
      throw .invalidMetadata(file: file, detail: "expected an object of strings, found \(value.kind)")
    }
    var metadata = [String: String]()
    for member in members {
      guard case .string(let text) = member.value else {
        throw .invalidMetadata(
          file: file, detail: "the value of '\(member.key)' is a \(member.value.kind), not a string")
      }
      guard metadata.updateValue(text, forKey: member.key) == nil else {
        throw .invalidMetadata(file: file, detail: "key '\(member.key)' appears more than once")
      }
    }
    return metadata
  }

  /// One tensor entry, checked for its three fields and a byte count matching its shape.
  private static func entry(named name: String, from value: StrictJSON, file: String) throws(SafetensorsError) -> Entry
  {
    func invalid(_ detail: String) -> SafetensorsError { .invalidTensorEntry(file: file, tensor: name, detail: detail) }
    guard case .object(let members) = value else { throw invalid("expected an object, found \(value.kind)") }
    var fields = [String: StrictJSON]()
    for member in members {
      guard ["dtype", "shape", "data_offsets"].contains(member.key) else {
        throw invalid("unknown field '\(member.key)'")
      }
      guard fields.updateValue(member.value, forKey: member.key) == nil else {
        throw invalid("field '\(member.key)' appears twice")
      }
    }
    guard case .string(let typeName) = fields["dtype"] else { throw invalid("missing or non-string 'dtype'") }
    guard case .array(let shapeItems) = fields["shape"] else { throw invalid("missing or non-array 'shape'") }
    guard case .array(let offsetItems) = fields["data_offsets"] else {
      throw invalid("missing or non-array 'data_offsets'")
    }
    let shape = shapeItems.compactMap(\.nonNegativeInteger)
    guard shape.count == shapeItems.count else { throw invalid("'shape' must hold non-negative integers") }
    let offsets = offsetItems.compactMap(\.nonNegativeInteger)
    guard offsets.count == 2, offsetItems.count == 2 else {
      throw invalid("'data_offsets' must be two non-negative integers [begin, end]")
    }
    guard let dataType = SafetensorsDataType(rawValue: typeName) else {
      throw .unsupportedDataType(file: file, tensor: name, dataType: typeName)
    }
    let (begin, end) = (offsets[0], offsets[1])
    let count = shape.reduce((1, false)) { partial, extent in
      let product = partial.0.multipliedReportingOverflow(by: extent)
      return (product.partialValue, partial.1 || product.overflow)
    }
    let bytes = count.0.multipliedReportingOverflow(by: dataType.size)
    guard !count.1, !bytes.overflow else { throw invalid("shape \(shape) is too large") }
    if end >= begin && end - begin != bytes.partialValue {
      throw .sizeMismatch(
        file: file, tensor: name, dataType: typeName, shape: shape, expectedBytes: bytes.partialValue,
        actualBytes: end - begin)
    }
    return Entry(name: name, dataType: dataType, shape: shape, begin: begin, end: end)
  }

  /// Checks that the entries' byte ranges lie inside a buffer of `bufferSize` bytes and tile it
  /// exactly: no range reversed or out of bounds, no overlap, no hole, nothing after the last.
  /// - Complexity: O(n log n) for n tensors.
  func validateRanges(bufferSize: Int, file: String) throws(SafetensorsError) {
    for entry in entries where entry.begin > entry.end || entry.end > bufferSize {
      throw .offsetsOutOfRange(
        file: file, tensor: entry.name, begin: entry.begin, end: entry.end, bufferSize: bufferSize)
    }
    let sorted = entries.sorted { ($0.begin, $0.end) < ($1.begin, $1.end) }
    var covered = 0
    var previous: Entry?
    for entry in sorted {
      if entry.begin < covered, let previous {
        throw .overlappingTensors(file: file, tensor: entry.name, other: previous.name)
      }
      if entry.begin > covered { throw .uncoveredBytes(file: file, begin: covered, end: entry.begin) }
      covered = entry.end
      if entry.end > entry.begin { previous = entry }
    }
    if covered < bufferSize { throw .uncoveredBytes(file: file, begin: covered, end: bufferSize) }
  }

  /// The header as compact JSON, `__metadata__` first (omitted when empty, keys sorted), then
  /// the entries in order, padded with spaces so that 8 + its length is a multiple of 8.
  func encoded() -> [UInt8] {
    var text = "{"
    var parts = [String]()
    if !metadata.isEmpty {
      let pairs = metadata.sorted { $0.key < $1.key }.map {
        "\(JSONString.quoted($0.key)):\(JSONString.quoted($0.value))"
      }
      parts.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
    }
    for entry in entries {
      let shape = entry.shape.map(String.init).joined(separator: ",")
      parts.append(
        "\(JSONString.quoted(entry.name)):{\"dtype\":\"\(entry.dataType.rawValue)\",\"shape\":[\(shape)],"
          + "\"data_offsets\":[\(entry.begin),\(entry.end)]}")
    }
    text += parts.joined(separator: ",") + "}"
    var bytes = Array(text.utf8)
    while bytes.count % 8 != 0 { bytes.append(0x20) }
    return bytes
  }

}
