import Foundation
import Testing

@testable import SparsityCore
@testable import SparsityIO

/// The bytes of a `.npy` file built by hand: magic, version, header length, header, data.
private func npyBytes(
  descriptor: String, shape: String, fortran: Bool = false, version: UInt8 = 1, data: [UInt8]
) -> Data {
  var header = Array(
    "{'descr': '\(descriptor)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }".utf8)
  let preamble = version == 1 ? 10 : 12
  while (preamble + header.count + 1) % 64 != 0 { header.append(0x20) }
  header.append(0x0A)
  var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
  if version == 1 {
    out += [UInt8(header.count & 0xFF), UInt8(header.count >> 8)]
  } else {
    out += withUnsafeBytes(of: UInt32(header.count).littleEndian, Array.init)
  }
  return Data(out + header + data)
}

/// Little-endian bytes of fixed-width integers.
private func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
  values.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }
}

/// The error thrown by decoding `data`, or nil when it decodes.
private func decodingError(_ data: Data, file: String = "t.npy") -> ArrayFileError? {
  do {
    _ = try NPYFile.decode(data, file: file)
    return nil
  } catch { return error }
}

@Suite struct NPYTests {
  private func temporaryURL(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("npytests-\(UUID().uuidString)-\(name)")
  }

  @Test func writeThenReadRoundTripsShapeAndValues() throws {
    var generator = Xoshiro256StarStar(seed: 11)
    for shape in [[5], [3, 4], [2, 3, 4], [], [0, 7]] {
      let tensor = Tensor.normal(shape: shape, using: &generator)
      let url = temporaryURL("round.npy")
      defer { try? FileManager.default.removeItem(at: url) }
      try NPYFile.write(tensor, to: url)
      #expect(try NPYFile.read(contentsOf: url) == tensor)
      #expect(try Tensor(contentsOf: url) == tensor)
    }
  }

  @Test func writerFollowsTheVersion1Layout() throws {
    let data = NPYFile.encode(Tensor(rows: [[1, 2, 3], [4, 5, 6]]))
    let bytes = [UInt8](data)
    #expect(Array(bytes[0..<8]) == [0x93] + Array("NUMPY".utf8) + [1, 0])
    let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
    #expect((10 + headerLength) % 64 == 0)
    #expect(bytes[10 + headerLength - 1] == 0x0A)
    let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
    #expect(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"))
    #expect(bytes.count == 10 + headerLength + 6 * 4)
    #expect(Array(bytes[(10 + headerLength)..<(14 + headerLength)]) == littleEndianBytes([Float(1).bitPattern]))
    let vector = String(decoding: NPYFile.encode(Tensor([1, 2])).prefix(128), as: UTF8.self)
    #expect(vector.contains("'shape': (2,), }"))
  }

  @Test func readsFloat64Uint8Int64Int32AndBool() throws {
    let f8 = npyBytes(
      descriptor: "<f8", shape: "(2, 2)", data: littleEndianBytes([0.5, -2, 0, 1e10].map { Double($0).bitPattern }))
    #expect(try NPYFile.decode(f8, file: "f8.npy") == Tensor(rows: [[0.5, -2], [0, 1e10]]))
    let u1 = npyBytes(descriptor: "|u1", shape: "(4,)", data: [0, 255, 16, 1])
    #expect(try NPYFile.decode(u1, file: "u1.npy") == Tensor([0, 255, 16, 1]))
    let i8 = npyBytes(descriptor: "<i8", shape: "(3,)", data: littleEndianBytes([Int64(-5), 0, 1 << 40]))
    #expect(try NPYFile.decode(i8, file: "i8.npy") == Tensor([-5, 0, Float(1 << 40)]))
    let i4 = npyBytes(descriptor: "<i4", shape: "(1, 2)", data: littleEndianBytes([Int32(-7), 7]))
    #expect(try NPYFile.decode(i4, file: "i4.npy") == Tensor(rows: [[-7, 7]]))
    let b1 = npyBytes(descriptor: "|b1", shape: "(3,)", data: [1, 0, 1])
    #expect(try NPYFile.decode(b1, file: "b.npy") == Tensor([1, 0, 1]))
  }

  @Test func readsFloat16() throws {
    // 1.0, -2.0, 0.5, smallest subnormal, 65504 (largest half).
    let f2 = npyBytes(
      descriptor: "<f2", shape: "(5,)", data: littleEndianBytes([UInt16(0x3C00), 0xC000, 0x3800, 0x0001, 0x7BFF]))
    #expect(try NPYFile.decode(f2, file: "f2.npy") == Tensor([1, -2, 0.5, 0x1p-24, 65504]))
  }

  @Test func readsVersion2And3Headers() throws {
    let data = littleEndianBytes([Float(1), 0, 3].map(\.bitPattern))
    for version: UInt8 in [2, 3] {
      let file = npyBytes(descriptor: "<f4", shape: "(3,)", version: version, data: data)
      #expect(try NPYFile.decode(file, file: "v.npy") == Tensor([1, 0, 3]))
    }
  }

  @Test func fortranOrderIsConvertedToRowMajor() throws {
    // The 2 x 3 matrix [[1, 2, 3], [4, 5, 6]] stored column by column.
    let columnMajor = littleEndianBytes([Float(1), 4, 2, 5, 3, 6].map(\.bitPattern))
    let file = npyBytes(descriptor: "<f4", shape: "(2, 3)", fortran: true, data: columnMajor)
    #expect(try NPYFile.decode(file, file: "f.npy") == Tensor(rows: [[1, 2, 3], [4, 5, 6]]))
    // Rank 3: element (i, j, k) of shape (2, 3, 4) at i + 2 j + 6 k in column-major order.
    let shape = [2, 3, 4]
    var stored = [Float](repeating: 0, count: 24)
    for i in 0..<2 { for j in 0..<3 { for k in 0..<4 { stored[i + 2 * j + 6 * k] = Float(100 * i + 10 * j + k) } } }
    var expected: [Float] = []
    for i in 0..<2 { for j in 0..<3 { for k in 0..<4 { expected.append(Float(100 * i + 10 * j + k)) } } }
    #expect(NPYFile.rowMajor(fromColumnMajor: stored, shape: shape) == expected)
  }

  @Test func headerParserAcceptsPythonVariants() throws {
    let header = try NPYHeader(
      parsing: Array("{\"shape\": (3L, 4L), \"fortran_order\": False, \"descr\": \"<f4\"}  \n".utf8), file: "h")
    #expect(header == NPYHeader(descriptor: "<f4", fortranOrder: false, shape: [3, 4]))
    #expect(
      try NPYHeader(parsing: Array("{'descr':'<f4','fortran_order':True,'shape':()}".utf8), file: "h").shape == [])
  }

  @Test func truncatedDataNamesFileShapeAndSizes() {
    let file = npyBytes(descriptor: "<f4", shape: "(1797, 64)", data: [UInt8](repeating: 0, count: 1000))
    let error = decodingError(file, file: "digits.npy")
    #expect(
      error
        == .truncatedData(
          file: "digits.npy", shape: [1797, 64], dataType: "float32", expectedBytes: 460_032, actualBytes: 1000))
    #expect(
      error?.description
        == "digits.npy: truncated data: header says 1797x64 float32 (460,032 bytes) but only 1,000 bytes follow the header"
    )
  }

  @Test func trailingDataIsRejected() {
    let file = npyBytes(descriptor: "|u1", shape: "(2,)", data: [1, 2, 3])
    #expect(
      decodingError(file)
        == .trailingData(file: "t.npy", shape: [2], dataType: "uint8", expectedBytes: 2, actualBytes: 3))
  }

  @Test func badMagicAndVersionAreRejected() {
    #expect(decodingError(Data("a,b,c\n1,2,3\n".utf8)) == .badMagic(file: "t.npy"))
    #expect(decodingError(Data()) == .badMagic(file: "t.npy"))
    var wrongVersion = [UInt8](npyBytes(descriptor: "<f4", shape: "(0,)", data: []))
    wrongVersion[6] = 4
    #expect(decodingError(Data(wrongVersion)) == .unsupportedVersion(file: "t.npy", major: 4, minor: 0))
    let cut = npyBytes(descriptor: "<f4", shape: "(0,)", data: []).prefix(30)
    guard case .malformedHeader = decodingError(Data(cut)) else {
      Issue.record("expected malformedHeader")
      return
    }
  }

  @Test(arguments: [">f4", "|O", "<U3", "<c8", "<M8[ns]", "<f16", "f4"])
  func unsupportedTypesAreRejectedWithAReason(descriptor: String) {
    let file = npyBytes(descriptor: descriptor, shape: "(1,)", data: [0, 0, 0, 0])
    guard case .unsupportedDataType(let name, let found, let reason) = decodingError(file, file: "x.npy") else {
      Issue.record("expected unsupportedDataType for \(descriptor)")
      return
    }
    #expect(name == "x.npy" && found == descriptor && !reason.isEmpty)
  }

  @Test func bigEndianSingleBytesAreFine() throws {
    #expect(
      try NPYFile.decode(npyBytes(descriptor: ">u1", shape: "(2,)", data: [3, 0]), file: "b.npy") == Tensor([3, 0]))
  }

  @Test(arguments: [
    "{'descr': '<f4', 'shape': (2,)}", "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}",
    "['descr', '<f4']", "{'descr': '<f4' 'shape': (2,)}", "{'descr': '<f4', 'fortran_order': Maybe}",
  ])
  func malformedHeadersAreRejected(header: String) {
    #expect(throws: ArrayFileError.self) { try NPYHeader(parsing: Array(header.utf8), file: "h.npy") }
  }

  /// A header nested 100,000 deep is refused by the depth bound, not by a stack overflow; a
  /// repeated key is refused rather than one value silently kept.
  @Test func deepNestingAndRepeatedKeysAreRejectedNamingThePlace() {
    let deep = "{'descr': '<f4', 'fortran_order': False, 'shape': " + String(repeating: "(", count: 100_000)
    do {
      _ = try NPYHeader(parsing: Array(deep.utf8), file: "h.npy")
      Issue.record("a 100,000-deep header was accepted")
    } catch { #expect("\(error)".contains("nesting deeper than 16 levels"), "\(error)") }
    let repeated = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'shape': (3,)}"
    do {
      _ = try NPYHeader(parsing: Array(repeated.utf8), file: "h.npy")
      Issue.record("a repeated key was accepted")
    } catch { #expect("\(error)".contains("key 'shape' appears twice"), "\(error)") }
  }

  @Test func missingFileAndDirectoryAreUnreadable() {
    let missing = URL(fileURLWithPath: "/nonexistent/dir/a.npy")
    #expect(throws: ArrayFileError.unreadable(file: "/nonexistent/dir/a.npy", reason: "no such file")) {
      try NPYFile.read(contentsOf: missing)
    }
    let directory = FileManager.default.temporaryDirectory
    #expect(throws: ArrayFileError.unreadable(file: directory.relativePath, reason: "is a directory")) {
      try NPYFile.read(contentsOf: directory)
    }
    #expect(throws: ArrayFileError.self) { try NPYFile.write(Tensor([1]), to: missing) }
  }
}
