// Locating the rows of one tensor of a .safetensors activation file from its header.

import Foundation
import SparsityCore

extension ActivationFile {
  /// The rows of one tensor of the `.safetensors` file at `url`, from its header (see
  /// `SafetensorsFile` for the layout), checked as `SafetensorsFile.read` checks a whole file:
  /// the header length against the file size, the JSON, every entry, and byte ranges that tile
  /// the data buffer exactly (so the chosen tensor's bytes lie inside the file).
  /// - Parameter name: the tensor to read; nil to take the only tensor of rank 2 or more.
  /// - Throws: `ActivationDataError.file` for a missing or unreadable file, `.safetensors` for a
  ///   fault of the file or an unknown or ambiguous tensor, `.unsuitableArray` for a tensor of
  ///   rank below 2, no columns, or a type other than F32, F16, BF16 and F64.
  static func safetensors(_ url: URL, tensor name: String?) throws(ActivationDataError) -> ActivationFile {
    let file = url.relativePath
    let handle: PositionalFile
    do { handle = try PositionalFile(url) } catch { throw .file(error) }
    let header: SafetensorsHeader
    let dataStart: Int
    do throws(SafetensorsError) {
      guard handle.size >= 8 else { throw .truncatedHeaderLength(file: file, fileSize: handle.size) }
      let lengthBytes = try readBytes(handle, count: 8, at: 0)
      let headerLength = lengthBytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
      guard headerLength <= SafetensorsFile.maximumHeaderLength, headerLength <= UInt64(handle.size - 8) else {
        throw .headerLengthOutOfRange(file: file, headerLength: headerLength, fileSize: handle.size)
      }
      dataStart = 8 + Int(headerLength)
      header = try SafetensorsHeader(parsing: readBytes(handle, count: Int(headerLength), at: 8), file: file)
      try header.validateRanges(bufferSize: handle.size - dataStart, file: file)
    } catch {
      throw .safetensors(error)
    }
    let entry = try chooseTensor(name, in: header, file: file)
    let type: ActivationElementType
    switch entry.dataType {
    case .float32: type = .float32
    case .float16: type = .float16
    case .bfloat16: type = .bfloat16
    case .float64: type = .float64
    default:
      throw .unsuitableArray(
        file: file, tensor: entry.name,
        detail: "its dtype is \(entry.dataType.rawValue); activations must be F32, F16, BF16 or F64")
    }
    return try ActivationFile(
      url: url, tensor: entry.name, shape: entry.shape, elementType: type, dataOffset: dataStart + entry.begin,
      fileSize: handle.size)
  }

  /// The entry named `name`, or when `name` is nil the only entry of rank 2 or more.
  /// - Throws: `ActivationDataError.safetensors` with `.missingTensor` or `.ambiguousTensor`,
  ///   listing the file's tensors.
  private static func chooseTensor(
    _ name: String?, in header: SafetensorsHeader, file: String
  ) throws(ActivationDataError) -> SafetensorsHeader.Entry {
    let available = header.entries.map(\.name).sorted()
    if let name {
      guard let entry = header.entries.first(where: { $0.name == name }) else {
        throw .safetensors(.missingTensor(file: file, tensor: name, available: available))
      }
      return entry
    }
    let candidates = header.entries.filter { $0.shape.count >= 2 }
    guard candidates.count == 1 else {
      throw .safetensors(
        .ambiguousTensor(file: file, candidates: candidates.map(\.name).sorted(), available: available))
    }
    return candidates[0]
  }

  /// `count` bytes at `offset` of `handle`.
  /// - Throws: `SafetensorsError.unreadable` for a read error.
  private static func readBytes(_ handle: PositionalFile, count: Int, at offset: Int) throws(SafetensorsError)
    -> [UInt8]
  {
    do { return try handle.bytes(count: count, at: offset) } catch {
      switch error {
      case .unreadable(_, let reason): throw .unreadable(file: handle.file, reason: reason)
      default: throw .unreadable(file: handle.file, reason: error.problem)
      }
    }
  }
}
