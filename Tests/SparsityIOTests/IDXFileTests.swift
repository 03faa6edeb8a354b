import SparsityCore
import Foundation
import SparsityTestSupport
import Testing

@testable import SparsityCore
@testable import SparsityIO

/// A fresh empty directory under the system's temporary directory.
private func temporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("idxtests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// `count` synthetic images of `rows` x `columns` pixels: pixel p of image i is (7i + p) % 256.
private func syntheticPixels(count: Int, rows: Int, columns: Int) -> [UInt8] {
  (0..<count).flatMap { image in (0..<(rows * columns)).map { UInt8((7 * image + $0) % 256) } }
}

/// Writes an MNIST directory of `trainCount` and `testCount` 4x3 images, under the given names
/// (by default the standard ones, train files gzipped, test files raw).
private func writeMNIST(
  in directory: URL, trainCount: Int = 6, testCount: Int = 4, trainLabelCount: Int? = nil,
  names: [String] = [
    "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
  ]
) throws {
  let labelCounts = [trainLabelCount ?? trainCount, testCount]
  for (part, count) in [trainCount, testCount].enumerated() {
    let images = IDXFile.encodeImages(
      syntheticPixels(count: count, rows: 4, columns: 3), count: count, rows: 4, columns: 3)
    let labels = IDXFile.encodeLabels((0..<labelCounts[part]).map { UInt8($0 % 10) })
    for (index, data) in [(2 * part, images), (2 * part + 1, labels)] {
      let name = names[index]
      try (name.hasSuffix(".gz") ? Gzip.compress(data) : data).write(to: directory.appendingPathComponent(name))
    }
  }
}

/// The error thrown by `body`, or nil.
private func thrownError<E: Error>(_ type: E.Type, _ body: () throws -> Void) -> E? {
  do {
    try body()
    return nil
  } catch let error as E { return error } catch { return nil }
}

@Suite struct IDXFileTests {
  @Test func decodesRawImagesAndLabels() throws {
    let pixels = syntheticPixels(count: 3, rows: 2, columns: 5)
    let images = try IDXFile.decodeImages(IDXFile.encodeImages(pixels, count: 3, rows: 2, columns: 5), file: "i")
    #expect(images.count == 3 && images.rows == 2 && images.columns == 5)
    #expect(images.pixels.shape == [3, 10])
    #expect(images.pixels.scalars == pixels.map { Float($0) })
    #expect(try IDXFile.decodeLabels(IDXFile.encodeLabels([7, 0, 9]), file: "l") == [7, 0, 9])
  }

  @Test func headerIsBigEndianWithTheStandardMagicNumbers() {
    let bytes = [UInt8](IDXFile.encodeImages([1, 2, 3, 4, 5, 6], count: 1, rows: 2, columns: 3))
    #expect(Array(bytes[0..<16]) == [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3])
    #expect([UInt8](IDXFile.encodeLabels([4, 5])) == [0, 0, 8, 1, 0, 0, 0, 2, 4, 5])
  }

  @Test func readsGzippedFilesByMagicBytesNotByName() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let raw = IDXFile.encodeImages(syntheticPixels(count: 4, rows: 3, columns: 3), count: 4, rows: 3, columns: 3)
    let misnamed = directory.appendingPathComponent("images-without-gz-suffix")
    try Gzip.compress(raw).write(to: misnamed)
    let plain = directory.appendingPathComponent("plain.gz")
    try raw.write(to: plain)
    #expect(try IDXFile.readImages(contentsOf: misnamed) == IDXFile.readImages(contentsOf: plain))
    #expect(try IDXFile.readImages(contentsOf: plain).count == 4)
  }

  @Test func wrongMagicNumberIsAnErrorNamingTheFile() throws {
    let labels = IDXFile.encodeLabels([1, 2])
    let swapped = try #require(thrownError(ArrayFileError.self) { _ = try IDXFile.decodeImages(labels, file: "imgs") })
    guard case .malformedIDX(let file, let detail) = swapped else { throw swapped }
    #expect(file == "imgs" && detail.contains("label file"))
    let npy = Data([0x93] + Array("NUMPY".utf8) + [1, 0, 0, 0])
    let other = try #require(thrownError(ArrayFileError.self) { _ = try IDXFile.decodeLabels(npy, file: "lbls") })
    #expect(other.description.hasPrefix("lbls: malformed IDX file"))
    #expect(other.description.contains("0x934e554d"))
    #expect(
      thrownError(ArrayFileError.self) { _ = try IDXFile.decodeLabels(Data([0, 0]), file: "tiny") }?.file == "tiny")
  }

  /// Found by fuzzing (Fuzz/Corpus/idx/crash-no-images-too-large.idx3): no images of
  /// 4294967295 x 4294967155 pixels. Their size overflowed when the pixel matrix was shaped (a
  /// trap), the count of 0 having hidden it from the size check.
  @Test func anImageSizeThatOverflowsIsAnErrorEvenWithoutImages() throws {
    let header = try Data(contentsOf: fuzzCorpusFile("idx/crash-no-images-too-large.idx3"))
    #expect(header == Data([0, 0, 8, 3, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x73]))
    #expect(
      throws: ArrayFileError.malformedIDX(file: "z", detail: "dimensions [0, 4294967295, 4294967155] are too large")
    ) {
      try IDXFile.decodeImages(header, file: "z")
    }
  }

  /// Found by fuzzing (Fuzz/Corpus/idx/crash-empty-images-rewritten.idx3): 4,211,081,207 images
  /// of 4277927935 x 0 pixels read as an empty matrix, but writing them back trapped: the
  /// writer's size check multiplied count by rows first and overflowed.
  @Test func emptyImagesOfAnySizeCanBeWrittenBack() throws {
    let data = try Data(contentsOf: fuzzCorpusFile("idx/crash-empty-images-rewritten.idx3"))
    let images = try IDXFile.decodeImages(data, file: "e")
    #expect(images.count == 4_211_081_207 && images.rows == 4_277_927_935 && images.columns == 0)
    #expect(IDXFile.encodeImages([], count: images.count, rows: images.rows, columns: images.columns) == data)
  }

  /// A gzip file of two members, the first holding only the magic number: the header is read
  /// across them (it was cut at the first member's end, so the file was refused as too short).
  @Test func theHeaderIsReadAcrossGzipMembers() throws {
    let labels = IDXFile.encodeLabels([1, 2, 3])
    let split = Gzip.compress(labels.prefix(4)) + Gzip.compress(labels.dropFirst(4))
    #expect(try IDXFile.decodeLabels(split, file: "l.gz") == [1, 2, 3])
  }

  @Test func truncationAndTrailingBytesAreErrors() throws {
    let images = IDXFile.encodeImages(syntheticPixels(count: 3, rows: 2, columns: 2), count: 3, rows: 2, columns: 2)
    #expect(
      throws: ArrayFileError.truncatedData(
        file: "t", shape: [3, 2, 2], dataType: "uint8", expectedBytes: 12, actualBytes: 10)
    ) {
      try IDXFile.decodeImages(images.dropLast(2), file: "t")
    }
    #expect(
      throws: ArrayFileError.trailingData(
        file: "t", shape: [3, 2, 2], dataType: "uint8", expectedBytes: 12, actualBytes: 13)
    ) {
      try IDXFile.decodeImages(images + Data([0]), file: "t")
    }
    let shortHeader = try #require(
      thrownError(ArrayFileError.self) { _ = try IDXFile.decodeImages(images.prefix(10), file: "h") })
    #expect(shortHeader.description.contains("16 bytes"))
    let gzipped = Gzip.compress(images)
    let cut = try #require(
      thrownError(ArrayFileError.self) { _ = try IDXFile.decodeImages(gzipped.dropLast(4), file: "c.gz") })
    #expect(cut.file == "c.gz")
  }

  /// A gzip "bomb": a valid header for 3 images of 2x2 followed by 64 MiB of zeros. Inflation
  /// stops just past the 28 bytes the header allows instead of producing the 64 MiB.
  @Test func gzipInflationStopsAtWhatTheHeaderAllows() throws {
    let header = IDXFile.encodeImages([UInt8](repeating: 0, count: 12), count: 3, rows: 2, columns: 2)
    let bomb = Gzip.compress(header + Data(count: 64 << 20), level: 9)
    #expect(bomb.count < 128 << 10)
    #expect(throws: ArrayFileError.inflatesPastLimit(file: "bomb.gz", limit: 28)) {
      try IDXFile.decodeImages(bomb, file: "bomb.gz")
    }
    let wrongMagic = Gzip.compress(Data([0, 0, 8, 1]) + Data(count: 64 << 20))
    let error = try #require(
      thrownError(ArrayFileError.self) { _ = try IDXFile.decodeImages(wrongMagic, file: "l.gz") })
    #expect(error.description.contains("magic"), "\(error)")
  }

  @Test func loadsAnMNISTDirectory() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try writeMNIST(in: directory)
    let (train, test) = try MNISTDataset.load(directory: directory)
    #expect(train.sampleCount == 6 && test.sampleCount == 4)
    #expect(train.imageShape == ImageShape(rows: 4, columns: 3) && test.featureCount == 12)
    #expect(train.labels == [0, 1, 2, 3, 4, 5] && test.classCount == 10)
    #expect(
      train.features.row(1).scalars == syntheticPixels(count: 2, rows: 4, columns: 3).suffix(12).map { Float($0) })
  }

  @Test func acceptsTheDotVariantOfTheNames() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let names = [
      "train-images.idx3-ubyte", "train-labels.idx1-ubyte.gz", "t10k-images.idx3-ubyte.gz", "t10k-labels-idx1-ubyte",
    ]
    try writeMNIST(in: directory, names: names)
    #expect(try MNISTDataset.load(directory: directory).test.sampleCount == 4)
  }

  @Test func countMismatchNamesBothFiles() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try writeMNIST(in: directory, trainLabelCount: 5)
    let error = try #require(thrownError(DatasetError.self) { _ = try MNISTDataset.load(directory: directory) })
    guard case .countMismatch(let images, 6, let labels, 5) = error else { throw error }
    #expect(images.hasSuffix("train-images-idx3-ubyte.gz") && labels.hasSuffix("train-labels-idx1-ubyte.gz"))
    #expect(error.description.contains("6 samples") && error.description.contains("5 labels"))
  }

  @Test func missingFilesAreListed() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try writeMNIST(in: directory)
    try FileManager.default.removeItem(at: directory.appendingPathComponent("t10k-labels-idx1-ubyte"))
    let error = try #require(thrownError(DatasetError.self) { _ = try MNISTDataset.load(directory: directory) })
    let names = [
      "t10k-labels-idx1-ubyte", "t10k-labels-idx1-ubyte.gz", "t10k-labels.idx1-ubyte", "t10k-labels.idx1-ubyte.gz",
    ]
    #expect(error == .missingFiles(directory: directory.relativePath, lookedFor: names))
    #expect(error.description.contains("t10k-labels.idx1-ubyte.gz"))
  }

  @Test func missingDirectoryIsAnError() throws {
    let missing = URL(fileURLWithPath: "/nonexistent/mnist")
    #expect(throws: DatasetError.file(.unreadable(file: "/nonexistent/mnist", reason: "no such directory"))) {
      try MNISTDataset.load(directory: missing)
    }
    let empty = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: empty) }
    let error = try #require(thrownError(DatasetError.self) { _ = try MNISTDataset.load(directory: empty) })
    guard case .missingFiles(_, let names) = error else { throw error }
    #expect(names.count == 16 && names.first == "train-images-idx3-ubyte")
  }

  @Test func labelsAboveNineAreErrors() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try writeMNIST(in: directory)
    try IDXFile.encodeLabels([0, 1, 2, 12]).write(to: directory.appendingPathComponent("t10k-labels-idx1-ubyte"))
    let error = try #require(thrownError(DatasetError.self) { _ = try MNISTDataset.load(directory: directory) })
    guard case .invalidLabel(let file, 4, "12", _) = error else { throw error }
    #expect(file.hasSuffix("t10k-labels-idx1-ubyte"))
  }
}
