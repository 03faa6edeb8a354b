// Reversing the five PNG scanline filters (None, Sub, Up, Average, Paeth).
import SparsityCore

/// The PNG scanline filters of filter method 0.
///
/// Each scanline starts with a filter type byte; its bytes `x` were stored as `x - predictor`
/// (mod 256), where the predictor uses `a` (the byte `filterStride` to the left), `b` (the byte
/// above) and `c` (above-left), all 0 outside the image:
/// None 0, Sub `a`, Up `b`, Average `floor((a + b) / 2)`, Paeth `paeth(a, b, c)`.
///
/// Reference: ISO/IEC 15948:2004 (PNG, second edition), section 9.
enum PNGFilters {
  /// Unfilters the scanlines of one pass in place: each row keeps its filter type byte and its
  /// `rowBytes` bytes become the unfiltered ones.
  /// - Parameters:
  ///   - scanlines: the pass's decompressed data, `rows * (1 + rowBytes)` bytes.
  ///   - stride: bytes per complete pixel, at least 1.
  ///   - pass: the 1-based interlace pass number for error messages, nil when not interlaced.
  /// - Throws: `ArrayFileError.malformedImage` for a filter type byte above 4.
  /// - Complexity: O(rows * rowBytes).
  static func unfilter(
    _ scanlines: UnsafeMutableRawBufferPointer, rows: Int, rowBytes: Int, stride: Int, pass: Int?, file: String
  ) throws(ArrayFileError) {
    precondition(scanlines.count == rows * (1 + rowBytes), "PNGFilters.unfilter: wrong scanline bytes")
    let bytes = scanlines.bindMemory(to: UInt8.self)
    for row in 0..<rows {
      let start = row * (rowBytes + 1)
      let type = bytes[start]
      guard type <= 4 else {
        let place = pass.map { "scanline \(row) of interlace pass \($0)" } ?? "scanline \(row)"
        throw .malformedImage(file: file, detail: "\(place) has filter type \(type); only 0...4 exist")
      }
      unfilterRow(type: type, bytes: bytes, at: start + 1, rowBytes: rowBytes, hasPrevious: row > 0, stride: stride)
    }
  }

  /// Unfilters the row at `bytes[base..<base + rowBytes]` in place; the unfiltered row above
  /// ends one byte (its successor's filter type) before it.
  private static func unfilterRow(
    type: UInt8, bytes: UnsafeMutableBufferPointer<UInt8>, at base: Int, rowBytes: Int, hasPrevious: Bool,
    stride: Int
  ) {
    let above = base - rowBytes - 1
    for i in 0..<rowBytes {
      let a = i >= stride ? bytes[base + i - stride] : 0
      let b = hasPrevious ? bytes[above + i] : 0
      let predictor: UInt8
      switch type {
      case 0: predictor = 0
      case 1: predictor = a
      case 2: predictor = b
      case 3: predictor = UInt8((Int(a) + Int(b)) / 2)
      default:
        let c = hasPrevious && i >= stride ? bytes[above + i - stride] : 0
        predictor = paeth(a, b, c)
      }
      bytes[base + i] = bytes[base + i] &+ predictor
    }
  }

  /// The Paeth predictor: whichever of `a`, `b`, `c` is closest to `a + b - c` (ties: a, b, c).
  ///
  /// Reference: A. W. Paeth, "Image File Compression Made Easy", Graphics Gems II (1991).
  static func paeth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
    let p = Int(a) + Int(b) - Int(c)
    let pa = abs(p - Int(a))
    let pb = abs(p - Int(b))
    let pc = abs(p - Int(c))
    if pa <= pb && pa <= pc { return a }
    return pb <= pc ? b : c
  }
}
