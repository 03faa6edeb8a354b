// Locating the rows of a .npy activation file from its header.

import Foundation
import SparsityCore

extension ActivationFile {
  /// The rows of the `.npy` file at `url`, from its header (see `NPYFile` for the layout),
  /// checked as `NPYFile.read` checks a whole file: magic, version, header, dtype, and a data
  /// size equal to the shape's (`.truncatedData` for fewer bytes, `.trailingData` for more).
  /// - Throws: `ActivationDataError.file` for a fault of the file, `.unsuitableArray` for
  ///   Fortran order, rank below 2 or no columns.
  static func npy(_ url: URL) throws(ActivationDataError) -> ActivationFile {
    let file = url.relativePath
    let header: NPYHeader
    let dataOffset: Int
    let fileSize: Int
    do throws(ArrayFileError) {
      let handle = try PositionalFile(url)
      fileSize = handle.size
      let preamble = try handle.bytes(count: NPYFile.preambleBytes, at: 0)
      let located: Result<Range<Int>, ArrayFileError> = preamble.withUnsafeBytes { raw in
        Result { () throws(ArrayFileError) in try NPYFile.headerBounds(prefix: raw, fileSize: handle.size, file: file) }
      }
      let bounds = try located.get()
      guard bounds.count <= maximumNPYHeaderLength else {
        throw .malformedHeader(
          file: file,
          detail: "header length is \(ArrayFileError.grouped(bounds.count)) bytes, above the"
            + " \(ArrayFileError.grouped(maximumNPYHeaderLength))-byte limit")
      }
      header = try NPYHeader(parsing: handle.bytes(count: bounds.count, at: bounds.lowerBound), file: file)
      dataOffset = bounds.upperBound
    } catch {
      throw .file(error)
    }
    let type = try npyElementType(header.descriptor, file: file)
    guard let count = header.elementCount, case (let expected, false) = count.multipliedReportingOverflow(by: type.size)
    else {
      throw .file(.malformedHeader(file: file, detail: "shape \(header.shape) is too large"))
    }
    if header.fortranOrder && header.shape.count >= 2 {
      throw .unsuitableArray(
        file: file, tensor: nil,
        detail: "it is in Fortran (column-major) order; save it in C order (numpy.ascontiguousarray)")
    }
    let activations = try ActivationFile(
      url: url, tensor: nil, shape: header.shape, elementType: type, dataOffset: dataOffset, fileSize: fileSize)
    let actual = fileSize - dataOffset
    let typeName = type == .bfloat16 ? "bfloat16 (\(header.descriptor))" : type.rawValue
    if actual < expected {
      throw .file(
        .truncatedData(
          file: file, shape: header.shape, dataType: typeName, expectedBytes: expected, actualBytes: actual))
    }
    if actual > expected {
      throw .file(
        .trailingData(
          file: file, shape: header.shape, dataType: typeName, expectedBytes: expected, actualBytes: actual))
    }
    return activations
  }

  /// The element type of a `.npy` dtype descriptor: `<f4`, `<f2`, `<f8`, and `<u2` or `V2`
  /// (any byte order mark but `>`) as bfloat16.
  /// - Throws: `ActivationDataError.file(.unsupportedDataType)` with NumPy's reason for a
  ///   type `NPYDataType` refuses, else the list of the types activations may have.
  static func npyElementType(_ descriptor: String, file: String) throws(ActivationDataError) -> ActivationElementType {
    let order = descriptor.first
    let code = descriptor.dropFirst()
    if order == "<" || order == "=" || (order == "|" && code == "V2") {
      switch code {
      case "f4": return .float32
      case "f2": return .float16
      case "f8": return .float64
      case "u2", "V2": return .bfloat16
      default: break
      }
    }
    var reason = supportedTypesText
    if case .failure(let refused) = NPYDataType.parse(descriptor), !code.hasPrefix("V") { reason = refused.text }
    throw .file(.unsupportedDataType(file: file, descriptor: descriptor, reason: reason))
  }
}
