// Reading and writing MNIST IDX files: unsigned-byte images (IDX3) and labels (IDX1).

import Foundation
import SparsityCore

/// Images read from an IDX3 file, one flattened image a row.
public struct IDXImages: Sendable, Equatable {
  /// Pixel rows of one image (28 for MNIST).
  public var rows: Int
  /// Pixel columns of one image (28 for MNIST).
  public var columns: Int
  /// The pixels as stored (0...255), images x (rows * columns), each image row by row.
  public var pixels: Tensor

  /// Number of images.
  public var count: Int { pixels.shape[0] }
}

/// The IDX format of the MNIST database, for unsigned-byte data only (what MNIST uses).
///
/// Layout: a big-endian 32-bit magic number `0x000008NN` (two zero bytes, type code 0x08 for
/// unsigned byte, NN dimensions), NN big-endian 32-bit dimension sizes, then the bytes in
/// row-major order. Images are IDX3 (`0x00000803`: count, rows, columns), labels IDX1
/// (`0x00000801`: count). Files may be gzip-compressed; that is detected from the magic bytes
/// `1f 8b`, not from the `.gz` in the name.
///
/// Reference: Y. LeCun, C. Cortes and C. J. C. Burges, "The MNIST database of handwritten
/// digits", http://yann.lecun.com/exdb/mnist/ (file format section).
public enum IDXFile {
  /// The magic number of unsigned-byte IDX3 (image) files.
  public static let imageMagic: UInt32 = 0x0000_0803
  /// The magic number of unsigned-byte IDX1 (label) files.
  public static let labelMagic: UInt32 = 0x0000_0801

  /// Reads the images of the IDX3 file at `url`, raw or gzip-compressed.
  /// - Throws: `ArrayFileError` naming the file: unreadable, corrupt gzip data, a wrong magic
  ///   number, or a data size that does not match the header.
  /// - Complexity: O(file size).
  public static func readImages(contentsOf url: URL) throws(ArrayFileError) -> IDXImages {
    try decodeImages(ArrayFileAccess.contents(of: url), file: url.relativePath)
  }

  /// Reads the labels of the IDX1 file at `url`, raw or gzip-compressed.
  /// - Throws: `ArrayFileError` naming the file, as `readImages(contentsOf:)`.
  public static func readLabels(contentsOf url: URL) throws(ArrayFileError) -> [UInt8] {
    try decodeLabels(ArrayFileAccess.contents(of: url), file: url.relativePath)
  }

  /// Decodes the bytes of an IDX3 image file (gzip-compressed or not); `file` names it in errors.
  public static func decodeImages(_ data: Data, file: String) throws(ArrayFileError) -> IDXImages {
    let (shape, payload) = try parse(data, magic: imageMagic, file: file)
    let pixels = Tensor(shape: [shape[0], shape[1] * shape[2]], scalars: payload.map { Float($0) })
    return IDXImages(rows: shape[1], columns: shape[2], pixels: pixels)
  }

  /// Decodes the bytes of an IDX1 label file (gzip-compressed or not); `file` names it in errors.
  public static func decodeLabels(_ data: Data, file: String) throws(ArrayFileError) -> [UInt8] {
    try parse(data, magic: labelMagic, file: file).payload
  }

  /// The bytes of an uncompressed IDX3 file holding `count` images of `rows` x `columns` pixels.
  public static func encodeImages(_ pixels: [UInt8], count: Int, rows: Int, columns: Int) -> Data {
    precondition(
      pixels.count == columns * rows * count,  // as `dataBytes` multiplies: no overflow on what it reads
      "IDXFile.encodeImages: \(pixels.count) pixels for \(count)x\(rows)x\(columns)")
    return encode(magic: imageMagic, shape: [count, rows, columns], payload: pixels)
  }

  /// The bytes of an uncompressed IDX1 file holding `labels`.
  public static func encodeLabels(_ labels: [UInt8]) -> Data {
    encode(magic: labelMagic, shape: [labels.count], payload: labels)
  }

  private static func encode(magic: UInt32, shape: [Int], payload: [UInt8]) -> Data {
    var out = Data()
    for word in [magic] + shape.map({ UInt32($0) }) {
      withUnsafeBytes(of: word.bigEndian) { out.append(contentsOf: $0) }
    }
    out.append(contentsOf: payload)
    return out
  }

  /// The dimensions and data bytes of an IDX file that must start with `magic`.
  private static func parse(_ data: Data, magic: UInt32, file: String) throws(ArrayFileError) -> (
    shape: [Int], payload: [UInt8]
  ) {
    let bytes = Gzip.isCompressed(data) ? try inflated(data, magic: magic, file: file) : [UInt8](data)
    let found = bytes.count >= 4 ? bigEndianWord(bytes, at: 0) : nil
    guard found == magic else { throw .malformedIDX(file: file, detail: magicProblem(found: found, expected: magic)) }
    let rank = Int(magic & 0xFF)
    let headerSize = 4 + 4 * rank
    guard bytes.count >= headerSize else {
      throw .malformedIDX(
        file: file, detail: "the header needs \(headerSize) bytes but the file has only \(bytes.count)")
    }
    let shape = (0..<rank).map { Int(bigEndianWord(bytes, at: 4 + 4 * $0)) }
    let expected = try dataBytes(shape, file: file)
    let actual = bytes.count - headerSize
    if actual < expected {
      throw .truncatedData(file: file, shape: shape, dataType: "uint8", expectedBytes: expected, actualBytes: actual)
    }
    if actual > expected {
      throw .trailingData(file: file, shape: shape, dataType: "uint8", expectedBytes: expected, actualBytes: actual)
    }
    return (shape, Array(bytes[headerSize...]))
  }

  /// The content of a gzip-compressed IDX file, inflated no further than its header allows: the
  /// header first, then at most the header plus the data its dimensions imply.
  private static func inflated(_ data: Data, magic: UInt32, file: String) throws(ArrayFileError) -> [UInt8] {
    let headerSize = 4 + 4 * Int(magic & 0xFF)
    let header = [UInt8](try Gzip.decompressedPrefix(data, file: file, count: headerSize))
    // A wrong magic or a short header is reported by the parser, on these bytes.
    guard header.count == headerSize, bigEndianWord(header, at: 0) == magic else { return header }
    let shape = (0..<Int(magic & 0xFF)).map { Int(bigEndianWord(header, at: 4 + 4 * $0)) }
    let (total, overflow) = try dataBytes(shape, file: file).addingReportingOverflow(headerSize)
    guard !overflow else { throw .malformedIDX(file: file, detail: "dimensions \(shape) are too large") }
    // The inflated bytes, their copies on the way (array, payload) and the data set's Float values.
    try ArrayFileError.checkMemory(
      .bytes(total) * 3 + .floats(total), file: file,
      for: "dimensions \(shape.map(String.init).joined(separator: " x "))")
    return [UInt8](try Gzip.decompress(data, file: file, maximumBytes: total))
  }

  /// The data bytes the dimensions `shape` imply (one byte per entry).
  ///
  /// Multiplied from the last dimension, so that the size of one item (rows x columns of an
  /// image, which `decodeImages` uses on its own) must fit even when the count is 0.
  /// - Throws: `ArrayFileError.malformedIDX` when a partial product overflows.
  private static func dataBytes(_ shape: [Int], file: String) throws(ArrayFileError) -> Int {
    var bytes = 1
    for extent in shape.reversed() {
      let (product, overflow) = bytes.multipliedReportingOverflow(by: extent)
      guard !overflow else { throw .malformedIDX(file: file, detail: "dimensions \(shape) are too large") }
      bytes = product
    }
    return bytes
  }

  private static func bigEndianWord(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
  }

  /// What is wrong with a magic number, naming the kind of file it belongs to when known.
  private static func magicProblem(found: UInt32?, expected: UInt32) -> String {
    func hex(_ value: UInt32) -> String {
      let digits = String(value, radix: 16)
      return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
    let want =
      expected == imageMagic ? "an image file (IDX3, magic 0x00000803)" : "a label file (IDX1, magic 0x00000801)"
    guard let found else { return "the file is shorter than the 4-byte magic number of \(want)" }
    switch found {
    case imageMagic: return "expected \(want) but this is an image file (magic 0x00000803)"
    case labelMagic: return "expected \(want) but this is a label file (magic 0x00000801)"
    default: return "expected \(want) but the magic number is \(hex(found))"
    }
  }
}
