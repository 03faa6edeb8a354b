// Reading and writing zip archives: the container of NumPy's .npz files.

import Foundation
import SparsityCore

/// A minimal zip archive codec (PKWARE APPNOTE 6.3): writes entries stored (method 0, no
/// compression, CRC-32 from zlib); reads stored and deflate (method 8) entries, including the
/// ZIP64 extra field that `numpy.savez` writes (`force_zip64=True`).
///
/// Reading trusts the central directory (names, sizes, offsets, CRCs) and takes from each local
/// header only the lengths of its name and extra field; every CRC is checked. Deflate entries
/// are inflated by wrapping them as a gzip member (header, raw deflate data, the CRC-32 and
/// size from the directory) for `Gzip.decompress`. Archives of 4 GiB or more are not written.
///
/// Reference: PKWARE, ".ZIP File Format Specification", version 6.3.10, sections 4.3-4.5.
public enum ZipArchive {
  static let localSignature: UInt32 = 0x0403_4B50
  static let centralSignature: UInt32 = 0x0201_4B50
  static let endSignature: UInt32 = 0x0605_4B50

  /// The bytes of a zip archive holding `entries` (name, content) in order, stored.
  /// - Precondition: fewer than 65,535 entries and every offset and size below 4 GiB.
  /// - Complexity: O(total size).
  public static func encode(_ entries: [(name: String, data: Data)]) -> Data {
    precondition(entries.count < 0xFFFF, "ZipArchive.encode: \(entries.count) entries, at most 65,534")
    var out = Data()
    var directory = Data()
    for entry in entries {
      let name = Data(entry.name.utf8)
      let crc = Gzip.crc32(entry.data)
      let offset = out.count
      precondition(
        offset + 30 + name.count + entry.data.count < Int(UInt32.max), "ZipArchive.encode: archive reaches 4 GiB")
      // version 2.0, no flags, stored, time 00:00, date 1980-01-01 (DOS).
      var common = fields16([20, 0, 0, 0, 0x21])
      common.append(fields32([crc, UInt32(entry.data.count), UInt32(entry.data.count)]))
      out.append(fields32([localSignature]))
      out.append(common)
      out.append(fields16([UInt16(name.count), 0]))
      out.append(name)
      out.append(entry.data)
      directory.append(fields32([centralSignature]))
      directory.append(fields16([20]))
      directory.append(common)
      directory.append(fields16([UInt16(name.count), 0, 0, 0, 0]))
      directory.append(fields32([0, UInt32(offset)]))
      directory.append(name)
    }
    let directoryOffset = out.count
    out.append(directory)
    out.append(fields32([endSignature]))
    out.append(fields16([0, 0, UInt16(entries.count), UInt16(entries.count)]))
    out.append(fields32([UInt32(directory.count), UInt32(directoryOffset)]))
    out.append(fields16([0]))
    return out
  }

  /// The entries of the zip archive `data`, by name; `file` names it in errors.
  /// - Throws: `NPZFileError.malformedArchive` for a corrupt structure or CRC mismatch,
  ///   `.unsupportedCompression` for methods other than stored and deflate.
  /// - Complexity: O(archive size + inflated size).
  public static func entries(of data: Data, file: String) throws(NPZFileError) -> [String: Data] {
    let bytes = [UInt8](data)
    let reader = ZipByteReader(bytes: bytes, file: file)
    let end = try reader.endOfCentralDirectory()
    var result: [String: Data] = [:]
    var position = end.directoryOffset
    for _ in 0..<end.count {
      let entry = try reader.centralEntry(at: &position)
      result[entry.name] = try reader.content(of: entry)
    }
    return result
  }

  static func fields16(_ values: [UInt16]) -> Data {
    var out = Data()
    for v in values { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
    return out
  }

  static func fields32(_ values: [UInt32]) -> Data {
    var out = Data()
    for v in values { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
    return out
  }
}

/// One central-directory record: what reading an entry needs.
struct ZipCentralEntry {
  var name: String
  var method: Int
  var crc: UInt32
  var compressedSize: Int
  var size: Int
  var localOffset: Int
}

/// Little-endian field access to an archive's bytes with errors that name the file.
struct ZipByteReader {
  let bytes: [UInt8]
  let file: String

  func malformed(_ detail: String) -> NPZFileError { .malformedArchive(file: file, detail: detail) }

  /// The 16-bit field at `at`, any `Int` (a ZIP64 offset may be near `Int.max`).
  func u16(_ at: Int) throws(NPZFileError) -> Int {
    guard at >= 0, at <= bytes.count - 2 else {
      throw malformed("a field at byte \(at) lies past the end (\(bytes.count) bytes)")
    }
    return Int(bytes[at]) | Int(bytes[at + 1]) << 8
  }

  func u32(_ at: Int) throws(NPZFileError) -> Int { try u16(at) | (try u16(at + 2)) << 16 }

  func u64(_ at: Int) throws(NPZFileError) -> Int {
    let value = try u32(at) | (try u32(at + 4)) << 32
    guard value >= 0 else { throw malformed("a 64-bit size at byte \(at) is too large") }
    return value
  }

  /// (number of entries, offset of the central directory) from the end record.
  func endOfCentralDirectory() throws(NPZFileError) -> (count: Int, directoryOffset: Int) {
    let last = bytes.count - 22
    guard last >= 0 else { throw malformed("\(bytes.count) bytes is too short for a zip archive") }
    var at = last
    while at >= max(0, last - 0xFFFF) {
      if bytes[at] == 0x50 && bytes[at + 1] == 0x4B && bytes[at + 2] == 0x05 && bytes[at + 3] == 0x06 {
        let count = try u16(at + 10)
        let offset = try u32(at + 16)
        if count == 0xFFFF || offset == 0xFFFF_FFFF {
          throw malformed("ZIP64 archives with that many entries or that size are not supported")
        }
        return (count, offset)
      }
      at -= 1
    }
    throw malformed("no end-of-central-directory record")
  }

  /// The central record at `position`, which is moved past it.
  func centralEntry(at position: inout Int) throws(NPZFileError) -> ZipCentralEntry {
    guard try u32(position) == Int(ZipArchive.centralSignature) else {
      throw malformed("bad central directory signature at byte \(position)")
    }
    let nameLength = try u16(position + 28)
    let extraLength = try u16(position + 30)
    let commentLength = try u16(position + 32)
    let nameStart = position + 46
    guard nameStart + nameLength + extraLength <= bytes.count else { throw malformed("central directory cut short") }
    var entry = ZipCentralEntry(
      name: String(decoding: bytes[nameStart..<(nameStart + nameLength)], as: UTF8.self),
      method: try u16(position + 10),
      crc: UInt32(try u32(position + 16)), compressedSize: try u32(position + 20), size: try u32(position + 24),
      localOffset: try u32(position + 42))
    try applyZip64(extra: (nameStart + nameLength)..<(nameStart + nameLength + extraLength), to: &entry)
    position = nameStart + nameLength + extraLength + commentLength
    return entry
  }

  /// Replaces the 0xFFFFFFFF sizes and offset by the ZIP64 extra field's 64-bit values (in order
  /// size, compressed size, offset, each present only when its 32-bit field is saturated).
  func applyZip64(extra range: Range<Int>, to entry: inout ZipCentralEntry) throws(NPZFileError) {
    var at = range.lowerBound
    while at + 4 <= range.upperBound {
      let id = try u16(at)
      let length = try u16(at + 2)
      if id == 1 {
        var field = at + 4
        if entry.size == 0xFFFF_FFFF {
          entry.size = try u64(field)
          field += 8
        }
        if entry.compressedSize == 0xFFFF_FFFF {
          entry.compressedSize = try u64(field)
          field += 8
        }
        if entry.localOffset == 0xFFFF_FFFF { entry.localOffset = try u64(field) }
      }
      at += 4 + length
    }
  }

  /// The uncompressed, CRC-checked content of `entry`.
  func content(of entry: ZipCentralEntry) throws(NPZFileError) -> Data {
    let at = entry.localOffset
    guard try u32(at) == Int(ZipArchive.localSignature) else {
      throw malformed("entry '\(entry.name)': bad local header signature at byte \(at)")
    }
    let start = at + 30 + (try u16(at + 26)) + (try u16(at + 28))
    guard entry.compressedSize <= bytes.count - start else {  // a ZIP64 size may be near Int.max
      throw malformed(
        "entry '\(entry.name)': \(entry.compressedSize) bytes at byte \(start) run past the end (\(bytes.count) bytes)")
    }
    let raw = Data(bytes[start..<(start + entry.compressedSize)])
    let content: Data
    switch entry.method {
    case 0: content = raw
    case 8:
      // Inflation stops at the directory's size, but a ZIP64 size can claim exabytes: it must fit first.
      do {
        try ArrayFileError.checkMemory(
          .bytes(entry.size), file: file, for: "entry '\(entry.name)' of \(ArrayFileError.grouped(entry.size)) bytes")
      } catch { throw .array(error) }
      var member = Data([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF])
      member.append(raw)
      member.append(ZipArchive.fields32([entry.crc, UInt32(truncatingIfNeeded: entry.size)]))
      do { content = try Gzip.decompress(member, file: "\(file) entry \(entry.name)", maximumBytes: entry.size) } catch
      {
        throw malformed("entry '\(entry.name)': \(error.problem)")
      }
    default: throw .unsupportedCompression(file: file, entry: entry.name, method: entry.method)
    }
    guard content.count == entry.size else {
      throw malformed("entry '\(entry.name)' holds \(content.count) bytes, the directory says \(entry.size)")
    }
    guard Gzip.crc32(content) == entry.crc else { throw malformed("entry '\(entry.name)': CRC-32 mismatch") }
    return content
  }
}
