// Zip archives and the .npz files inside them: ZipArchive.entries and NPZFile.decodeCSR.

import Foundation
import SparsityCore
import SparsityIO

/// `ZipArchive.entries`: the entries, written as a stored archive and read back, are the same.
enum ZipHarness: Harness {
  static let maximumLength = 4096
  static let entryPoints = "ZipArchive.entries"

  static func run(_ data: Data) -> Bool {
    guard let entries = try? ZipArchive.entries(of: data, file: "fuzz.zip") else { return false }
    let rewritten = ZipArchive.encode(entries.sorted { $0.key < $1.key }.map { (name: $0.key, data: $0.value) })
    let again = mustDecode("ZipArchive.encode") { () throws(NPZFileError) in
      try ZipArchive.entries(of: rewritten, file: "again.zip")
    }
    precondition(again == entries, "zip round trip changes the entries")
    return true
  }

  static var seeds: [String: Data] {
    let entries = [(name: "a.txt", data: Data("hello, zip".utf8)), (name: "dir/b.bin", data: Data([0, 1, 2, 255]))]
    return [
      "stored.zip": ZipArchive.encode(entries),
      "empty.zip": ZipArchive.encode([]),
      "deflated.zip": ZipBuilder.deflated(entries),
      "deflated-zip64.zip": ZipBuilder.deflated(entries, zip64: true),
    ]
  }

  static func repairChecksums(_ bytes: UnsafeMutableBufferPointer<UInt8>) { Checksums.repairZip(bytes) }
}

/// `NPZFile.decodeCSR`: the matrix (whose initializer checks every CSR property), written and
/// read back, is the same, values bit for bit.
enum NPZHarness: Harness {
  static let maximumLength = 8192
  static let entryPoints = "NPZFile.decodeCSR"

  static func run(_ data: Data) -> Bool {
    guard let matrix = try? NPZFile.decodeCSR(data, file: "fuzz.npz") else { return false }
    let again = mustDecode("NPZFile.encode") { () throws(NPZFileError) in
      try NPZFile.decodeCSR(NPZFile.encode(matrix), file: "again.npz")
    }
    precondition(
      again.rows == matrix.rows && again.columns == matrix.columns && again.rowOffsets == matrix.rowOffsets
        && again.columnIndices == matrix.columnIndices && sameBits(again.values, matrix.values),
      "NPZ round trip changes the matrix")
    return true
  }

  static var seeds: [String: Data] {
    let matrix = CSRMatrix(dense: Tensor(rows: [[0, 1.5, 0, 0], [0, 0, 0, 0], [-2, 0, 0, 3]]))
    let stored = NPZFile.encode(matrix)
    let arrays = (try? ZipArchive.entries(of: stored, file: "seed.npz")) ?? [:]
    let entries = arrays.sorted { $0.key < $1.key }.map { (name: $0.key, data: $0.value) }
    return [
      "csr.npz": stored,
      "empty-rows.npz": NPZFile.encode(CSRMatrix(dense: Tensor(shape: [0, 5], scalars: []))),
      "compressed-zip64.npz": ZipBuilder.deflated(entries, zip64: true),
    ]
  }

  static func repairChecksums(_ bytes: UnsafeMutableBufferPointer<UInt8>) { Checksums.repairZip(bytes) }
}

/// Zip archives of deflated entries, as `numpy.savez_compressed` writes them (which
/// `ZipArchive.encode` does not): seeds for the deflate and ZIP64 paths of the reader.
enum ZipBuilder {
  /// An archive of `entries` compressed with deflate; with `zip64`, every central record gives
  /// its sizes and offset as 0xFFFFFFFF and the real values in a ZIP64 extra field.
  static func deflated(_ entries: [(name: String, data: Data)], zip64: Bool = false) -> Data {
    var out = [UInt8]()
    var directory = [UInt8]()
    for entry in entries {
      let gzip = [UInt8](Gzip.compress(entry.data))
      let deflate = Array(gzip[10..<(gzip.count - 8)])  // raw deflate: no gzip header or trailer
      let name = Array(entry.name.utf8)
      let common =
        [20, 0, 8, 0, 0x21].flatMap { littleEndian(UInt16($0)) }
        + littleEndian(Gzip.crc32(entry.data)) + littleEndian(UInt32(deflate.count))
        + littleEndian(UInt32(entry.data.count))
      let offset = out.count
      out += littleEndian(UInt32(0x0403_4B50)) + common + littleEndian(UInt16(name.count)) + littleEndian(UInt16(0))
      out += name + deflate
      let extra =
        zip64
        ? littleEndian(UInt16(1)) + littleEndian(UInt16(24)) + littleEndian(UInt64(entry.data.count))
          + littleEndian(UInt64(deflate.count)) + littleEndian(UInt64(offset))
        : []
      let saturated = littleEndian(UInt32.max)
      directory += littleEndian(UInt32(0x0201_4B50)) + littleEndian(UInt16(20))
      directory += zip64 ? Array(common[0..<14]) + saturated + saturated : common
      directory += [name.count, extra.count, 0, 0, 0].flatMap { littleEndian(UInt16($0)) }
      directory += littleEndian(UInt32(0)) + (zip64 ? saturated : littleEndian(UInt32(offset))) + name + extra
    }
    let directoryOffset = out.count
    out += directory + littleEndian(UInt32(0x0605_4B50))
    out += [0, 0, entries.count, entries.count].flatMap { littleEndian(UInt16($0)) }
    out += littleEndian(UInt32(directory.count)) + littleEndian(UInt32(directoryOffset)) + littleEndian(UInt16(0))
    return Data(out)
  }
}
