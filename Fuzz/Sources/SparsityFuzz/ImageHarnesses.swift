// Images: PNGFile.decode and PGMFile.decode, each also through ImageFile.decode (which sniffs).

import Foundation
import SparsityIO

/// `PNGFile.decode`: a gray image of intensities in 0...1; `ImageFile.decode` reads the same
/// image; writing it and reading it back gives the same 8-bit samples.
enum PNGHarness: Harness {
  static let maximumLength = 4096

  static let entryPoints = "PNGFile.decode, ImageFile.decode"

  static func run(_ data: Data) -> Bool {
    checkImageFormat(data, file: "fuzz.png", decode: PNGFile.decode) { PNGFile.encode($0, level: 1) }
  }

  static var seeds: [String: Data] {
    let image = GrayImage(width: 5, height: 3, pixels: (0..<15).map { Float($0) / 14 })
    return [
      "gray8.png": PNGFile.encode(image),
      "gray8-stored.png": PNGFile.encode(image, level: 0),
      "rgb8.png": PNGFile.encodeRGB((0..<18).map { Float($0) / 17 }, width: 3, height: 2),
      "gray1-interlaced.png": PNGBuilder.file(width: 9, height: 9, bitDepth: 1, colorType: 0, interlaced: true),
      "palette2.png": PNGBuilder.file(
        width: 5, height: 2, bitDepth: 2, colorType: 3, palette: [0, 0, 0, 255, 0, 0, 0, 255, 0, 255, 255, 255]),
      "gray-alpha16.png": PNGBuilder.file(width: 2, height: 3, bitDepth: 16, colorType: 4),
      "rgba8-interlaced.png": PNGBuilder.file(width: 3, height: 5, bitDepth: 8, colorType: 6, interlaced: true),
    ]
  }

  static func repairChecksums(_ bytes: UnsafeMutableBufferPointer<UInt8>) { Checksums.repairPNG(bytes) }
}

/// `PGMFile.decode`: a gray image of intensities in 0...1; `ImageFile.decode` reads the same
/// image; writing it and reading it back gives the same 8-bit samples.
enum PGMHarness: Harness {
  static let maximumLength = 4096

  static let entryPoints = "PGMFile.decode, ImageFile.decode"

  static func run(_ data: Data) -> Bool {
    checkImageFormat(data, file: "fuzz.pgm", decode: PGMFile.decode, encode: PGMFile.encode)
  }

  static var seeds: [String: Data] {
    [
      "binary8.pgm": PGMFile.encode(GrayImage(width: 4, height: 2, pixels: (0..<8).map { Float($0) / 7 })),
      "binary16.pgm": Data("P5 2 2 65535\n".utf8) + Data([0, 0, 0x80, 0, 0xFF, 0xFF, 0x12, 0x34]),
      "text-comments.pgm": Data("P2\n# a comment\n3 2\n# maxval next\n15\n0 1 2\n13 14 15\n".utf8),
    ]
  }
}

/// Decodes `data` with one format's `decode`; true when it reads an image. The image must be at
/// least 1x1 with intensities in 0...1, `ImageFile.decode` (which sniffs the format) must read
/// the same, and `encode` then `decode` must give back the same 8-bit samples.
func checkImageFormat(
  _ data: Data, file: String, decode: (Data, String) throws(ArrayFileError) -> GrayImage,
  encode: (GrayImage) -> Data
) -> Bool {
  guard let image = try? decode(data, file) else { return false }
  precondition(image.width >= 1 && image.height >= 1, "\(file): a \(image.width)x\(image.height) image")
  precondition(image.pixels.allSatisfy { (0...1).contains($0) }, "\(file): an intensity outside 0...1")
  let sniffed = mustDecode("ImageFile.decode") { () throws(ArrayFileError) in try ImageFile.decode(data, file: file) }
  precondition(sniffed == image, "\(file): ImageFile.decode reads another image")
  let again = mustDecode("the image written back") { () throws(ArrayFileError) in try decode(encode(image), file) }
  precondition(again.bytes == image.bytes, "\(file): the image written and read back has other samples")
  return true
}

/// PNG files of any color type, bit depth and interlacing, which `PNGFile.encode` does not write:
/// seeds for the reader's other paths, their data stored (zlib level 0) so mutations reach the
/// pixels (`Checksums.repairPNG` fixes the Adler-32 and CRCs).
enum PNGBuilder {
  /// The seven Adam7 passes as (row start, column start, row step, column step).
  static let adam7 = [(0, 0, 8, 8), (0, 4, 8, 8), (4, 0, 8, 4), (0, 2, 4, 4), (2, 0, 4, 2), (0, 1, 2, 2), (1, 0, 2, 1)]

  /// A PNG of the given layout whose scanlines use every filter type in turn over varied bytes.
  static func file(
    width: Int, height: Int, bitDepth: Int, colorType: UInt8, interlaced: Bool = false, palette: [UInt8] = []
  ) -> Data {
    let channels = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][Int(colorType)]!
    let passes = interlaced ? adam7 : [(0, 0, 1, 1)]
    var raw = [UInt8]()
    for (rowStart, columnStart, rowStep, columnStep) in passes {
      let columns = max(0, (width - columnStart + columnStep - 1) / columnStep)
      let rows = max(0, (height - rowStart + rowStep - 1) / rowStep)
      guard columns > 0 else { continue }
      for row in 0..<rows {
        raw.append(UInt8(row % 5))
        raw += (0..<((columns * channels * bitDepth + 7) / 8)).map { UInt8(truncatingIfNeeded: 37 * ($0 + row)) }
      }
    }
    var header = [UInt8]()
    for value in [UInt32(width), UInt32(height)] { header += withUnsafeBytes(of: value.bigEndian, Array.init) }
    header += [UInt8(bitDepth), colorType, 0, 0, interlaced ? 1 : 0]
    var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    appendChunk("IHDR", header, to: &out)
    if !palette.isEmpty { appendChunk("PLTE", palette, to: &out) }
    appendChunk("IDAT", [UInt8](Gzip.compress(Data(raw), format: .zlib, level: 0)), to: &out)
    appendChunk("IEND", [], to: &out)
    return Data(out)
  }

  /// Appends a chunk: big-endian length, type, data, CRC-32 of type and data.
  static func appendChunk(_ type: String, _ data: [UInt8], to out: inout [UInt8]) {
    let typed = Array(type.utf8) + data
    out += withUnsafeBytes(of: UInt32(data.count).bigEndian, Array.init) + typed
    out += withUnsafeBytes(of: Gzip.crc32(Data(typed)).bigEndian, Array.init)
  }
}
