import Foundation
import SparsityTestSupport
import Testing

@testable import SparsityCore
@testable import SparsityIO

/// CSR matrices as scipy-layout `.npz` archives: round trips, the archive's structure, and
/// errors that name the file and the problem.
@Suite struct NPZFileTests {
  /// A seeded sparse matrix with empty rows, a full row and a zero-column-free pattern.
  static func matrix(rows: Int = 7, columns: Int = 11) -> CSRMatrix {
    var generator = Xoshiro256StarStar(seed: 5)
    var dense = Tensor(zeros: [rows, columns])
    for i in 0..<rows where i % 3 != 1 {
      for j in 0..<columns where i == 0 || generator.nextUnitFloat() < 0.3 { dense[i, j] = generator.normal() }
    }
    return CSRMatrix(dense: dense)
  }

  private func temporaryFile(_ name: String) throws -> URL {
    try temporaryDirectory("npztests").appendingPathComponent(name)
  }

  @Test(arguments: [(7, 11), (0, 4), (3, 0), (1, 1)])
  func roundTripIsExact(shape: (Int, Int)) throws {
    let original = shape == (7, 11) ? Self.matrix() : CSRMatrix(dense: Tensor(zeros: [shape.0, shape.1]))
    let url = try temporaryFile("m.npz")
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    try NPZFile.write(original, to: url)
    let back = try NPZFile.readCSR(contentsOf: url)
    #expect(back == original)
  }

  @Test func archiveHoldsTheFiveScipyArrays() throws {
    let m = Self.matrix()
    let entries = try ZipArchive.entries(of: NPZFile.encode(m), file: "m.npz")
    #expect(Set(entries.keys) == ["data.npy", "indices.npy", "indptr.npy", "format.npy", "shape.npy"])
    let data = try NPYFile.decode(try #require(entries["data.npy"]), file: "data.npy")
    #expect(data.shape == [m.nonzeroCount] && data.scalars == m.values)
    let indptr = try NPYEntry(decoding: try #require(entries["indptr.npy"]), file: "indptr.npy")
    #expect(indptr.header.descriptor == "<i4")
    #expect(try indptr.integers(file: "indptr.npy") == m.rowOffsets)
    let shape = try NPYEntry(decoding: try #require(entries["shape.npy"]), file: "shape.npy")
    #expect(shape.header.descriptor == "<i8")
    #expect(try shape.integers(file: "shape.npy") == [m.rows, m.columns])
    #expect(try NPYEntry(decoding: try #require(entries["format.npy"]), file: "f").text == "csr")
  }

  @Test func zipEntriesRoundTripAndCRCIsChecked() throws {
    let payload = Data((0..<1000).map { UInt8($0 % 251) })
    var archive = ZipArchive.encode([(name: "a.bin", data: payload), (name: "empty", data: Data())])
    let entries = try ZipArchive.entries(of: archive, file: "x.zip")
    #expect(entries["a.bin"] == payload && entries["empty"] == Data())
    archive[30 + 5 + 17] ^= 0xFF  // one byte of a.bin's content
    #expect(throws: NPZFileError.malformedArchive(file: "x.zip", detail: "entry 'a.bin': CRC-32 mismatch")) {
      _ = try ZipArchive.entries(of: archive, file: "x.zip")
    }
  }

  @Test func truncatedOrForeignFilesAreRejectedNamingTheFile() throws {
    let bytes = NPZFile.encode(Self.matrix())
    for broken in [bytes.prefix(bytes.count - 30), Data("not a zip at all, just text".utf8), Data()] {
      do {
        _ = try NPZFile.decodeCSR(Data(broken), file: "codes.npz")
        Issue.record("decoded a broken archive")
      } catch {
        #expect(error.file == "codes.npz")
        #expect(error.description.hasPrefix("codes.npz: not a valid zip/.npz archive"))
      }
    }
  }

  @Test func missingEntriesAndInconsistentArraysAreErrors() throws {
    let m = Self.matrix()
    let entries = try ZipArchive.entries(of: NPZFile.encode(m), file: "m.npz")
    let withoutIndptr = ZipArchive.encode(
      entries.filter { $0.key != "indptr.npy" }.map { (name: $0.key, data: $0.value) })
    #expect(throws: NPZFileError.missingEntry(file: "m.npz", entry: "indptr.npy")) {
      _ = try NPZFile.decodeCSR(withoutIndptr, file: "m.npz")
    }
    var bad = entries
    bad["format.npy"] = NPYEntry(descriptor: "|S3", shape: [], payload: Data("csc".utf8)).encoded
    #expect(throws: NPZFileError.invalidSparseMatrix(file: "m.npz", detail: "format is 'csc', only 'csr' is read")) {
      _ = try NPZFile.decodeCSR(ZipArchive.encode(bad.map { (name: $0.key, data: $0.value) }), file: "m.npz")
    }
    var columns = m.columnIndices
    columns[0] = Int32(m.columns)
    bad = entries
    bad["indices.npy"] =
      NPYEntry(
        descriptor: "<i4", shape: [columns.count],
        payload: columns.withUnsafeBytes { Data($0) }
      ).encoded
    do {
      _ = try NPZFile.decodeCSR(ZipArchive.encode(bad.map { (name: $0.key, data: $0.value) }), file: "m.npz")
      Issue.record("accepted a column index out of range")
    } catch {
      #expect(error.description.contains("column index 11 (entry 0) is outside 0..<11"))
    }
  }

  /// Crafted while writing the zip fuzz target (Fuzz/Corpus/zip/crash-zip64-*.zip): ZIP64 sizes
  /// and offsets near `Int.max` overflowed the bounds checks (traps); now the archive is malformed.
  @Test func zip64SizesAndOffsetsNearIntMaxAreErrors() throws {
    let size = try Data(contentsOf: fuzzCorpusFile("zip/crash-zip64-huge-compressed-size.zip"))
    #expect(
      throws: NPZFileError.malformedArchive(
        file: "s.zip", detail: "entry 'a.txt': 9223372036854775807 bytes at byte 35 run past the end (276 bytes)")
    ) {
      try ZipArchive.entries(of: size, file: "s.zip")
    }
    let offset = try Data(contentsOf: fuzzCorpusFile("zip/crash-zip64-huge-offset.zip"))
    #expect(
      throws: NPZFileError.malformedArchive(
        file: "o.zip", detail: "a field at byte 9223372036854775807 lies past the end (276 bytes)")
    ) {
      try ZipArchive.entries(of: offset, file: "o.zip")
    }
  }

  /// Crafted with numpy (Fuzz/Corpus/npz/crash-rows-int-max.npz): a shape of 2^63 - 1 rows made
  /// the check of indptr's length overflow (a trap); now it is an invalid matrix.
  @Test func aRowCountOfIntMaxIsAnInvalidMatrix() throws {
    let data = try Data(contentsOf: fuzzCorpusFile("npz/crash-rows-int-max.npz"))
    #expect(
      throws: NPZFileError.invalidSparseMatrix(
        file: "r.npz", detail: "indptr has 1 entries, expected rows + 1 with 9223372036854775807 rows")
    ) {
      try NPZFile.decodeCSR(data, file: "r.npz")
    }
  }

  @Test func unicodeFormatStringAndInt64OffsetsAreAccepted() throws {
    let m = Self.matrix()
    var entries = try ZipArchive.entries(of: NPZFile.encode(m), file: "m.npz")
    let utf32 = "csr".unicodeScalars.flatMap { s in withUnsafeBytes(of: s.value.littleEndian) { Array($0) } }
    entries["format.npy"] = NPYEntry(descriptor: "<U3", shape: [], payload: Data(utf32)).encoded
    entries["indptr.npy"] =
      NPYEntry(
        descriptor: "<i8", shape: [m.rows + 1],
        payload: m.rowOffsets.map { Int64($0) }.withUnsafeBytes { Data($0) }
      ).encoded
    let back = try NPZFile.decodeCSR(ZipArchive.encode(entries.map { (name: $0.key, data: $0.value) }), file: "m.npz")
    #expect(back == m)
  }

  @Test func unreadableFileIsAnError() throws {
    let url = try temporaryFile("missing.npz")
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    #expect(throws: NPZFileError.array(.unreadable(file: url.relativePath, reason: "no such file"))) {
      _ = try NPZFile.readCSR(contentsOf: url)
    }
  }

  /// `scipy.sparse.save_npz(f, csr_matrix([[0, 1.5, 0, 0], [0, 0, 0, 0], [-2, 0, 0, 0.25]]),
  /// compressed=True)` (scipy 1.17, numpy's zip64 local headers, deflate, float64 data).
  static let scipyCompressed = [
    "UEsDBC0AAAAIAAAAIQCWxw5G//////////8LABQAaW5kaWNlcy5ucHkBABAAjAAAAAAAAABKAAAAAAAAAJvsF+obEMnIUMZQ",
    "rZ6SWpxcpG6loG6TaaKuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GsY6mjoKtQoUAC5GBghgBmIAUEsDBC0AAAAI",
    "AAAAIQAdc5Fa//////////8KABQAaW5kcHRyLm5weQEAEACQAAAAAAAAAEwAAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWg",
    "bpNpoq6joJ6WX1RSlJgXn1+UkgoSd0vMKU4FihdnJBakAvkaJjqaOgq1ChQALgYgYIRiZiAGAFBLAwQtAAAACAAAACEAo8N0",
    "l///////////CgAUAGZvcm1hdC5ucHkBABAAgwAAAAAAAABFAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loF4TbKyuo6Ce",
    "ll9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5Gpo6CrUKFAGu5OIiAFBLAwQtAAAACAAAACEA6NDTqP//////////CQAUAHNo",
    "YXBlLm5weQEAEACQAAAAAAAAAEoAAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWgbpNpoa6joJ6WX1RSlJgXn1+UkgoSd0vM",
    "KU4FihdnJBakAvkaRjqaOgq1ChQALmYGCGCB0gBQSwMELQAAAAgAAAAhANNMQrz//////////wgAFABkYXRhLm5weQEAEACY",
    "AAAAAAAAAFAAAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWgbpNmoa6joJ6WX1RSlJgXn1+UkgoSd0vMKU4FihdnJBakAvka",
    "xjqaOgq1ChQALgYw+GEPoRkOQKgL9gBQSwECLQMtAAAACAAAACEAlscORkoAAACMAAAACwAAAAAAAAAAAAAAgAEAAAAAaW5k",
    "aWNlcy5ucHlQSwECLQMtAAAACAAAACEAHXORWkwAAACQAAAACgAAAAAAAAAAAAAAgAGHAAAAaW5kcHRyLm5weVBLAQItAy0A",
    "AAAIAAAAIQCjw3SXRQAAAIMAAAAKAAAAAAAAAAAAAACAAQ8BAABmb3JtYXQubnB5UEsBAi0DLQAAAAgAAAAhAOjQ06hKAAAA",
    "kAAAAAkAAAAAAAAAAAAAAIABkAEAAHNoYXBlLm5weVBLAQItAy0AAAAIAAAAIQDTTEK8UAAAAJgAAAAIAAAAAAAAAAAAAACA",
    "ARUCAABkYXRhLm5weVBLBQYAAAAABQAFABYBAACfAgAAAAA=",
  ].joined()

  @Test func readsScipyCompressedArchive() throws {
    let data = try #require(Data(base64Encoded: Self.scipyCompressed))
    let m = try NPZFile.decodeCSR(data, file: "scipy.npz")
    #expect(m.rows == 3 && m.columns == 4)
    #expect(m.rowOffsets == [0, 1, 1, 3] && m.columnIndices == [1, 0, 3] && m.values == [1.5, -2, 0.25])
  }

  /// A zip archive of one deflate entry `name` holding `content`, whose central directory says it
  /// inflates to `size` bytes (in a ZIP64 extra field when `size` does not fit in 32 bits).
  private func deflateArchive(name: String, content: Data, size: Int) -> Data {
    let deflate = Gzip.compress(content).dropFirst(10).dropLast(8)  // between gzip's header and trailer
    let crc = Gzip.crc32(content)
    let zip64 = size >= 0xFFFF_FFFF
    let size32 = zip64 ? UInt32.max : UInt32(size)
    let extra =
      zip64 ? ZipArchive.fields16([1, 8]) + withUnsafeBytes(of: UInt64(size).littleEndian) { Data($0) } : Data()
    let nameBytes = Data(name.utf8)
    // Version 4.5, no flags, deflate, 00:00 on 1980-01-01; CRC, sizes; the name at byte 30 (46).
    var out = ZipArchive.fields32([ZipArchive.localSignature]) + ZipArchive.fields16([45, 0, 8, 0, 0x21])
    out +=
      ZipArchive.fields32([crc, UInt32(deflate.count), size32]) + ZipArchive.fields16([UInt16(nameBytes.count), 0])
    out += nameBytes + deflate
    var directory = ZipArchive.fields32([ZipArchive.centralSignature]) + ZipArchive.fields16([45, 45, 0, 8, 0, 0x21])
    directory += ZipArchive.fields32([crc, UInt32(deflate.count), size32])
    directory +=
      ZipArchive.fields16([UInt16(nameBytes.count), UInt16(extra.count), 0, 0, 0]) + ZipArchive.fields32([0, 0])
    directory += nameBytes + extra
    let directoryOffset = out.count
    out += directory + ZipArchive.fields32([ZipArchive.endSignature]) + ZipArchive.fields16([0, 0, 1, 1])
    return out + ZipArchive.fields32([UInt32(directory.count), UInt32(directoryOffset)]) + ZipArchive.fields16([0])
  }

  /// Issue 12, class 3: an entry that inflates to more than its directory says stops there.
  @Test func anEntryInflatingPastItsDirectorySizeIsMalformed() throws {
    let archive = deflateArchive(name: "data.npy", content: Data(count: 1 << 20), size: 100)
    #expect(
      throws: NPZFileError.malformedArchive(
        file: "bomb.npz",
        detail: "entry 'data.npy': the compressed data inflates to more than 100 bytes, the most its header allows")
    ) {
      _ = try ZipArchive.entries(of: archive, file: "bomb.npz")
    }
  }

  /// Issue 12, classes 3 and 4: a ZIP64 size of 2^62 bytes is checked against the memory budget
  /// before anything is inflated (inflation stopped only at that size).
  @Test func aZip64SizeOfExabytesIsRefusedBeforeInflating() throws {
    let archive = deflateArchive(name: "data.npy", content: Data(count: 1 << 20), size: 1 << 62)
    do {
      _ = try ZipArchive.entries(of: archive, file: "bomb.npz")
      Issue.record("an entry of 2^62 bytes was read")
    } catch {
      guard case .array(.exceedsMemory(let file, let what, let needed, _)) = error else {
        Issue.record("unexpected error: \(error)")
        return
      }
      #expect(file == "bomb.npz" && what == "entry 'data.npy' of 4,611,686,018,427,387,904 bytes")
      #expect(needed == .bytes(1 << 62))
    }
  }
}
