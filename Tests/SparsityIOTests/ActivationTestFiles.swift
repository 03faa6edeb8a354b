// Activation files written by hand for the activation tests: .npy and .safetensors bytes.

import Foundation
import SparsityIO
import SparsityTestSupport

/// A directory of hand-written activation files; files are named relative to it, so errors
/// name them as `a.npy`.
struct ActivationTestDirectory {
  let url: URL

  init() throws { url = try temporaryDirectory("activationtests") }

  /// Removes the directory and its files.
  func remove() { try? FileManager.default.removeItem(at: url) }

  /// The URL of `name` inside the directory, relative to it.
  func file(_ name: String) -> URL {
    URL(fileURLWithPath: name, relativeTo: URL(fileURLWithPath: url.path, isDirectory: true))
  }

  /// Writes `bytes` as `name` and returns its URL.
  @discardableResult
  func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
    let url = file(name)
    precondition(url.path.hasPrefix(self.url.path + "/"), "\(url.path) is outside \(self.url.path)")
    try Data(bytes).write(to: url)
    return url
  }
}

/// The bytes of a version 1.0 `.npy` file: magic, version, header length, header padded to 64
/// bytes, then `data`.
func npyFileBytes(descriptor: String, shape: String, fortran: Bool = false, data: [UInt8]) -> [UInt8] {
  var header = Array(
    "{'descr': '\(descriptor)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }".utf8)
  while (10 + header.count + 1) % 64 != 0 { header.append(0x20) }
  header.append(0x0A)
  return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count & 0xFF), UInt8(header.count >> 8)] + header + data
}

/// The bytes of a safetensors file holding `tensors` (name, dtype, shape, data bytes) in order.
func safetensorsFileBytes(_ tensors: [(name: String, dtype: String, shape: [Int], data: [UInt8])]) -> [UInt8] {
  var entries = [String]()
  var offset = 0
  for tensor in tensors {
    let shape = tensor.shape.map(String.init).joined(separator: ",")
    entries.append(
      "\"\(tensor.name)\":{\"dtype\":\"\(tensor.dtype)\",\"shape\":[\(shape)],"
        + "\"data_offsets\":[\(offset),\(offset + tensor.data.count)]}")
    offset += tensor.data.count
  }
  let header = Array("{\(entries.joined(separator: ","))}".utf8)
  return withUnsafeBytes(of: UInt64(header.count).littleEndian, Array.init) + header + tensors.flatMap(\.data)
}

/// Little-endian bytes of fixed-width integers.
func littleEndian<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
  values.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }
}

/// Little-endian float32 bytes.
func float32Bytes(_ values: [Float]) -> [UInt8] { littleEndian(values.map(\.bitPattern)) }

/// Little-endian bfloat16 bytes: the upper halves of the float32 bit patterns.
func bfloat16Bytes(_ values: [Float]) -> [UInt8] { littleEndian(values.map { UInt16($0.bitPattern >> 16) }) }

/// The value of row `row`, column `column` of a matrix of `columns` columns in the indexed
/// test files: `row * columns + column`, distinct for every cell and exact in float32 (and in
/// bfloat16 below 256), so a value read tells where it came from.
func indexedRows(_ rows: Range<Int>, columns: Int) -> [Float] {
  rows.flatMap { row in (0..<columns).map { Float(row * columns + $0) } }
}

/// Reads rows `range` of `dataset` into an array.
func readRows(_ dataset: ActivationDataset, _ range: Range<Int>) throws(ActivationDataError) -> [Float] {
  let count = range.count * dataset.columns
  let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(1, count))
  defer { buffer.deallocate() }
  try dataset.read(rows: range, into: buffer)
  return Array(UnsafeBufferPointer(start: buffer, count: count))
}
