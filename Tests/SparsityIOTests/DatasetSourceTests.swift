import SparsityCore
import Foundation
import Testing

@testable import SparsityCore
@testable import SparsityIO

/// A fresh empty directory under the system's temporary directory.
private func temporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("sourcetests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// The bytes of a version 1.0 `.npy` file with the given dtype, shape literal and data bytes.
private func npyBytes(descriptor: String, shape: String, data: [UInt8]) -> Data {
  var header = Array("{'descr': '\(descriptor)', 'fortran_order': False, 'shape': \(shape), }".utf8)
  while (10 + header.count + 1) % 64 != 0 { header.append(0x20) }
  header.append(0x0A)
  let preamble: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count & 0xFF), UInt8(header.count >> 8)]
  return Data(preamble + header + data)
}

/// Little-endian bytes of fixed-width integers.
private func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
  values.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }
}

/// The error `DatasetSource.load()` throws for `source`, or nil when it loads.
private func loadingError(_ source: DatasetSource) -> DatasetError? {
  do {
    _ = try source.load()
    return nil
  } catch { return error }
}

@Suite struct DatasetSourceTests {
  @Test func parsesTheCommandLineForms() throws {
    #expect(try DatasetSource(parsing: "digits") == .digits)
    #expect(try DatasetSource(parsing: "mnist:data/mnist") == .mnist(directory: "data/mnist"))
    #expect(try DatasetSource(parsing: "csv:iris.csv") == .csv(file: "iris.csv", labelColumn: -1))
    #expect(try DatasetSource(parsing: "csv:a:b.csv", labelColumn: 0) == .csv(file: "a:b.csv", labelColumn: 0))
    #expect(try DatasetSource(parsing: "npy:x.npy,y.npy") == .npy(features: "x.npy", labels: "y.npy"))
    #expect(try DatasetSource(parsing: "npy:x.npy,y.npy").description == "npy:x.npy,y.npy")
  }

  @Test func rejectsOtherForms() {
    for text in ["", "mnist", "cifar:dir", "csv:", "npy:x.npy", "npy:x.npy,", "npy:a,b,c", "digits:x"] {
      #expect(throws: DatasetError.self, "\(text)") { try DatasetSource(parsing: text) }
    }
    let error = #expect(throws: DatasetError.self) { try DatasetSource(parsing: "cifar:dir") }
    #expect(error?.description.contains("mnist:DIR") == true)
  }

  @Test func digitsHasNoSeparateTestSet() throws {
    let (train, test) = try DatasetSource.digits.load()
    #expect(train.sampleCount == 1797 && test == nil)
  }

  @Test func loadsCSVWithAHeaderAndAnyLabelColumn() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("small.csv")
    try "a,b,label\n0.5,1,2\n1.5,2,0\n2.5,3,1\n".write(to: url, atomically: true, encoding: .utf8)
    let last = try DatasetSource(parsing: "csv:\(url.path)").load().train
    #expect(last.features == Tensor(rows: [[0.5, 1], [1.5, 2], [2.5, 3]]))
    #expect(last.labels == [2, 0, 1] && last.classCount == 3 && last.name == "small" && last.imageShape == nil)
    let second = try DatasetSource.loadCSV(url, labelColumn: -2)
    #expect(second.labels == [1, 2, 3] && second.classCount == 4)
    #expect(second.features == Tensor(rows: [[0.5, 2], [1.5, 0], [2.5, 1]]))
    #expect(throws: DatasetError.labelColumnOutOfRange(file: url.relativePath, column: 3, columns: 3)) {
      try DatasetSource.loadCSV(url, labelColumn: 3)
    }
  }

  @Test func badCSVLabelsNameTheFileAndRow() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("bad.csv")
    for (label, reason) in [("-1", "is negative"), ("1.5", "is not an integer"), ("1e9", "larger than the largest")] {
      try "x,y\n1,0\n2,1\n3,\(label)\n".write(to: url, atomically: true, encoding: .utf8)
      let error = try #require(loadingError(.csv(file: url.path, labelColumn: -1)))
      guard case .invalidLabel(let file, 3, _, let text) = error else {
        Issue.record("unexpected \(error)")
        continue
      }
      #expect(file == url.path && text.contains(reason))
      #expect(error.description.hasPrefix("\(url.path): row 3: label"))
    }
    try "x,y\n1,0\n2,nan\n".write(to: url, atomically: true, encoding: .utf8)
    #expect(loadingError(.csv(file: url.path, labelColumn: -1))?.description.contains(url.path) == true)
  }

  @Test func labelsOfOneClassAreRefused() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("one.csv")
    // All class 1: inferring the count would make a two-class problem whose class 0 never occurs.
    try "x,y\n1,1\n2,1\n3,1\n".write(to: url, atomically: true, encoding: .utf8)
    let error = try #require(loadingError(.csv(file: url.path, labelColumn: -1)))
    #expect(error == .tooFewClasses(file: url.path, samples: 3, onlyClass: 1))
    #expect(error.description == "\(url.path): all 3 labels are class 1; classification needs at least two classes")
  }

  @Test func loadsNPYFeaturesAndLabelsOfVariousTypes() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let (x, y) = (directory.appendingPathComponent("x.npy"), directory.appendingPathComponent("y.npy"))
    try npyBytes(descriptor: "|u1", shape: "(3, 2, 2)", data: Array(0..<12)).write(to: x)
    try npyBytes(descriptor: "<i8", shape: "(3,)", data: littleEndianBytes([Int64(1), 0, 4])).write(to: y)
    let images = try DatasetSource.npy(features: x.path, labels: y.path).load().train
    #expect(images.features.shape == [3, 4] && images.imageShape == ImageShape(rows: 2, columns: 2))
    #expect(images.labels == [1, 0, 4] && images.classCount == 5 && images.name == "x")
    try NPYFile.write(Tensor(rows: [[0.5, 1], [2, 3], [4, 5]]), to: x)
    try NPYFile.write(Tensor(shape: [3, 1], scalars: [2, 2, 0]), to: y)
    let table = try DatasetSource.loadNPY(features: x, labels: y)
    #expect(table.features == Tensor(rows: [[0.5, 1], [2, 3], [4, 5]]) && table.imageShape == nil)
    #expect(table.labels == [2, 2, 0] && table.classCount == 3)
  }

  @Test func badNPYLabelsAndShapesNameTheFiles() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let (x, y) = (directory.appendingPathComponent("x.npy"), directory.appendingPathComponent("y.npy"))
    try NPYFile.write(Tensor(rows: [[1, 2], [3, 4], [5, 6]]), to: x)
    let source = DatasetSource.npy(features: x.path, labels: y.path)
    try NPYFile.write(Tensor([0, .nan, 1]), to: y)
    #expect(
      loadingError(source)
        == .invalidLabel(
          file: y.path, row: 2, value: "nan", reason: "is not a number (labels must be class indices 0, 1, 2, ...)"))
    try npyBytes(descriptor: "<f8", shape: "(3,)", data: littleEndianBytes([0.0, 2.0, 0.25].map(\.bitPattern))).write(
      to: y)
    #expect(loadingError(source)?.description.hasPrefix("\(y.path): row 3: label 0.25 is not an integer") == true)
    try NPYFile.write(Tensor([0, 1]), to: y)
    #expect(loadingError(source) == .countMismatch(featuresFile: x.path, samples: 3, labelsFile: y.path, labels: 2))
    try NPYFile.write(Tensor(zeros: [3, 2]), to: y)
    guard case .badShape(let file, [3, 2], _) = loadingError(source) else {
      throw DatasetError.badShape(file: "?", shape: [], expected: "")
    }
    #expect(file == y.path)
    try NPYFile.write(Tensor([0, 1, 1]), to: y)
    try NPYFile.write(Tensor([1, 2, 3]), to: x)
    #expect(loadingError(source)?.description.hasPrefix("\(x.path): shape 3,") == true)
    try NPYFile.write(Tensor(rows: [[1, 2], [3, .infinity], [5, 6]]), to: x)
    #expect(loadingError(source) == .nonFiniteFeature(file: x.path, row: 2, column: 2, value: "inf"))
    try FileManager.default.removeItem(at: y)
    #expect(loadingError(source) == .file(.unreadable(file: y.path, reason: "no such file")))
  }

  @Test func mnistSourceReturnsItsOwnTestSet() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    for (name, count) in [("train", 5), ("t10k", 2)] {
      try IDXFile.encodeImages([UInt8](repeating: 9, count: count * 4), count: count, rows: 2, columns: 2)
        .write(to: directory.appendingPathComponent("\(name)-images-idx3-ubyte"))
      try Gzip.compress(IDXFile.encodeLabels([UInt8](repeating: 3, count: count)))
        .write(to: directory.appendingPathComponent("\(name)-labels-idx1-ubyte.gz"))
    }
    let (train, test) = try DatasetSource(parsing: "mnist:\(directory.path)").load()
    #expect(train.sampleCount == 5 && test?.sampleCount == 2 && test?.labels == [3, 3])
  }
}
