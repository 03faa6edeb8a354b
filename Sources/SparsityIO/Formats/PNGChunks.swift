// The chunk layer of PNG: the signature, then length / type / data / CRC records up to IEND.

import Foundation
import SparsityCore

/// One PNG chunk: a four-letter type, its data, and where it starts in the file.
struct PNGChunk {
  /// The four ASCII letters naming the chunk (`IHDR`, `IDAT`, ...).
  let type: String
  /// The chunk's data bytes (without length, type or CRC).
  let data: ArraySlice<UInt8>
  /// The byte offset of the chunk's length field in the file.
  let offset: Int

  /// True for chunks a decoder must understand: the first letter is upper case.
  var isCritical: Bool { type.first?.isUppercase ?? false }
}

/// Reading and writing the chunk stream of a PNG file.
///
/// Layout: the 8-byte signature `89 50 4E 47 0D 0A 1A 0A`, then chunks, each a big-endian
/// `UInt32` data length (at most 2^31 - 1), four ASCII letters, the data, and the CRC-32 of type
/// and data. The last chunk is `IEND`.
///
/// Reference: ISO/IEC 15948:2004 (PNG, second edition), sections 5.2-5.4.
enum PNGChunks {
  /// The eight bytes every PNG file starts with.
  static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

  /// True when `bytes` starts with the PNG signature.
  static func hasSignature<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
    bytes.starts(with: signature)
  }

  /// The chunks of a PNG file up to and including `IEND`; bytes after `IEND` are ignored.
  /// - Throws: `ArrayFileError.malformedImage` naming `file` for a bad signature, a chunk cut
  ///   short, an invalid chunk type or length, a CRC mismatch, or a missing `IEND`.
  /// - Complexity: O(file size).
  static func parse(_ bytes: [UInt8], file: String) throws(ArrayFileError) -> [PNGChunk] {
    guard hasSignature(bytes) else {
      let start = bytes.prefix(8).map { String(format: "%02x", $0) }.joined(separator: " ")
      throw .malformedImage(file: file, detail: "not a PNG file: it starts with [\(start)], not the PNG signature")
    }
    var chunks = [PNGChunk]()
    var offset = signature.count
    while chunks.last?.type != "IEND" {
      let chunk = try parseChunk(bytes, at: offset, index: chunks.count + 1, file: file)
      offset += 12 + chunk.data.count
      chunks.append(chunk)
    }
    return chunks
  }

  /// The chunk starting at `offset` (the `index`-th chunk), its CRC checked.
  private static func parseChunk(_ bytes: [UInt8], at offset: Int, index: Int, file: String) throws(ArrayFileError)
    -> PNGChunk
  {
    let remaining = bytes.count - offset
    if remaining == 0 {
      throw .malformedImage(
        file: file,
        detail: "truncated: the file ends after \(ArrayFileError.grouped(bytes.count)) bytes without an IEND chunk")
    }
    guard remaining >= 8 else {
      throw .malformedImage(
        file: file,
        detail:
          "truncated: chunk \(index) at byte \(ArrayFileError.grouped(offset)) has only \(remaining) of its 8 header bytes"
      )
    }
    let length = Int(bigEndianUInt32(bytes, at: offset))
    let typeBytes = bytes[(offset + 4)..<(offset + 8)]
    guard typeBytes.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
      throw .malformedImage(
        file: file,
        detail: "chunk \(index) at byte \(ArrayFileError.grouped(offset)) has an invalid type \(Array(typeBytes))")
    }
    let type = String(decoding: typeBytes, as: UTF8.self)
    guard length <= Int(Int32.max) else {
      throw .malformedImage(
        file: file,
        detail: "chunk \(type) at byte \(ArrayFileError.grouped(offset)) declares \(length) bytes, more than 2^31 - 1")
    }
    guard remaining >= 12 + length else {
      throw .malformedImage(
        file: file,
        detail: "truncated: chunk \(type) at byte \(ArrayFileError.grouped(offset)) declares"
          + " \(ArrayFileError.grouped(length)) data bytes plus a CRC, but only \(ArrayFileError.grouped(remaining - 8)) bytes follow"
      )
    }
    let data = bytes[(offset + 8)..<(offset + 8 + length)]
    let stored = bigEndianUInt32(bytes, at: offset + 8 + length)
    let computed = crc(Data(bytes[(offset + 4)..<(offset + 8 + length)]))
    guard stored == computed else {
      throw .malformedImage(
        file: file,
        detail: "CRC mismatch in chunk \(type) at byte \(ArrayFileError.grouped(offset)):"
          + " stored \(hex(stored)), computed \(hex(computed))")
    }
    return PNGChunk(type: type, data: data, offset: offset)
  }

  /// Appends one chunk (length, type, data, CRC of type and data) to `out`.
  static func append(type: String, data: [UInt8], to out: inout [UInt8]) {
    precondition(type.utf8.count == 4, "PNGChunks.append: chunk type '\(type)' is not four letters")
    let typeAndData = Array(type.utf8) + data
    appendBigEndian(UInt32(data.count), to: &out)
    out += typeAndData
    appendBigEndian(crc(Data(typeAndData)), to: &out)
  }

  /// The PNG chunk CRC: CRC-32 (ISO 3309) of the type and data bytes.
  static func crc(_ typeAndData: Data) -> UInt32 { Gzip.crc32(typeAndData) }

  /// The big-endian `UInt32` at `offset`.
  static func bigEndianUInt32<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at offset: Int) -> UInt32
  where Bytes.Index == Int {
    (0..<4).reduce(UInt32(0)) { ($0 << 8) | UInt32(bytes[offset + $1]) }
  }

  /// Appends `value` as four big-endian bytes.
  static func appendBigEndian(_ value: UInt32, to out: inout [UInt8]) {
    out += [
      UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8),
      UInt8(truncatingIfNeeded: value),
    ]
  }

  /// `0x` and eight hexadecimal digits.
  private static func hex(_ value: UInt32) -> String { String(format: "0x%08x", value) }
}
