import Foundation
import Testing

@testable import SparsityCore
@testable import SparsityIO

#if canImport(Glibc)
  import Glibc
#endif

/// The error `body` throws, or nil when it throws none.
private func activationError(_ body: () throws(ActivationDataError) -> Void) -> ActivationDataError? {
  do {
    try body()
    return nil
  } catch { return error }
}

/// The description of the error opening `url` as an activation file, or nil.
private func openingError(_ url: URL, tensor: String? = nil) -> String? {
  activationError { () throws(ActivationDataError) in _ = try ActivationFile(contentsOf: url, tensor: tensor) }?
    .description
}

@Suite struct ActivationDatasetTests {
  @Test func readsFloat32Float16Bfloat16AndFloat64NPYFiles() throws {
    let directory = try ActivationTestDirectory()
    defer { directory.remove() }
    let values: [Float] = [0.5, -2, 1.5, 256, 0x1p-14, 0x1p-24, -0.0, 3.25]
    let halves: [UInt16] = [0x3800, 0xC000, 0x3E00, 0x5C00, 0x0400, 0x0001, 0x8000, 0x4280]
    let files: [(String, [UInt8], ActivationElementType)] = [
      ("f4.npy", npyFileBytes(descriptor: "<f4", shape: "(2, 4)", data: float32Bytes(values)), .float32),
      ("f2.npy", npyFileBytes(descriptor: "<f2", shape: "(2, 4)", data: littleEndian(halves)), .float16),
      ("u2.npy", npyFileBytes(descriptor: "<u2", shape: "(2, 4)", data: bfloat16Bytes(values)), .bfloat16),
      ("v2.npy", npyFileBytes(descriptor: "|V2", shape: "(2, 4)", data: bfloat16Bytes(values)), .bfloat16),
      ("lv2.npy", npyFileBytes(descriptor: "<V2", shape: "(2, 4)", data: bfloat16Bytes(values)), .bfloat16),
      (
        "f8.npy",
        npyFileBytes(descriptor: "<f8", shape: "(2, 4)", data: littleEndian(values.map { Double($0).bitPattern })),
        .float64
      ),
    ]
    for (name, bytes, type) in files {
      let url = try directory.write(name, bytes)
      let file = try ActivationFile(contentsOf: url)
      #expect(file.elementType == type, "\(name)")
      #expect((file.rows, file.columns, file.shape) == (2, 4, [2, 4]), "\(name)")
      #expect(file.dataOffset == 128 && file.fileSize == 128 + 8 * type.size, "\(name)")
      let read = try readRows(ActivationDataset(files: [file]), 0..<2)
      #expect(read.map(\.bitPattern) == values.map(\.bitPattern), "\(name)")
    }
  }

  @Test func rank3ArraysAreRowsOfTheLastDimension() throws {
    let directory = try ActivationTestDirectory()
    defer { directory.remove() }
    let values = indexedRows(0..<6, columns: 4)
    let url = try directory.write(
      "acts.npy", npyFileBytes(descriptor: "<f4", shape: "(2, 3, 4)", data: float32Bytes(values)))
    let dataset = try ActivationDataset(contentsOf: [url])
    #expect((dataset.rows, dataset.columns) == (6, 4))
    #expect(try readRows(dataset, 0..<6) == values)
    #expect(try readRows(dataset, 2..<5) == indexedRows(2..<5, columns: 4))
    #expect(try dataset.tensor(rows: 1..<3) == Tensor(shape: [2, 4], scalars: indexedRows(1..<3, columns: 4)))
  }

  @Test func safetensorsTensorsAreChosenByNameOrAsTheOnlyMatrix() throws {
    let directory = try ActivationTestDirectory()
    defer { directory.remove() }
    let values: [Float] = [1.5, -3, 0.15625, 256, 0x1p-100, 7]
    let halves: [UInt16] = [0x3E00, 0xC200, 0x3100, 0x5C00, 0x0000, 0x4700]
    let url = try directory.write(
      "m.safetensors",
      safetensorsFileBytes([
        ("bias", "F32", [3], float32Bytes([1, 2, 3])), ("acts", "BF16", [1, 2, 3], bfloat16Bytes(values)),
      ]))
    let chosen = try ActivationFile(contentsOf: url)
    #expect((chosen.tensor, chosen.rows, chosen.columns, chosen.elementType) == ("acts", 2, 3, .bfloat16))
    #expect(try readRows(ActivationDataset(files: [chosen]), 0..<2) == values)
    let two = try directory.write(
      "two.safetensors",
      safetensorsFileBytes([
        ("f16", "F16", [2, 3], littleEndian(halves)), ("f32", "F32", [3, 2], float32Bytes(values)),
        ("ids", "I32", [2, 3], littleEndian([Int32](repeating: 1, count: 6))),
      ]))
    let half = try ActivationDataset(contentsOf: [two], tensor: "f16")
    #expect(try readRows(half, 0..<2) == [1.5, -3, 0.15625, 256, 0, 7])
    let single = try ActivationDataset(contentsOf: [two], tensor: "f32")
    #expect((single.rows, single.columns) == (3, 2))
    #expect(try readRows(single, 1..<3) == Array(values[2...]))
    #expect(
      openingError(two)
        == "two.safetensors: 3 tensors of rank 2 or more ('f16', 'f32', 'ids'): name the one to read")
    #expect(openingError(two, tensor: "x") == "two.safetensors: no tensor named 'x' (tensors: 'f16', 'f32', 'ids')")
    #expect(
      openingError(two, tensor: "ids")
        == "two.safetensors: tensor 'ids' cannot be read as activation rows: its dtype is I32;"
        + " activations must be F32, F16, BF16 or F64")
    let vector = try directory.write(
      "v.safetensors", safetensorsFileBytes([("bias", "F32", [3], float32Bytes([1, 2, 3]))]))
    #expect(openingError(vector) == "v.safetensors: no tensor of rank 2 or more to read as rows (tensors: 'bias')")
    #expect(
      openingError(vector, tensor: "bias")
        == "v.safetensors: tensor 'bias' cannot be read as activation rows: its shape 3 has rank 1;"
        + " rows need rank 2 or more (rows x columns, or batch x sequence x width)")
  }

  @Test func shardsReadAsOneMatrixAcrossTheirBoundaries() throws {
    let directory = try ActivationTestDirectory()
    defer { directory.remove() }
    let a = try directory.write(
      "a.npy", npyFileBytes(descriptor: "<f4", shape: "(5, 4)", data: float32Bytes(indexedRows(0..<5, columns: 4))))
    let empty = try directory.write("e.npy", npyFileBytes(descriptor: "<f4", shape: "(0, 4)", data: []))
    let b = try directory.write(
      "b.safetensors", safetensorsFileBytes([("x", "BF16", [7, 4], bfloat16Bytes(indexedRows(5..<12, columns: 4)))]))
    let c = try directory.write(
      "c.npy",
      npyFileBytes(
        descriptor: "<f8", shape: "(2, 2, 4)",
        data: littleEndian(indexedRows(12..<16, columns: 4).map { Double($0).bitPattern })))
    let dataset = try ActivationDataset(contentsOf: [a, empty, b, c])
    #expect((dataset.rows, dataset.columns, dataset.files.count) == (16, 4, 4))
    #expect(dataset.location(ofRow: 4) == (0, 4))
    #expect(dataset.location(ofRow: 5) == (2, 0))
    #expect(dataset.location(ofRow: 15) == (3, 3))
    for range in [0..<16, 3..<14, 4..<6, 11..<13, 5..<5, 15..<16] {
      #expect(try readRows(dataset, range) == indexedRows(range, columns: 4), "\(range)")
    }
  }

  @Test func filesOfDifferentWidthsDoNotMakeADataSet() throws {
    let directory = try ActivationTestDirectory()
    defer { directory.remove() }
    let a = try directory.write(
      "a.npy", npyFileBytes(descriptor: "<f4", shape: "(1, 4)", data: float32Bytes([1, 2, 3, 4])))
    let b = try directory.write(
      "b.npy", npyFileBytes(descriptor: "<f4", shape: "(1, 5)", data: float32Bytes([1, 2, 3, 4, 5])))
    let error = activationError { () throws(ActivationDataError) in _ = try ActivationDataset(contentsOf: [a, a, b]) }
    #expect(
      error?.description
        == "b.npy: rows of 5 columns, but a.npy has 4; the files of a data set must have the same column count")
    let none = activationError { () throws(ActivationDataError) in _ = try ActivationDataset(contentsOf: []) }
    #expect(none?.description == "no activation files given")
  }

  @Test func malformedAndUnsuitableNPYFilesAreNamedWithTheirFault() throws {
    let directory = try ActivationTestDirectory()
    defer { directory.remove() }
    let data = float32Bytes(indexedRows(0..<3, columns: 4))
    let cases: [(String, [UInt8], String)] = [
      (
        "short.npy", npyFileBytes(descriptor: "<f4", shape: "(3, 4)", data: Array(data.prefix(40))),
        "short.npy: truncated data: header says 3x4 float32 (48 bytes) but only 40 bytes follow the header"
      ),
      (
        "long.npy", npyFileBytes(descriptor: "<f4", shape: "(3, 4)", data: data + [0, 0, 0, 0]),
        "long.npy: trailing data: header says 3x4 float32 (48 bytes) but 52 bytes follow the header"
      ),
      (
        "fortran.npy", npyFileBytes(descriptor: "<f4", shape: "(3, 4)", fortran: true, data: data),
        "fortran.npy: cannot be read as activation rows: it is in Fortran (column-major) order;"
          + " save it in C order (numpy.ascontiguousarray)"
      ),
      (
        "vector.npy", npyFileBytes(descriptor: "<f4", shape: "(12,)", data: data),
        "vector.npy: cannot be read as activation rows: its shape 12 has rank 1;"
          + " rows need rank 2 or more (rows x columns, or batch x sequence x width)"
      ),
      (
        "scalar.npy", npyFileBytes(descriptor: "<f4", shape: "()", data: [0, 0, 0, 0]),
        "scalar.npy: cannot be read as activation rows: it is a scalar;"
          + " rows need rank 2 or more (rows x columns, or batch x sequence x width)"
      ),
      (
        "narrow.npy", npyFileBytes(descriptor: "<f4", shape: "(3, 0)", data: []),
        "narrow.npy: cannot be read as activation rows: shape 3x0 has rows of 0 columns"
      ),
      (
        "ints.npy", npyFileBytes(descriptor: "<i4", shape: "(3, 4)", data: data),
        "ints.npy: unsupported dtype '<i4': activations must be float32 '<f4', float16 '<f2',"
          + " bfloat16 ('<u2' or '<V2') or float64 '<f8'"
      ),
      (
        "big.npy", npyFileBytes(descriptor: ">f4", shape: "(3, 4)", data: data),
        "big.npy: unsupported dtype '>f4': big-endian data is not supported; convert with arr.astype('<f4')"
      ),
      (
        "magic.npy", Array("PK\u{3}\u{4} not numpy".utf8),
        "magic.npy: not a NumPy .npy file (it does not start with \\x93NUMPY)"
      ),
      (
        "cut.npy", Array(npyFileBytes(descriptor: "<f4", shape: "(3, 4)", data: []).prefix(40)),
        "cut.npy: malformed .npy header: header length is 118 bytes but the file ends after 30"
      ),
    ]
    for (name, bytes, expected) in cases {
      #expect(openingError(try directory.write(name, bytes)) == expected)
    }
  }

  @Test func missingFilesDirectoriesDevicesAndFIFOsAreRefused() throws {
    let directory = try ActivationTestDirectory()
    defer { directory.remove() }
    #expect(openingError(directory.file("missing.npy")) == "missing.npy: cannot read: no such file")
    #expect(openingError(directory.file("gone.safetensors")) == "gone.safetensors: cannot read: no such file")
    try FileManager.default.createDirectory(at: directory.file("dir.npy"), withIntermediateDirectories: false)
    #expect(openingError(directory.file("dir.npy")) == "dir.npy: cannot read: is a directory")
    #expect(
      openingError(URL(fileURLWithPath: "/dev/zero"))
        == "/dev/zero: cannot read: is a character device, not a regular file")
    #if canImport(Glibc)
      #expect(mkfifo(directory.file("pipe.npy").path, 0o600) == 0)
      #expect(openingError(directory.file("pipe.npy")) == "pipe.npy: cannot read: is a FIFO, not a regular file")
    #endif
    let text = try directory.write("acts.bin", [1, 2, 3])
    #expect(openingError(text) == "acts.bin: unsupported activation file type '.bin', expected .npy or .safetensors")
  }

  @Test func malformedSafetensorsFilesAreNamedWithTheirFault() throws {
    let directory = try ActivationTestDirectory()
    defer { directory.remove() }
    let whole = safetensorsFileBytes([("a", "F32", [2, 3], float32Bytes([1, 2, 3, 4, 5, 6]))])
    let cut = try directory.write("cut.safetensors", Array(whole.dropLast(4)))
    #expect(
      openingError(cut)
        == "cut.safetensors: tensor 'a': data_offsets [0, 24] are outside the 20-byte data buffer (truncated file?)")
    let tiny = try directory.write("tiny.safetensors", [1, 2, 3])
    #expect(
      openingError(tiny) == "tiny.safetensors: not a safetensors file: 3 bytes, too short for the 8-byte header length")
    let long = try directory.write("long.safetensors", littleEndian([UInt64(1000)]) + Array("{}".utf8))
    #expect(
      openingError(long)
        == "long.safetensors: header length 1,000 bytes is past the end of the 10-byte file (truncated, or not a safetensors file)"
    )
  }

  @Test func nonFiniteValuesNameTheFileAndTheDataSetRow() throws {
    let directory = try ActivationTestDirectory()
    defer { directory.remove() }
    var values = indexedRows(0..<4, columns: 4)
    values[2 * 4 + 1] = .nan
    let a = try directory.write(
      "a.npy", npyFileBytes(descriptor: "<f4", shape: "(3, 4)", data: float32Bytes(indexedRows(0..<3, columns: 4))))
    let b = try directory.write("b.npy", npyFileBytes(descriptor: "<f4", shape: "(4, 4)", data: float32Bytes(values)))
    var halves = [UInt16](repeating: 0x3C00, count: 8)
    halves[6] = 0xFC00
    let c = try directory.write("c.npy", npyFileBytes(descriptor: "<f2", shape: "(2, 4)", data: littleEndian(halves)))
    let dataset = try ActivationDataset(contentsOf: [a, b, c])
    #expect(try readRows(dataset, 0..<5).count == 20)
    let error = activationError { () throws(ActivationDataError) in _ = try readRows(dataset, 0..<9) }
    #expect(
      error?.description == "b.npy: row 5 of the data set (row 2 of this file), column 1: nan is not a finite number")
    let infinity = activationError { () throws(ActivationDataError) in _ = try readRows(dataset, 7..<9) }
    #expect(
      infinity?.description
        == "c.npy: row 8 of the data set (row 1 of this file), column 2: -inf is not a finite number")
  }

  @Test func fastConversionsMatchTheirReferenceTwins() {
    let patterns = (0...UInt16.max).map { $0 }
    let raw = littleEndian(patterns)
    var half = [Float](repeating: 0, count: patterns.count)
    var brain = [Float](repeating: 0, count: patterns.count)
    raw.withUnsafeBytes { source in
      ActivationElementType.convert(.float16, from: source.baseAddress!, count: patterns.count, to: &half)
      ActivationElementType.convert(.bfloat16, from: source.baseAddress!, count: patterns.count, to: &brain)
      let reference = SafetensorsDataType.bfloat16.decode(source, count: patterns.count)
      #expect(brain.map(\.bitPattern) == reference.map(\.bitPattern))
    }
    for (bits, value) in zip(patterns, half) {
      let expected = NPYDataType.floatFromHalf(bits)
      #expect(value.isNaN ? expected.isNaN : value.bitPattern == expected.bitPattern, "half \(bits)")
    }
    var generator = Xoshiro256StarStar(seed: 3)
    let doubles = (0..<1000).map { _ in Double(generator.normal()) * 1e3 } + [1e300, -1e-300, .infinity]
    var narrowed = [Float](repeating: 0, count: doubles.count)
    littleEndian(doubles.map(\.bitPattern)).withUnsafeBytes {
      ActivationElementType.convert(.float64, from: $0.baseAddress!, count: doubles.count, to: &narrowed)
    }
    #expect(narrowed == doubles.map { Float($0) })
  }

  @Test func firstNonFiniteFindsTheFirstNaNOrInfinity() {
    for (values, expected) in [
      ([Float](), nil), ([1, 2, 3], nil), ([1, .nan, .infinity], 1), ([-.infinity], 0),
      ([Float](repeating: 1, count: 37) + [.greatestFiniteMagnitude, .nan], 38),
    ] as [([Float], Int?)] {
      #expect(ActivationElementType.firstNonFinite(values, count: values.count) == expected)
    }
  }
}
