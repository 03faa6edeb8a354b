// Turning unfiltered PNG scanlines into gray intensities.
import SparsityCore

/// Converts the samples of unfiltered PNG scanlines to gray intensities in 0...1.
///
/// Samples are packed most significant bit first (bit depths 1, 2, 4), one per byte (8) or
/// big-endian in two bytes (16), and scaled by `2^depth - 1`. Color becomes ITU-R BT.601 luma
/// (`GrayImage.luma`); a palette index is replaced by its entry's luma; alpha is ignored.
///
/// Reference: ISO/IEC 15948:2004 (PNG, second edition), sections 7.2 and 13.12.
struct PNGSamples {
  /// The header describing the sample layout.
  let header: PNGHeader
  /// The luma of each `PLTE` entry (empty unless the color type is `.palette`).
  let paletteLuma: [Float]
  /// The file, for error messages.
  let file: String

  /// The luma of each entry of a `PLTE` chunk.
  /// - Throws: `ArrayFileError.malformedImage` unless the chunk holds 1...256 RGB triples.
  static func paletteLuma(_ chunk: PNGChunk, file: String) throws(ArrayFileError) -> [Float] {
    let data = Array(chunk.data)
    guard data.count % 3 == 0, (3...768).contains(data.count) else {
      throw .malformedImage(file: file, detail: "PLTE has \(data.count) bytes, not 3 x (1...256) entries")
    }
    return stride(from: 0, to: data.count, by: 3).map { i in
      GrayImage.luma(red: Float(data[i]) / 255, green: Float(data[i + 1]) / 255, blue: Float(data[i + 2]) / 255)
    }
  }

  /// The intensities of `rows` unfiltered scanlines of `columns` pixels, each given to
  /// `store(row, column, intensity)`. Each scanline starts with its filter type byte.
  /// - Throws: `ArrayFileError.malformedImage` for a palette index without a palette entry.
  /// - Complexity: O(rows * columns * channels).
  func intensities(
    _ scanlines: UnsafeRawBufferPointer, columns: Int, rows: Int, store: (Int, Int, Float) -> Void
  ) throws(ArrayFileError) {
    let rowBytes = header.rowBytes(columns: columns)
    let channels = header.colorType.channels
    let maximum = Float((1 << header.bitDepth) - 1)  // divide, so sample k becomes exactly k / maximum
    let bytes = scanlines.bindMemory(to: UInt8.self)
    for row in 0..<rows {
      let rowStart = row * (1 + rowBytes) + 1
      for column in 0..<columns {
        let first = column * channels
        let sample = { (k: Int) -> Int in self.sample(bytes, rowStart: rowStart, index: first + k) }
        switch header.colorType {
        case .gray, .grayAlpha:
          store(row, column, Float(sample(0)) / maximum)
        case .rgb, .rgba:
          store(
            row, column,
            GrayImage.luma(
              red: Float(sample(0)) / maximum, green: Float(sample(1)) / maximum, blue: Float(sample(2)) / maximum))
        case .palette:
          let index = sample(0)
          guard index < paletteLuma.count else {
            throw .malformedImage(
              file: file,
              detail:
                "palette index \(index) at pixel (\(row), \(column)) of a pass, but PLTE has \(paletteLuma.count) entries"
            )
          }
          store(row, column, paletteLuma[index])
        }
      }
    }
  }

  /// The `index`-th sample of the scanline starting at byte `rowStart`.
  @inline(__always)
  private func sample(_ bytes: UnsafeBufferPointer<UInt8>, rowStart: Int, index: Int) -> Int {
    switch header.bitDepth {
    case 8: return Int(bytes[rowStart + index])
    case 16: return Int(bytes[rowStart + 2 * index]) << 8 | Int(bytes[rowStart + 2 * index + 1])
    default:
      let depth = header.bitDepth
      let bit = index * depth
      let shift = 8 - depth - bit % 8
      return Int(bytes[rowStart + bit / 8] >> UInt8(shift)) & ((1 << depth) - 1)
    }
  }
}
