// Reading and writing NumPy .npy files (format versions 1.0, 2.0 and 3.0).

import Foundation
import SparsityCore

/// NumPy's `.npy` array file format.
///
/// Layout: the magic string `\x93NUMPY`, a major and minor version byte, the header length as
/// a little-endian `UInt16` (version 1.0) or `UInt32` (2.0 and 3.0), the header (a Python
/// dictionary literal padded with spaces and a final newline so the data starts at a multiple
/// of 64 bytes), then the elements in C (row-major) or Fortran (column-major) order.
///
/// Reading accepts the element types of `NPYDataType` and converts them to `Float`; Fortran
/// order is converted to row-major. Writing always produces little-endian float32, version 1.0
/// (2.0 only if the header would not fit), C order.
///
/// Reference: `numpy/lib/format.py`, "A Simple File Format for NumPy Arrays" (NEP 1).
public enum NPYFile {
  /// The six bytes every `.npy` file starts with.
  static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

  /// Reads the tensor stored in the `.npy` file at `url`.
  /// - Throws: `ArrayFileError` naming the file and the problem.
  /// - Complexity: O(file size).
  public static func read(contentsOf url: URL) throws(ArrayFileError) -> Tensor {
    try decode(ArrayFileAccess.contents(of: url), file: url.relativePath)
  }

  /// Writes `tensor` as little-endian float32 to `url`, atomically (a temporary file renamed
  /// into place).
  /// - Throws: `ArrayFileError.unwritable` naming the file.
  public static func write(_ tensor: Tensor, to url: URL) throws(ArrayFileError) {
    try ArrayFileAccess.write(encode(tensor), to: url)
  }

  /// Decodes the bytes of a `.npy` file; `file` names it in errors.
  /// - Throws: `ArrayFileError` for bad magic, an unsupported version or dtype, a malformed
  ///   header, or a data size that does not match the header.
  public static func decode(_ data: Data, file: String) throws(ArrayFileError) -> Tensor {
    let result: Result<Tensor, ArrayFileError> = data.withUnsafeBytes { raw in
      Result { () throws(ArrayFileError) -> Tensor in try decode(raw, file: file) }
    }
    return try result.get()
  }

  /// The bytes of a `.npy` file holding `tensor` as little-endian float32 in C order.
  /// - Complexity: O(count).
  public static func encode(_ tensor: Tensor) -> Data {
    let literal = Array(NPYHeader(descriptor: "<f4", fortranOrder: false, shape: tensor.shape).literal.utf8)
    // Version 1.0 stores the header length in 2 bytes; fall back to 2.0 (4 bytes) if needed.
    let version: UInt8 = literal.count + 1 + 10 + 64 <= Int(UInt16.max) ? 1 : 2
    let preamble = version == 1 ? 10 : 12
    let padded = (preamble + literal.count + 1 + 63) / 64 * 64 - preamble
    var out = Data(capacity: preamble + padded + tensor.count * 4)
    out.append(contentsOf: magic + [version, 0])
    if version == 1 {
      withUnsafeBytes(of: UInt16(padded).littleEndian) { out.append(contentsOf: $0) }
    } else {
      withUnsafeBytes(of: UInt32(padded).littleEndian) { out.append(contentsOf: $0) }
    }
    out.append(contentsOf: literal)
    out.append(contentsOf: [UInt8](repeating: 0x20, count: padded - literal.count - 1) + [0x0A])
    let little = tensor.scalars.map { $0.bitPattern.littleEndian }
    little.withUnsafeBytes { out.append(contentsOf: $0) }
    return out
  }

  private static func decode(_ raw: UnsafeRawBufferPointer, file: String) throws(ArrayFileError) -> Tensor {
    let bounds = try headerBounds(prefix: raw, fileSize: raw.count, file: file)
    let header = try NPYHeader(parsing: raw[bounds], file: file)
    let data = UnsafeRawBufferPointer(rebasing: raw[bounds.upperBound...])
    return try tensor(from: data, header: header, file: file)
  }

  /// The bytes a reader of a `.npy` file's header needs first: the magic string, the version
  /// and the longest header length field.
  static let preambleBytes = 12

  /// Where the header dictionary lies in a `.npy` file of `fileSize` bytes, from `prefix`, its
  /// first `min(fileSize, preambleBytes)` bytes or more; the data starts at the upper bound.
  /// - Throws: `ArrayFileError.badMagic`, `.unsupportedVersion`, or `.malformedHeader` when the
  ///   file ends before its header does.
  static func headerBounds(
    prefix raw: UnsafeRawBufferPointer, fileSize: Int, file: String
  ) throws(ArrayFileError) -> Range<Int> {
    guard raw.count >= magic.count, Array(raw[0..<magic.count]) == magic else { throw .badMagic(file: file) }
    guard raw.count >= 8 else {
      throw .malformedHeader(file: file, detail: "the file ends after \(raw.count) bytes, before the version")
    }
    let (major, minor) = (raw[6], raw[7])
    let lengthSize: Int
    switch (major, minor) {
    case (1, 0): lengthSize = 2
    case (2, 0), (3, 0): lengthSize = 4
    default: throw .unsupportedVersion(file: file, major: major, minor: minor)
    }
    guard raw.count >= 8 + lengthSize else {
      throw .malformedHeader(file: file, detail: "the file ends before the header length")
    }
    let headerLength =
      lengthSize == 2
      ? Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self)))
      : Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
    let dataOffset = 8 + lengthSize + headerLength
    guard fileSize >= dataOffset else {
      throw .malformedHeader(
        file: file,
        detail: "header length is \(headerLength) bytes but the file ends after \(fileSize - 8 - lengthSize)")
    }
    return (8 + lengthSize)..<dataOffset
  }

  /// The tensor the header describes, from the data bytes that follow it.
  private static func tensor(
    from data: UnsafeRawBufferPointer, header: NPYHeader, file: String
  ) throws(ArrayFileError) -> Tensor {
    let type: NPYDataType
    switch NPYDataType.parse(header.descriptor) {
    case .success(let parsed): type = parsed
    case .failure(let reason):
      throw .unsupportedDataType(file: file, descriptor: header.descriptor, reason: reason.text)
    }
    guard let count = header.elementCount, case (let expected, false) = count.multipliedReportingOverflow(by: type.size)
    else {
      throw .malformedHeader(file: file, detail: "shape \(header.shape) is too large")
    }
    if data.count < expected {
      throw .truncatedData(
        file: file, shape: header.shape, dataType: type.name, expectedBytes: expected, actualBytes: data.count)
    }
    if data.count > expected {
      throw .trailingData(
        file: file, shape: header.shape, dataType: type.name, expectedBytes: expected, actualBytes: data.count)
    }
    let values = type.decode(data, count: count)
    guard header.fortranOrder, header.shape.count >= 2 else { return Tensor(shape: header.shape, scalars: values) }
    return Tensor(shape: header.shape, scalars: rowMajor(fromColumnMajor: values, shape: header.shape))
  }

  /// Reorders column-major (Fortran) elements of an array of `shape` into row-major order.
  ///
  /// Element (i_0, ..., i_{r-1}) sits at `sum_k i_k * prod_{j<k} shape_j` in column-major order.
  /// - Complexity: O(count).
  static func rowMajor(fromColumnMajor values: [Float], shape: [Int]) -> [Float] {
    if shape.count == 2 {
      return Tensor(shape: [shape[1], shape[0]], scalars: values).transposed().scalars
    }
    var strides = [Int](repeating: 1, count: shape.count)
    for k in shape.indices.dropFirst() { strides[k] = strides[k - 1] * shape[k - 1] }
    var out = [Float]()
    out.reserveCapacity(values.count)
    var index = [Int](repeating: 0, count: shape.count)
    var offset = 0
    for _ in 0..<values.count {
      out.append(values[offset])
      // Advance the row-major multi-index (last axis fastest), keeping `offset` in step.
      var k = shape.count - 1
      while k >= 0 {
        index[k] += 1
        offset += strides[k]
        if index[k] < shape[k] { break }
        offset -= strides[k] * shape[k]
        index[k] = 0
        k -= 1
      }
    }
    return out
  }
}
