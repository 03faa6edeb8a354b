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
  /// The unfiltered scanlines of one pass, concatenated (`rows * rowBytes` bytes).
  /// - Parameters:
  ///   - data: the decompressed image data; the pass starts at `start` and takes
  ///     `rows * (1 + rowBytes)` bytes (the caller has checked they exist).
  ///   - stride: bytes per complete pixel, at least 1.
  ///   - pass: the 1-based interlace pass number for error messages, nil when not interlaced.
  /// - Throws: `ArrayFileError.malformedImage` for a filter type byte above 4.
  /// - Complexity: O(rows * rowBytes).
  static func unfilter(
    _ data: [UInt8], start: Int, rows: Int, rowBytes: Int, stride: Int, pass: Int?, file: String
  ) throws(ArrayFileError) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: rows * rowBytes)
    for row in 0..<rows {
      let source = start + row * (rowBytes + 1)
      let type = data[source]
      guard type <= 4 else {
        let place = pass.map { "scanline \(row) of interlace pass \($0)" } ?? "scanline \(row)"
        throw .malformedImage(file: file, detail: "\(place) has filter type \(type); only 0...4 exist")
      }
      data.withUnsafeBufferPointer { input in
        out.withUnsafeMutableBufferPointer { output in
          unfilterRow(
            type: type, input: UnsafeBufferPointer(rebasing: input[(source + 1)..<(source + 1 + rowBytes)]),
            output: output, at: row * rowBytes, rowBytes: rowBytes, hasPrevious: row > 0, stride: stride)
        }
      }
    }
    return out
  }

  /// Writes one unfiltered row to `output[at..<at + rowBytes]`; the row above sits just before it.
  private static func unfilterRow(
    type: UInt8, input: UnsafeBufferPointer<UInt8>, output: UnsafeMutableBufferPointer<UInt8>,
    at base: Int, rowBytes: Int, hasPrevious: Bool, stride: Int
  ) {
    for i in 0..<rowBytes {
      let a = i >= stride ? output[base + i - stride] : 0
      let b = hasPrevious ? output[base + i - rowBytes] : 0
      let predictor: UInt8
      switch type {
      case 0: predictor = 0
      case 1: predictor = a
      case 2: predictor = b
      case 3: predictor = UInt8((Int(a) + Int(b)) / 2)
      default:
        let c = hasPrevious && i >= stride ? output[base + i - rowBytes - stride] : 0
        predictor = paeth(a, b, c)
      }
      output[base + i] = input[i] &+ predictor
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
