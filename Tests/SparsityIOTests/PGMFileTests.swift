import Foundation
import Testing

@testable import SparsityCore
@testable import SparsityIO

/// The error `PGMFile.decode` throws for `data`, or nil.
private func pgmError(_ data: Data, file: String = "img.pgm") -> ArrayFileError? {
  do {
    _ = try PGMFile.decode(data, file: file)
    return nil
  } catch { return error }
}

@Suite struct PGMFileTests {
  @Test func readsPlainTextWithComments() throws {
    let text = "P2\n# made by hand\n3 2 # width height\n# maxval next\n10\n0 5 10\n# a comment between rows\n10 5 0\n"
    let image = try PGMFile.decode(Data(text.utf8), file: "a.pgm")
    #expect(image.width == 3 && image.height == 2)
    #expect(image.pixels == [0, 0.5, 1, 1, 0.5, 0])
  }

  @Test func readsBinaryEightBitWithCommentsAndBinaryLookingBytes() throws {
    // Sample bytes include '#', whitespace and digits: only the header is tokenized.
    let samples: [UInt8] = [0x23, 0x0A, 0x20, 0x31, 255, 0]
    let data = Data("P5 # comment\n2\t3\n255\n".utf8) + Data(samples)
    let image = try PGMFile.decode(data, file: "b.pgm")
    #expect(image.width == 2 && image.height == 3)
    #expect(image.pixels == samples.map { Float($0) / 255 })
  }

  @Test func readsBinarySixteenBitBigEndian() throws {
    let data = Data("P5\n2 1\n65535\n".utf8) + Data([0x00, 0x00, 0xFF, 0xFF])
    #expect(try PGMFile.decode(data, file: "c.pgm").pixels == [0, 1])
    let thousand = Data("P5\n1 1\n1000\n".utf8) + Data([0x01, 0xF4])  // 500
    #expect(try PGMFile.decode(thousand, file: "d.pgm").pixels == [0.5])
  }

  @Test func roundTripsThroughAFileAndImageFile() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pgm-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let image = GrayImage(width: 7, height: 3, pixels: (0..<21).map { Float($0 * 12) / 255 })
    let url = directory.appendingPathComponent("x.pgm")
    try PGMFile.write(image, to: url)
    #expect(try ImageFile.read(contentsOf: url) == image)
    #expect(try PGMFile.read(contentsOf: url) == image)
  }

  @Test func malformedFilesAreNamedErrors() throws {
    let cases: [(Data, String)] = [
      (Data("P6\n1 1\n255\n\0\0\0".utf8), "not a PGM file"),
      (Data("P2\n2 2\n255\n1 2 3".utf8), "need at least 7 bytes of text but only 6 follow"),
      (Data("P2\n2 1\n10\n1 11".utf8), "sample 1"),
      (Data("P5\n2 2\n255\n".utf8) + Data([1, 2, 3]), "truncated"),
      (Data("P5\n2 x\n255\n".utf8), "height"),
      (Data("P5\n2 2\n0\n".utf8), "maxval"),
      (Data("P5\n2 2\n70000\n".utf8), "maxval"),
      (Data("P5\n0 2\n255\n".utf8), "width"),
      (Data("P2\n2".utf8), "the end of the file"),
    ]
    for (data, phrase) in cases {
      let error = try #require(pgmError(data, file: "m.pgm"), "\(phrase)")
      #expect(error.file == "m.pgm")
      #expect(error.description.contains(phrase), "expected '\(phrase)' in: \(error)")
    }
  }

  @Test func binarySampleAboveMaxvalIsRejected() throws {
    let error = try #require(pgmError(Data("P5\n2 1\n100\n".utf8) + Data([5, 200])))
    #expect(error.description.contains("above maxval 100"))
  }
}
