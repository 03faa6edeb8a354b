// Typed .npy arrays inside .npz archives: exact integers, byte strings, any supported dtype.

import Foundation
import SparsityCore

/// One `.npy` array as raw little-endian bytes with its header: what `.npz` entries need beyond
/// `NPYFile`'s float32 tensors (int32/int64 index arrays read exactly, byte-string scalars).
struct NPYEntry {
  var header: NPYHeader
  var payload: Data

  /// An array of `descriptor` (e.g. `<i4`) and `shape` over `payload`, C order.
  init(descriptor: String, shape: [Int], payload: Data) {
    header = NPYHeader(descriptor: descriptor, fortranOrder: false, shape: shape)
    self.payload = payload
  }

  /// Parses the bytes of a `.npy` file (versions 1.0-3.0); `file` names it in errors.
  init(decoding data: Data, file: String) throws(ArrayFileError) {
    let bytes = [UInt8](data)
    guard bytes.count >= 10, Array(bytes[0..<6]) == NPYFile.magic else { throw .badMagic(file: file) }
    let lengthSize: Int
    switch (bytes[6], bytes[7]) {
    case (1, 0): lengthSize = 2
    case (2, 0), (3, 0): lengthSize = 4
    default: throw .unsupportedVersion(file: file, major: bytes[6], minor: bytes[7])
    }
    guard bytes.count >= 8 + lengthSize else {
      throw .malformedHeader(file: file, detail: "the file ends before the header length")
    }
    var length = 0
    for i in 0..<lengthSize { length |= Int(bytes[8 + i]) << (8 * i) }
    let start = 8 + lengthSize + length
    guard bytes.count >= start else {
      throw .malformedHeader(file: file, detail: "header length is \(length) bytes but the file is shorter")
    }
    header = try NPYHeader(parsing: bytes[(8 + lengthSize)..<start], file: file)
    payload = Data(bytes[start...])
  }

  /// The `.npy` file bytes: version 1.0 header padded to 64 bytes, then the payload.
  var encoded: Data {
    let literal = Array(header.literal.utf8)
    let padded = (10 + literal.count + 1 + 63) / 64 * 64 - 10
    var out = Data(NPYFile.magic + [1, 0, UInt8(padded & 0xFF), UInt8(padded >> 8)])
    out.append(contentsOf: literal)
    out.append(contentsOf: [UInt8](repeating: 0x20, count: padded - literal.count - 1) + [0x0A])
    out.append(payload)
    return out
  }

  /// The element count, after checking that the payload holds exactly that many `size`-byte
  /// elements.
  func checkedCount(elementSize: Int, file: String) throws(ArrayFileError) -> Int {
    guard let count = header.elementCount, count.multipliedReportingOverflow(by: elementSize).overflow == false else {
      throw .malformedHeader(file: file, detail: "shape \(header.shape) is too large")
    }
    let type = header.descriptor
    if payload.count < count * elementSize {
      throw .truncatedData(
        file: file, shape: header.shape, dataType: type, expectedBytes: count * elementSize, actualBytes: payload.count)
    }
    if payload.count > count * elementSize {
      throw .trailingData(
        file: file, shape: header.shape, dataType: type, expectedBytes: count * elementSize, actualBytes: payload.count)
    }
    return count
  }

  /// The elements as exact integers: int8-int64 and uint8-uint32 (C order, 1-D or 0-D).
  func integers(file: String) throws(ArrayFileError) -> [Int] {
    let code = String(header.descriptor.dropFirst())
    let order = header.descriptor.first
    guard let type = NPYDataType(rawValue: code), type != .float16, type != .float32, type != .float64,
      type != .bool, type != .uint64, order != ">" || type.size == 1
    else {
      throw .unsupportedDataType(
        file: file, descriptor: header.descriptor, reason: "expected a little-endian integer array (int32 or int64)")
    }
    let count = try checkedCount(elementSize: type.size, file: file)
    return payload.withUnsafeBytes { raw in
      (0..<count).map { i -> Int in
        let at = i * type.size
        switch type {
        case .int8: return Int(raw.load(fromByteOffset: at, as: Int8.self))
        case .uint8: return Int(raw[at])
        case .int16: return Int(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: Int16.self)))
        case .uint16: return Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
        case .int32: return Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: Int32.self)))
        case .uint32: return Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
        default: return Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: Int64.self)))
        }
      }
    }
  }

  /// The elements converted to `Float` (any `NPYDataType`).
  func floats(file: String) throws(ArrayFileError) -> [Float] {
    let type: NPYDataType
    switch NPYDataType.parse(header.descriptor) {
    case .success(let parsed): type = parsed
    case .failure(let reason):
      throw .unsupportedDataType(file: file, descriptor: header.descriptor, reason: reason.text)
    }
    let count = try checkedCount(elementSize: type.size, file: file)
    return payload.withUnsafeBytes { type.decode($0, count: count) }
  }

  /// A 0-d or 1-element string array as text: byte strings (`|S`) as ASCII, unicode (`<U`) as
  /// UTF-32; nil for any other type.
  var text: String? {
    let descriptor = header.descriptor
    if descriptor.hasPrefix("|S") {
      return String(decoding: payload.prefix { $0 != 0 }, as: UTF8.self)
    }
    if descriptor.hasPrefix("<U") {
      var scalars = String.UnicodeScalarView()
      var i = 0
      while i + 4 <= payload.count {
        let value = payload.withUnsafeBytes {
          UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: i, as: UInt32.self))
        }
        if value == 0 { break }
        if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
        i += 4
      }
      return String(scalars)
    }
    return nil
  }
}
