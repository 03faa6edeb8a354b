// Reading PNG images as gray, writing gray and RGB PNG images.

import Foundation
import SparsityCore

/// Portable Network Graphics files.
///
/// Reading accepts every standard PNG: color types 0 (gray), 2 (RGB), 3 (palette), 4 (gray and
/// alpha) and 6 (RGBA) at every bit depth the standard allows (1, 2, 4, 8, 16), all five
/// scanline filters, and Adam7 interlacing. Color becomes ITU-R BT.601 luma; alpha and ancillary
/// chunks (gamma, transparency, text...) are ignored. Writing produces 8-bit gray (or RGB),
/// filter None, one zlib-compressed `IDAT` chunk.
///
/// Reference: ISO/IEC 15948:2004, "Portable Network Graphics (PNG) Specification (Second
/// Edition)"; https://www.w3.org/TR/png/
public enum PNGFile {
  /// Reads the PNG file at `url` as a gray image.
  /// - Throws: `ArrayFileError` naming the file and the problem.
  /// - Complexity: O(file size + pixels).
  public static func read(contentsOf url: URL) throws(ArrayFileError) -> GrayImage {
    try decode(ArrayFileAccess.contents(of: url), file: url.relativePath)
  }

  /// Writes `image` as an 8-bit gray PNG, atomically (a temporary file renamed into place).
  /// - Throws: `ArrayFileError.unwritable` naming the file.
  public static func write(_ image: GrayImage, to url: URL) throws(ArrayFileError) {
    try ArrayFileAccess.write(encode(image), to: url)
  }

  /// Writes an 8-bit RGB PNG of `width` x `height` pixels, atomically.
  /// - Parameters:
  ///   - rgb: interleaved red, green, blue intensities in 0...1, row-major (`3 * width * height`).
  ///   - width: the image's width in pixels.
  ///   - height: the image's height in pixels.
  ///   - url: the file to write.
  /// - Throws: `ArrayFileError.unwritable` naming the file.
  public static func writeRGB(_ rgb: [Float], width: Int, height: Int, to url: URL) throws(ArrayFileError) {
    try ArrayFileAccess.write(encodeRGB(rgb, width: width, height: height), to: url)
  }

  /// The bytes of an 8-bit gray PNG holding `image` (intensities rounded to `k / 255`).
  /// - Complexity: O(pixels).
  public static func encode(_ image: GrayImage, level: Int = 6) -> Data {
    encode(samples: image.bytes, width: image.width, height: image.height, colorType: .gray, level: level)
  }

  /// The bytes of an 8-bit RGB PNG; `rgb` holds interleaved red, green, blue intensities in 0...1.
  /// - Complexity: O(pixels).
  public static func encodeRGB(_ rgb: [Float], width: Int, height: Int, level: Int = 6) -> Data {
    precondition(
      rgb.count == 3 * width * height,
      "PNGFile.encodeRGB: \(width)x\(height) needs \(3 * width * height) values, got \(rgb.count)")
    return encode(samples: rgb.map { GrayImage.byte($0) }, width: width, height: height, colorType: .rgb, level: level)
  }

  /// Decodes the bytes of a PNG file as a gray image; `file` names it in errors.
  /// - Throws: `ArrayFileError.malformedImage` for a bad signature, CRC mismatch, truncation,
  ///   invalid header or a decompressed size that does not match the header;
  ///   `.unsupportedImage` for an unknown critical chunk; `.corruptCompressedData` for bad zlib data.
  public static func decode(_ data: Data, file: String) throws(ArrayFileError) -> GrayImage {
    let chunks = try PNGChunks.parse([UInt8](data), file: file)
    let header = try PNGHeader(chunks[0], file: file)
    var palette = [Float]()
    var compressed = Data()
    for chunk in chunks.dropFirst() {
      switch chunk.type {
      case "IDAT": compressed.append(contentsOf: chunk.data)
      case "PLTE": palette = try PNGSamples.paletteLuma(chunk, file: file)
      case "IEND": break
      case "IHDR":
        throw .malformedImage(file: file, detail: "a second IHDR chunk at byte \(ArrayFileError.grouped(chunk.offset))")
      default:
        if chunk.isCritical {
          throw .unsupportedImage(
            file: file, detail: "unknown critical chunk \(chunk.type) at byte \(ArrayFileError.grouped(chunk.offset))")
        }
      }
    }
    guard !compressed.isEmpty else {
      throw .malformedImage(file: file, detail: "there is no IDAT chunk (no image data)")
    }
    if header.colorType == .palette && palette.isEmpty {
      throw .malformedImage(file: file, detail: "color type 3 (palette) but there is no PLTE chunk")
    }
    let expected = dataBytes(header)
    try ArrayFileError.checkMemory(
      .floats(header.width, header.height) + .bytes(expected), file: file,
      for: "a \(header.width)x\(header.height) image")
    var raw: Data
    do { raw = try Gzip.decompress(compressed, file: file, maximumBytes: expected) } catch {
      guard case .inflatesPastLimit = error else { throw error }
      throw .malformedImage(
        file: file,
        detail: "image data decompresses to more than \(ArrayFileError.grouped(expected)) bytes,"
          + " but \(header.layout) needs \(ArrayFileError.grouped(expected))")
    }
    guard raw.count == expected else {
      throw .malformedImage(
        file: file,
        detail: "image data decompresses to \(ArrayFileError.grouped(raw.count)) bytes,"
          + " but \(header.layout) needs \(ArrayFileError.grouped(expected))")
    }
    let samples = PNGSamples(header: header, paletteLuma: palette, file: file)
    var pixels = [Float](repeating: 0, count: header.width * header.height)
    let result: Result<Void, ArrayFileError> = raw.withUnsafeMutableBytes { bytes in
      pixels.withUnsafeMutableBufferPointer { pixels in
        Result { () throws(ArrayFileError) in try decodePasses(bytes, samples: samples, into: pixels, file: file) }
      }
    }
    try result.get()
    return GrayImage(width: header.width, height: header.height, pixels: pixels)
  }

  /// The bytes of the decompressed, still filtered data the header implies: per pass, each row's
  /// filter byte and pixels. `GrayImage.checkSize` caps the pixels at 2^28, so this cannot overflow.
  private static func dataBytes(_ header: PNGHeader) -> Int {
    let passes = header.interlaced ? PNGPass.adam7 : [PNGPass.whole]
    return passes.map { $0.size(width: header.width, height: header.height) }.reduce(0) {
      $0 + ($1.columns == 0 ? 0 : $1.rows * (1 + header.rowBytes(columns: $1.columns)))
    }
  }

  /// Unfilters each pass of the decompressed data in place and writes its intensities to their
  /// places in `pixels`, so that no copy of the image is made on the way.
  private static func decodePasses(
    _ raw: UnsafeMutableRawBufferPointer, samples: PNGSamples, into pixels: UnsafeMutableBufferPointer<Float>,
    file: String
  ) throws(ArrayFileError) {
    let header = samples.header
    let passes = header.interlaced ? PNGPass.adam7 : [PNGPass.whole]
    var offset = 0
    for (number, pass) in passes.enumerated() {
      let size = pass.size(width: header.width, height: header.height)
      guard size.columns > 0 && size.rows > 0 else { continue }
      let rowBytes = header.rowBytes(columns: size.columns)
      let scanlines = UnsafeMutableRawBufferPointer(rebasing: raw[offset..<(offset + size.rows * (1 + rowBytes))])
      try PNGFilters.unfilter(
        scanlines, rows: size.rows, rowBytes: rowBytes, stride: header.filterStride,
        pass: header.interlaced ? number + 1 : nil, file: file)
      try samples.intensities(UnsafeRawBufferPointer(scanlines), columns: size.columns, rows: size.rows) {
        row, column, value in
        pixels[(pass.rowStart + row * pass.rowStep) * header.width + pass.columnStart + column * pass.columnStep] =
          value
      }
      offset += size.rows * (1 + rowBytes)
    }
  }

  /// A non-interlaced 8-bit PNG of interleaved `samples`, every scanline with filter None.
  private static func encode(samples: [UInt8], width: Int, height: Int, colorType: PNGHeader.ColorType, level: Int)
    -> Data
  {
    precondition(width >= 1 && height >= 1, "PNGFile.encode: a PNG needs at least 1x1 pixels, got \(width)x\(height)")
    let rowBytes = width * colorType.channels
    var scanlines = [UInt8]()
    scanlines.reserveCapacity(height * (rowBytes + 1))
    for row in 0..<height {
      scanlines.append(0)
      scanlines += samples[(row * rowBytes)..<((row + 1) * rowBytes)]
    }
    var out = PNGChunks.signature
    PNGChunks.append(
      type: "IHDR", data: PNGHeader.bytes(width: width, height: height, bitDepth: 8, colorType: colorType), to: &out)
    PNGChunks.append(type: "IDAT", data: [UInt8](Gzip.compress(Data(scanlines), format: .zlib, level: level)), to: &out)
    PNGChunks.append(type: "IEND", data: [], to: &out)
    return Data(out)
  }
}
