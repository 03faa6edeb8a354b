// Reading and writing safetensors files (the Hugging Face / PyTorch tensor file format).

import Foundation
import SparsityCore

/// A safetensors file: named tensors and string metadata.
///
/// Layout: the header length N as a little-endian `UInt64`; N bytes of UTF-8 JSON (an object
/// mapping each tensor name to `{"dtype", "shape", "data_offsets": [begin, end]}`, plus an
/// optional `"__metadata__"` object of strings), padded with spaces; then the data buffer, each
/// tensor's elements little-endian in row-major (C) order at its offsets relative to the
/// buffer's first byte.
///
/// Reading accepts the element types of `SafetensorsDataType` and converts them to `Float`, and
/// validates strictly (see `SafetensorsHeader`). Writing produces float32 tensors sorted by name,
/// contiguous from offset 0, with the header padded to a multiple of 8 bytes, written atomically.
///
/// Reference: https://github.com/huggingface/safetensors (README, "Format").
public struct SafetensorsFile: Equatable, Sendable {
  /// The tensors by name.
  public var tensors: [String: Tensor]
  /// The `__metadata__` key-value strings (empty when the file has none).
  public var metadata: [String: String]

  /// Headers longer than this are rejected, as the reference implementation does.
  public static let maximumHeaderLength: UInt64 = 100_000_000

  /// A file holding `tensors` and `metadata`.
  public init(tensors: [String: Tensor] = [:], metadata: [String: String] = [:]) {
    self.tensors = tensors
    self.metadata = metadata
  }

  /// Reads the safetensors file at `url`.
  /// - Throws: `SafetensorsError` naming the file, the tensor at fault, and the problem.
  /// - Complexity: O(file size).
  public static func read(contentsOf url: URL) throws(SafetensorsError) -> SafetensorsFile {
    let data: Data
    do {
      data = try ArrayFileAccess.contents(of: url)
    } catch {
      throw .unreadable(file: url.relativePath, reason: error.reason)
    }
    return try decode(data, file: url.relativePath)
  }

  /// Writes the file to `url` atomically (a temporary file in the same directory, renamed into
  /// place), float32 tensors sorted by name.
  /// - Precondition: no tensor is named `__metadata__`.
  /// - Throws: `SafetensorsError.unwritable` naming the file.
  public func write(to url: URL) throws(SafetensorsError) {
    do {
      try ArrayFileAccess.write(encoded(), to: url)
    } catch {
      throw .unwritable(file: url.relativePath, reason: error.reason)
    }
  }

  /// Decodes the bytes of a safetensors file; `file` names it in errors.
  /// - Throws: `SafetensorsError` for a short or inconsistent header length, invalid JSON,
  ///   duplicate names, malformed entries, unsupported dtypes, or byte ranges that do not
  ///   match the shapes or do not tile the data buffer.
  public static func decode(_ data: Data, file: String) throws(SafetensorsError) -> SafetensorsFile {
    let result: Result<SafetensorsFile, SafetensorsError> = data.withUnsafeBytes { raw in
      Result { () throws(SafetensorsError) -> SafetensorsFile in try decode(raw, file: file) }
    }
    return try result.get()
  }

  /// The bytes of the file: float32 tensors sorted by name, then laid out in that order.
  /// - Precondition: no tensor is named `__metadata__`.
  /// - Complexity: O(total element count).
  public func encoded() -> Data {
    precondition(tensors["__metadata__"] == nil, "SafetensorsFile: '__metadata__' is reserved and cannot name a tensor")
    var entries = [SafetensorsHeader.Entry]()
    var offset = 0
    let names = tensors.keys.sorted()
    for name in names {
      let tensor = tensors[name]!
      entries.append(
        .init(name: name, dataType: .float32, shape: tensor.shape, begin: offset, end: offset + 4 * tensor.count))
      offset += 4 * tensor.count
    }
    let header = SafetensorsHeader(entries: entries, metadata: metadata).encoded()
    var out = Data(capacity: 8 + header.count + offset)
    withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
    out.append(contentsOf: header)
    for name in names {
      let little = tensors[name]!.scalars.map { $0.bitPattern.littleEndian }
      little.withUnsafeBytes { out.append(contentsOf: $0) }
    }
    return out
  }

  private static func decode(_ raw: UnsafeRawBufferPointer, file: String) throws(SafetensorsError) -> SafetensorsFile {
    guard raw.count >= 8 else { throw .truncatedHeaderLength(file: file, fileSize: raw.count) }
    let headerLength = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
    guard headerLength <= maximumHeaderLength, headerLength <= UInt64(raw.count - 8) else {
      throw .headerLengthOutOfRange(file: file, headerLength: headerLength, fileSize: raw.count)
    }
    let dataStart = 8 + Int(headerLength)
    let header = try SafetensorsHeader(parsing: Array(raw[8..<dataStart]), file: file)
    let buffer = UnsafeRawBufferPointer(rebasing: raw[dataStart...])
    try header.validateRanges(bufferSize: buffer.count, file: file)
    var tensors = [String: Tensor]()
    tensors.reserveCapacity(header.entries.count)
    for entry in header.entries {
      let bytes = UnsafeRawBufferPointer(rebasing: buffer[entry.begin..<entry.end])
      let count = entry.shape.reduce(1, *)
      tensors[entry.name] = Tensor(shape: entry.shape, scalars: entry.dataType.decode(bytes, count: count))
    }
    return SafetensorsFile(tensors: tensors, metadata: header.metadata)
  }
}
