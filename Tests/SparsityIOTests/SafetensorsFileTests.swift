import Foundation
import Testing

@testable import SparsityCore
@testable import SparsityIO

/// The bytes of a safetensors file built by hand: header length (or `headerLength` when given,
/// to fake an inconsistent file), the header text, then `data`.
private func safetensorsBytes(_ header: String, data: [UInt8] = [], headerLength: UInt64? = nil) -> Data {
  let text = Array(header.utf8)
  let length = headerLength ?? UInt64(text.count)
  return Data(withUnsafeBytes(of: length.littleEndian, Array.init) + text + data)
}

/// Little-endian bytes of fixed-width integers.
private func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
  values.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }
}

/// The error thrown by decoding `data`, or nil when it decodes.
private func decodingError(_ data: Data, file: String = "m.safetensors") -> SafetensorsError? {
  do {
    _ = try SafetensorsFile.decode(data, file: file)
    return nil
  } catch { return error }
}

/// A header entry `"name":{...}` for hand-written headers.
private func entry(_ name: String, _ dtype: String, _ shape: [Int], _ begin: Int, _ end: Int) -> String {
  "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":[\(shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(begin),\(end)]}"
}

@Suite struct SafetensorsFileTests {
  private func temporaryURL(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("safetensorstests-\(UUID().uuidString)-\(name)")
  }

  @Test func writeThenReadRoundTripsTensorsAndMetadata() throws {
    var generator = Xoshiro256StarStar(seed: 5)
    let file = SafetensorsFile(
      tensors: [
        "0.weight": .normal(shape: [3, 4], using: &generator), "0.bias": .normal(shape: [3], using: &generator),
        "scalar": Tensor(shape: [], scalars: [7]), "empty": Tensor(zeros: [0, 5]),
        "naïve \"quoted\"\n": .normal(shape: [2, 1, 2], using: &generator),
      ],
      metadata: ["format": "pt", "json": "{\"a\": [1, 2]}", "ünï": "côdé\t"])
    let url = temporaryURL("round.safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    try file.write(to: url)
    #expect(try SafetensorsFile.read(contentsOf: url) == file)
    #expect(try SafetensorsFile.decode(file.encoded(), file: "x") == file)
  }

  @Test func writerSortsByNameAlignsTheHeaderAndPacksTheData() throws {
    let file = SafetensorsFile(
      tensors: ["b": Tensor([1, 2]), "a": Tensor(rows: [[3], [4], [5]])], metadata: ["k": "v"])
    let bytes = [UInt8](file.encoded())
    let headerLength = Int(UInt64(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }))
    #expect((8 + headerLength) % 8 == 0)
    let header = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)
    let expected =
      "{\"__metadata__\":{\"k\":\"v\"},\(entry("a", "F32", [3, 1], 0, 12)),\(entry("b", "F32", [2], 12, 20))}"
    #expect(header.trimmingCharacters(in: .whitespaces) == expected)
    #expect(header.count - expected.count < 8 && header.allSatisfy { $0 != "\n" })
    let data = Array(bytes[(8 + headerLength)...])
    #expect(data == littleEndianBytes([Float(3), 4, 5, 1, 2].map(\.bitPattern)))
  }

  @Test func fileWithoutMetadataOmitsTheKey() throws {
    let header = String(decoding: SafetensorsFile(tensors: ["w": Tensor([1])]).encoded().dropFirst(8), as: UTF8.self)
    #expect(!header.contains("__metadata__"))
    #expect(try SafetensorsFile.decode(SafetensorsFile().encoded(), file: "x") == SafetensorsFile())
  }

  @Test func readsEveryDataTypeAsFloat() throws {
    let parts: [(String, String, [Int], [UInt8])] = [
      ("f64", "F64", [2], littleEndianBytes([Double(0.5).bitPattern, Double(-1e10).bitPattern])),
      ("f32", "F32", [2], littleEndianBytes([Float(1.5).bitPattern, Float(-2).bitPattern])),
      ("f16", "F16", [3], littleEndianBytes([UInt16(0x3C00), 0xC000, 0x0001])),
      ("bf16", "BF16", [3], littleEndianBytes([UInt16(0x3F80), 0xC040, 0x4049])),
      ("i64", "I64", [2], littleEndianBytes([Int64(-5), 1 << 40])),
      ("i32", "I32", [2], littleEndianBytes([Int32(-7), 7])),
      ("i16", "I16", [1], littleEndianBytes([Int16(-300)])),
      ("i8", "I8", [1], [0xFF]),
      ("u8", "U8", [2, 2], [0, 255, 16, 1]),
      ("u16", "U16", [1], littleEndianBytes([UInt16(65535)])),
      ("u32", "U32", [1], littleEndianBytes([UInt32(70000)])),
      ("u64", "U64", [1], littleEndianBytes([UInt64(3)])),
      ("bool", "BOOL", [3], [1, 0, 2]),
    ]
    var entries = [String]()
    var data = [UInt8]()
    for (name, dtype, shape, bytes) in parts {
      entries.append(entry(name, dtype, shape, data.count, data.count + bytes.count))
      data += bytes
    }
    let file = try SafetensorsFile.decode(
      safetensorsBytes("{" + entries.joined(separator: ",") + "}", data: data), file: "t")
    #expect(file.tensors["f64"] == Tensor([0.5, -1e10]))
    #expect(file.tensors["f32"] == Tensor([1.5, -2]))
    #expect(file.tensors["f16"] == Tensor([1, -2, 0x1p-24]))
    #expect(file.tensors["bf16"] == Tensor([1, -3, Float(bitPattern: 0x4049_0000)]))
    #expect(file.tensors["i64"] == Tensor([-5, Float(1 << 40)]))
    #expect(file.tensors["i32"] == Tensor([-7, 7]))
    #expect(file.tensors["i16"] == Tensor([-300]))
    #expect(file.tensors["i8"] == Tensor([-1]))
    #expect(file.tensors["u8"] == Tensor(rows: [[0, 255], [16, 1]]))
    #expect(file.tensors["u16"] == Tensor([65535]))
    #expect(file.tensors["u32"] == Tensor([70000]))
    #expect(file.tensors["u64"] == Tensor([3]))
    #expect(file.tensors["bool"] == Tensor([1, 0, 1]))
  }

  @Test func acceptsWhitespaceEscapesAndUnalignedHeaders() throws {
    let header =
      "{ \"__metadata__\" : { \"format\" : \"pt\" },\n  \"w\\u00e9\\n\" : {\"shape\": [1], \"dtype\": \"F32\", \"data_offsets\": [0, 4]} }   "
    let file = try SafetensorsFile.decode(
      safetensorsBytes(header, data: littleEndianBytes([Float(2).bitPattern])), file: "t")
    #expect(file.tensors == ["wé\n": Tensor([2])])
    #expect(file.metadata == ["format": "pt"])
  }

  @Test func rejectsShortFilesAndBadHeaderLengths() {
    #expect(decodingError(Data([1, 2, 3])) == .truncatedHeaderLength(file: "m.safetensors", fileSize: 3))
    let long = safetensorsBytes("{}", headerLength: 1000)
    #expect(decodingError(long) == .headerLengthOutOfRange(file: "m.safetensors", headerLength: 1000, fileSize: 10))
    let huge = safetensorsBytes("{}", headerLength: 1 << 62)
    #expect(decodingError(huge) == .headerLengthOutOfRange(file: "m.safetensors", headerLength: 1 << 62, fileSize: 10))
    #expect(decodingError(huge)!.description.contains("100,000,000"))
    let largest = safetensorsBytes("{}", headerLength: .max)
    #expect(decodingError(largest)!.description.contains("header length 18,446,744,073,709,551,615 bytes"))
  }

  @Test func rejectsHeadersThatAreNotJSONObjects() {
    for header in ["[1, 2]", "{\"a\": {\"dtype\": \"F32\"", "{\"a\": 1,}", "{} x", "\u{FEFF}{}", "{\"\u{01}\": 1}"] {
      guard case .invalidHeader(let file, _) = decodingError(safetensorsBytes(header)) else {
        Issue.record("\(header) was not rejected as an invalid header")
        continue
      }
      #expect(file == "m.safetensors")
    }
    let invalidUTF8 = Data(littleEndianBytes([UInt64(6)]) + [0x7B, 0x22, 0xC3, 0x28, 0x22, 0x7D])
    guard case .invalidHeader = decodingError(invalidUTF8) else {
      Issue.record("invalid UTF-8 accepted")
      return
    }
  }

  @Test func rejectsDuplicateNamesAndDuplicateFields() {
    let duplicate = "{\(entry("w", "F32", [1], 0, 4)),\(entry("w", "F32", [1], 4, 8))}"
    #expect(
      decodingError(safetensorsBytes(duplicate, data: .init(repeating: 0, count: 8)))
        == .duplicateTensor(file: "m.safetensors", tensor: "w"))
    let field = "{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}"
    #expect(decodingError(safetensorsBytes(field, data: [0, 0, 0, 0]))?.tensor == "w")
    let metadata = "{\"__metadata__\":{\"a\":\"1\",\"a\":\"2\"}}"
    guard case .invalidMetadata = decodingError(safetensorsBytes(metadata)) else {
      Issue.record("duplicate metadata key accepted")
      return
    }
  }

  @Test func rejectsMalformedEntries() {
    let malformed = [
      "{\"w\": [1]}", "{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}",
      "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}",
      "{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}",
      "{\"w\":{\"dtype\":\"F32\",\"shape\":[1.0],\"data_offsets\":[0,4]}}",
      "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}",
      "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":1}}",
      "{\"w\":{\"dtype\":\"F32\",\"shape\":[99999999999,99999999999],\"data_offsets\":[0,4]}}",
    ]
    for header in malformed {
      guard
        case .invalidTensorEntry(let file, let tensor, _) = decodingError(safetensorsBytes(header, data: [0, 0, 0, 0]))
      else {
        Issue.record("\(header) was not rejected as a malformed entry")
        continue
      }
      #expect(file == "m.safetensors" && tensor == "w")
    }
  }

  @Test func rejectsUnsupportedDataTypes() {
    let error = decodingError(safetensorsBytes("{\(entry("w", "F8_E4M3", [4], 0, 4))}", data: [0, 0, 0, 0]))
    #expect(error == .unsupportedDataType(file: "m.safetensors", tensor: "w", dataType: "F8_E4M3"))
    #expect(error!.description.hasPrefix("m.safetensors: tensor 'w': unsupported dtype 'F8_E4M3'"))
  }

  @Test func rejectsOffsetsThatDoNotMatchTheShape() {
    let error = decodingError(
      safetensorsBytes("{\(entry("0.weight", "F32", [4, 8], 0, 96))}", data: .init(repeating: 0, count: 96)))
    #expect(
      error
        == .sizeMismatch(
          file: "m.safetensors", tensor: "0.weight", dataType: "F32", shape: [4, 8], expectedBytes: 128, actualBytes: 96
        ))
    #expect(
      error!.description == "m.safetensors: tensor '0.weight': data_offsets hold 96 bytes but F32 [4, 8] needs 128")
  }

  @Test func rejectsOffsetsOutsideTheBuffer() {
    let truncated = safetensorsBytes("{\(entry("w", "F32", [4], 0, 16))}", data: .init(repeating: 0, count: 12))
    #expect(
      decodingError(truncated)
        == .offsetsOutOfRange(file: "m.safetensors", tensor: "w", begin: 0, end: 16, bufferSize: 12))
    let reversed = safetensorsBytes("{\(entry("w", "F32", [1], 8, 4))}", data: .init(repeating: 0, count: 8))
    #expect(
      decodingError(reversed) == .offsetsOutOfRange(file: "m.safetensors", tensor: "w", begin: 8, end: 4, bufferSize: 8)
    )
  }

  @Test func rejectsOverlapsHolesAndTrailingBytes() {
    let overlap = "{\(entry("a", "F32", [2], 0, 8)),\(entry("b", "F32", [2], 4, 12))}"
    #expect(
      decodingError(safetensorsBytes(overlap, data: .init(repeating: 0, count: 12)))
        == .overlappingTensors(file: "m.safetensors", tensor: "b", other: "a"))
    let hole = "{\(entry("a", "F32", [1], 0, 4)),\(entry("b", "F32", [1], 8, 12))}"
    #expect(
      decodingError(safetensorsBytes(hole, data: .init(repeating: 0, count: 12)))
        == .uncoveredBytes(file: "m.safetensors", begin: 4, end: 8))
    let trailing = "{\(entry("a", "F32", [1], 0, 4))}"
    #expect(
      decodingError(safetensorsBytes(trailing, data: .init(repeating: 0, count: 6)))
        == .uncoveredBytes(file: "m.safetensors", begin: 4, end: 6))
    let emptyTensors =
      "{\(entry("a", "F32", [0], 0, 0)),\(entry("b", "F32", [1], 0, 4)),\(entry("c", "F32", [0, 3], 4, 4))}"
    #expect(decodingError(safetensorsBytes(emptyTensors, data: .init(repeating: 0, count: 4))) == nil)
  }

  @Test func rejectsMetadataThatIsNotStrings() {
    for header in [
      "{\"__metadata__\":[1]}", "{\"__metadata__\":{\"epochs\":3}}", "{\"__metadata__\":{},\"__metadata__\":{}}",
    ] {
      guard case .invalidMetadata(let file, _) = decodingError(safetensorsBytes(header)) else {
        Issue.record("\(header) was not rejected as invalid metadata")
        continue
      }
      #expect(file == "m.safetensors")
    }
  }

  @Test func reportsMissingFilesDirectoriesAndUnwritablePaths() throws {
    let missing = URL(fileURLWithPath: "/nonexistent-dir/model.safetensors")
    #expect(throws: SafetensorsError.unreadable(file: "/nonexistent-dir/model.safetensors", reason: "no such file")) {
      try SafetensorsFile.read(contentsOf: missing)
    }
    #expect(throws: SafetensorsError.unreadable(file: "/tmp", reason: "is a directory")) {
      try SafetensorsFile.read(contentsOf: URL(fileURLWithPath: "/tmp"))
    }
    #expect(throws: SafetensorsError.self) { try SafetensorsFile().write(to: missing) }
    do {
      try SafetensorsFile().write(to: missing)
    } catch {
      #expect(
        error.description.hasPrefix(
          "/nonexistent-dir/model.safetensors: cannot write: directory /nonexistent-dir does not exist"))
    }
  }

  @Test func writeReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws {
    let directory = temporaryURL("dir")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("m.safetensors")
    try SafetensorsFile(tensors: ["a": Tensor([1, 2, 3])]).write(to: url)
    try SafetensorsFile(tensors: ["b": Tensor([4])]).write(to: url)
    #expect(try SafetensorsFile.read(contentsOf: url).tensors == ["b": Tensor([4])])
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["m.safetensors"])
  }
}
