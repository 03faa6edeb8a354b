import Foundation
import Testing

@testable import SparsityCore
@testable import SparsityIO

/// A PNG file assembled by hand: signature, IHDR, optional PLTE, one IDAT, IEND, with CRCs
/// computed here from `Gzip.crc32` (independent of `PNGChunks`).
private func handMadePNG(
  width: Int, height: Int, bitDepth: UInt8, colorType: UInt8, interlace: UInt8 = 0,
  palette: [UInt8]? = nil, imageData: [UInt8]
) -> Data {
  func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    let body = Array(type.utf8) + data
    return bigEndian(UInt32(data.count)) + body + bigEndian(Gzip.crc32(Data(body)))
  }
  func bigEndian(_ v: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: v >> $0) } }
  let header = bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [bitDepth, colorType, 0, 0, interlace]
  var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header)
  if let palette { bytes += chunk("PLTE", palette) }
  bytes += chunk("IDAT", [UInt8](Gzip.compress(Data(imageData), format: .zlib)))
  return Data(bytes + chunk("IEND", []))
}

/// Reference twin of the decoder's unfiltering: applies filter `types[r]` to raw row `r`
/// (`stride` bytes per pixel) and prepends the filter type byte.
private func filtered(_ rows: [[UInt8]], types: [UInt8], stride: Int) -> [UInt8] {
  var out = [UInt8]()
  for (r, row) in rows.enumerated() {
    let above = r > 0 ? rows[r - 1] : [UInt8](repeating: 0, count: row.count)
    out.append(types[r])
    for i in row.indices {
      let a = Int(i >= stride ? row[i - stride] : 0)
      let b = Int(above[i])
      let c = Int(i >= stride ? above[i - stride] : 0)
      let prediction: Int
      switch types[r] {
      case 0: prediction = 0
      case 1: prediction = a
      case 2: prediction = b
      case 3: prediction = (a + b) / 2
      default:
        let p = a + b - c
        let (da, db, dc) = (abs(p - a), abs(p - b), abs(p - c))
        prediction = da <= db && da <= dc ? a : (db <= dc ? b : c)
      }
      out.append(row[i] &- UInt8(prediction))
    }
  }
  return out
}

/// `count` seeded random bytes.
private func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
  var generator = Xoshiro256StarStar(seed: seed)
  return (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
}

/// Packs samples of `depth` bits (1, 2, 4) most significant first into rows of whole bytes.
private func packed(_ samples: [Int], width: Int, depth: Int) -> [[UInt8]] {
  stride(from: 0, to: samples.count, by: width).map { start in
    var row = [UInt8](repeating: 0, count: (width * depth + 7) / 8)
    for i in 0..<width {
      let bit = i * depth
      row[bit / 8] |= UInt8(samples[start + i] << (8 - depth - bit % 8))
    }
    return row
  }
}

/// The error `PNGFile.decode` throws for `data`, or nil.
private func decodeError(_ data: Data, file: String = "img.png") -> ArrayFileError? {
  do {
    _ = try PNGFile.decode(data, file: file)
    return nil
  } catch { return error }
}

/// Asserts two pixel arrays agree to within float rounding.
private func expectClose(_ actual: [Float], _ expected: [Float], _ comment: Comment? = nil) {
  #expect(actual.count == expected.count, comment)
  let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
  #expect(worst < 1e-6, comment)
}

@Suite struct PNGFileTests {
  @Test func roundTripsEightBitGrayAtManySizes() throws {
    for (width, height) in [(1, 1), (1, 9), (7, 3), (13, 5), (64, 64), (100, 1)] {
      let bytes = randomBytes(width * height, seed: UInt64(width * 100 + height))
      let image = GrayImage(width: width, height: height, pixels: bytes.map { Float($0) / 255 })
      let decoded = try PNGFile.decode(PNGFile.encode(image), file: "r.png")
      #expect(decoded == image, "\(width)x\(height)")
    }
  }

  @Test func writesAtomicallyAndReadsBackThroughImageFile() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("png-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let image = GrayImage(width: 5, height: 3, pixels: (0..<15).map { Float($0 * 17) / 255 })
    let url = directory.appendingPathComponent("out.png")
    try PNGFile.write(image, to: url)
    #expect(try ImageFile.read(contentsOf: url) == image)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.png"])
    #expect(throws: ArrayFileError.self) {
      try PNGFile.write(image, to: directory.appendingPathComponent("missing/x.png"))
    }
  }

  @Test func clampsAndRoundsOutOfRangeIntensities() throws {
    let image = GrayImage(width: 4, height: 1, pixels: [-0.5, 2, 0.5, .nan])
    #expect(try PNGFile.decode(PNGFile.encode(image), file: "c.png").pixels == [0, 1, 128 / 255, 0])
  }

  @Test func rgbWriterStoresTheColorsAsLuma() throws {
    let rgb: [Float] = [1, 0, 0, 0, 1, 0, 0, 0, 1]
    let decoded = try PNGFile.decode(PNGFile.encodeRGB(rgb, width: 3, height: 1), file: "rgb.png")
    expectClose(decoded.pixels, [0.299, 0.587, 0.114])
  }

  @Test func decodesAKnownExternalFile() throws {
    // The widely used 1x1 RGBA PNG (0, 0, 255, alpha 127) with a Sub-filtered scanline.
    let base64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    let image = try PNGFile.decode(try #require(Data(base64Encoded: base64)), file: "dot.png")
    #expect(image.width == 1 && image.height == 1)
    expectClose(image.pixels, [0.114])
  }

  @Test func everyFilterTypeDecodesForEveryPixelStride() throws {
    // (color type, bit depth, channels, bytes per pixel)
    for (colorType, depth, channels, stride) in [
      (0, 8, 1, 1), (0, 16, 1, 2), (4, 8, 2, 2), (2, 8, 3, 3), (6, 8, 4, 4), (6, 16, 4, 8),
    ] {
      let (width, height) = (5, 4)
      let rowBytes = width * stride
      let raw = randomBytes(rowBytes * height, seed: UInt64(colorType * 31 + depth))
      let rows = (0..<height).map { Array(raw[($0 * rowBytes)..<(($0 + 1) * rowBytes)]) }
      let expected = expectedLuma(raw, pixels: width * height, channels: channels, depth: depth, colorType: colorType)
      for types in [[0, 0, 0, 0], [1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3], [4, 4, 4, 4], [4, 3, 2, 1]] as [[UInt8]] {
        let png = handMadePNG(
          width: width, height: height, bitDepth: UInt8(depth), colorType: UInt8(colorType),
          imageData: filtered(rows, types: types, stride: stride))
        let image = try PNGFile.decode(png, file: "f.png")
        expectClose(image.pixels, expected, "color type \(colorType), depth \(depth), filters \(types)")
      }
    }
  }

  /// Luma of interleaved big-endian samples, computed independently of `PNGSamples`.
  private func expectedLuma(_ raw: [UInt8], pixels: Int, channels: Int, depth: Int, colorType: Int) -> [Float] {
    let bytes = depth / 8
    let maximum = Float((1 << depth) - 1)
    func sample(_ index: Int) -> Float {
      Float((0..<bytes).reduce(0) { $0 << 8 | Int(raw[index * bytes + $1]) }) / maximum
    }
    return (0..<pixels).map { p in
      let first = p * channels
      if colorType == 2 || colorType == 6 {
        return 0.299 * sample(first) + 0.587 * sample(first + 1) + 0.114 * sample(first + 2)
      }
      return sample(first)
    }
  }

  @Test func lowBitDepthGrayAndPaletteImagesDecode() throws {
    let (width, height) = (11, 3)
    for depth in [1, 2, 4, 8] {
      var generator = Xoshiro256StarStar(seed: UInt64(depth))
      let samples = (0..<(width * height)).map { _ in Int(generator.next(upperBound: UInt64(1 << depth))) }
      let rows = depth == 8 ? packedBytes(samples, width: width) : packed(samples, width: width, depth: depth)
      let data = filtered(rows, types: [4, 1, 3], stride: 1)
      let gray = try PNGFile.decode(
        handMadePNG(width: width, height: height, bitDepth: UInt8(depth), colorType: 0, imageData: data), file: "g.png")
      expectClose(gray.pixels, samples.map { Float($0) / Float((1 << depth) - 1) }, "gray depth \(depth)")
      let entries = 1 << depth
      let palette = randomBytes(3 * entries, seed: 99)
      let paletted = try PNGFile.decode(
        handMadePNG(
          width: width, height: height, bitDepth: UInt8(depth), colorType: 3, palette: palette, imageData: data),
        file: "p.png")
      let expected = samples.map {
        0.299 * Float(palette[3 * $0]) / 255 + 0.587 * Float(palette[3 * $0 + 1]) / 255 + 0.114
          * Float(palette[3 * $0 + 2]) / 255
      }
      expectClose(paletted.pixels, expected, "palette depth \(depth)")
    }
  }

  private func packedBytes(_ samples: [Int], width: Int) -> [[UInt8]] {
    stride(from: 0, to: samples.count, by: width).map { samples[$0..<($0 + width)].map { UInt8($0) } }
  }

  @Test func adam7InterlacedImageMatchesTheImageItInterlaces() throws {
    for (width, height) in [(1, 1), (3, 2), (9, 10), (17, 5)] {
      let raw = randomBytes(width * height, seed: UInt64(width + 7 * height))
      var data = [UInt8]()
      let passes: [(Int, Int, Int, Int)] = [
        (0, 0, 8, 8), (0, 4, 8, 8), (4, 0, 8, 4), (0, 2, 4, 4), (2, 0, 4, 2), (0, 1, 2, 2), (1, 0, 2, 1),
      ]
      for (rowStart, columnStart, rowStep, columnStep) in passes {
        let rows = stride(from: rowStart, to: height, by: rowStep).map { r in
          stride(from: columnStart, to: width, by: columnStep).map { raw[r * width + $0] }
        }
        guard let first = rows.first, !first.isEmpty else { continue }
        data += filtered(rows, types: rows.indices.map { UInt8($0 % 5) }, stride: 1)
      }
      let image = try PNGFile.decode(
        handMadePNG(width: width, height: height, bitDepth: 8, colorType: 0, interlace: 1, imageData: data),
        file: "i.png")
      #expect(image.pixels == raw.map { Float($0) / 255 }, "\(width)x\(height)")
    }
  }

  @Test func corruptedCRCIsReportedWithTheChunkAndFile() throws {
    var bytes = [UInt8](PNGFile.encode(GrayImage(width: 4, height: 4, repeating: 0.25)))
    bytes[8 + 25 + 8] ^= 0x01  // first data byte of IDAT (after signature and the 25-byte IHDR chunk)
    let error = try #require(decodeError(Data(bytes), file: "bad.png"))
    guard case .malformedImage(let file, let detail) = error else {
      Issue.record("got \(error)")
      return
    }
    #expect(file == "bad.png")
    #expect(detail.contains("CRC mismatch") && detail.contains("IDAT"))
    #expect(error.description.hasPrefix("bad.png: "))
  }

  @Test func truncationAnywhereIsAnError() throws {
    let bytes = [UInt8](PNGFile.encode(GrayImage(width: 6, height: 2, repeating: 0.5)))
    for length in [0, 5, 8, 12, 20, 33, 40, bytes.count - 12, bytes.count - 1] {
      let error = try #require(decodeError(Data(bytes.prefix(length))), "\(length) bytes")
      guard case .malformedImage(_, let detail) = error else {
        Issue.record("got \(error)")
        continue
      }
      #expect(detail.contains("truncated") || detail.contains("signature"), "\(length) bytes: \(detail)")
    }
  }

  @Test func invalidHeadersAndDataAreNamedErrors() throws {
    let row: [UInt8] = [0, 1, 2, 3]
    let cases: [(Data, String)] = [
      (Data("GIF89a..".utf8), "signature"),
      (handMadePNG(width: 4, height: 1, bitDepth: 4, colorType: 2, imageData: row), "bit depth 4"),
      (handMadePNG(width: 4, height: 1, bitDepth: 8, colorType: 5, imageData: row), "color type 5"),
      (handMadePNG(width: 4, height: 1, bitDepth: 8, colorType: 0, interlace: 2, imageData: row), "interlace method 2"),
      (
        handMadePNG(width: 2, height: 1, bitDepth: 8, colorType: 0, imageData: row),
        "decompresses to more than 3 bytes, but 2x1, 8-bit"
      ),
      (handMadePNG(width: 5, height: 1, bitDepth: 8, colorType: 0, imageData: row), "needs 6"),
      (handMadePNG(width: 3, height: 1, bitDepth: 8, colorType: 0, imageData: [7, 1, 2, 3]), "filter type 7"),
      (handMadePNG(width: 3, height: 1, bitDepth: 8, colorType: 3, imageData: row), "no PLTE"),
      (
        handMadePNG(width: 3, height: 1, bitDepth: 8, colorType: 3, palette: [1, 2, 3], imageData: row),
        "palette index 1"
      ),
    ]
    for (data, phrase) in cases {
      let error = try #require(decodeError(data, file: "x.png"), "\(phrase)")
      #expect(error.file == "x.png")
      #expect(error.description.contains(phrase), "expected '\(phrase)' in: \(error)")
    }
  }

  @Test func unknownCriticalChunkIsUnsupportedButAncillaryChunksAreSkipped() throws {
    let good = [UInt8](PNGFile.encode(GrayImage(width: 2, height: 2, repeating: 1)))
    func inserting(_ type: String) -> Data {
      var extra = [UInt8]()
      PNGChunks.append(type: type, data: [1, 2, 3], to: &extra)
      return Data(good.prefix(33) + extra + good.dropFirst(33))
    }
    #expect(try PNGFile.decode(inserting("tEXt"), file: "a.png") == GrayImage(width: 2, height: 2, repeating: 1))
    guard case .unsupportedImage(_, let detail) = try #require(decodeError(inserting("ABCD"))) else {
      Issue.record("expected unsupportedImage")
      return
    }
    #expect(detail.contains("ABCD"))
  }

  @Test func imageFileRejectsUnknownFormatsAndMissingFiles() {
    #expect(
      throws: ArrayFileError.unsupportedImage(
        file: "f.bin", detail: "not a PNG or PGM (P5/P2) file: it starts with [00 01]")
    ) {
      try ImageFile.decode(Data([0, 1]), file: "f.bin")
    }
    #expect(throws: ArrayFileError.unreadable(file: "/nonexistent/a.png", reason: "no such file")) {
      try ImageFile.read(contentsOf: URL(fileURLWithPath: "/nonexistent/a.png"))
    }
  }
}
