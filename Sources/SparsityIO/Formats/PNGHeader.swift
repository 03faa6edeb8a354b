// The PNG image header (IHDR) and the pixel layout it implies.
import SparsityCore

/// The content of a PNG `IHDR` chunk: size, bit depth, color type and interlace method.
///
/// Reference: ISO/IEC 15948:2004 (PNG, second edition), section 11.2.2.
struct PNGHeader: Equatable {
  /// How each pixel's samples are to be read.
  enum ColorType: UInt8 {
    case gray = 0
    case rgb = 2
    case palette = 3
    case grayAlpha = 4
    case rgba = 6

    /// Samples per pixel.
    var channels: Int {
      switch self {
      case .gray, .palette: return 1
      case .grayAlpha: return 2
      case .rgb: return 3
      case .rgba: return 4
      }
    }

    /// The bit depths the PNG standard allows for this color type.
    var allowedBitDepths: [Int] {
      switch self {
      case .gray: return [1, 2, 4, 8, 16]
      case .palette: return [1, 2, 4, 8]
      case .rgb, .grayAlpha, .rgba: return [8, 16]
      }
    }
  }

  /// Columns, at least 1.
  let width: Int
  /// Rows, at least 1.
  let height: Int
  /// Bits per sample (per palette index for `.palette`).
  let bitDepth: Int
  /// The sample layout.
  let colorType: ColorType
  /// True for Adam7 interlacing, false for rows in order.
  let interlaced: Bool

  /// The header in an `IHDR` chunk.
  /// - Throws: `ArrayFileError.malformedImage` for a wrong length or a value the standard
  ///   forbids, `.unsupportedImage` for an image too large to decode.
  init(_ chunk: PNGChunk, file: String) throws(ArrayFileError) {
    guard chunk.type == "IHDR" else {
      throw .malformedImage(file: file, detail: "the first chunk is \(chunk.type), not IHDR")
    }
    guard chunk.data.count == 13 else {
      throw .malformedImage(file: file, detail: "IHDR has \(chunk.data.count) data bytes, not 13")
    }
    let d = Array(chunk.data)
    width = Int(PNGChunks.bigEndianUInt32(d, at: 0))
    height = Int(PNGChunks.bigEndianUInt32(d, at: 4))
    bitDepth = Int(d[8])
    guard (1...Int(Int32.max)).contains(width), (1...Int(Int32.max)).contains(height) else {
      throw .malformedImage(file: file, detail: "IHDR size \(width)x\(height) is outside 1...2^31 - 1")
    }
    guard let type = ColorType(rawValue: d[9]) else {
      throw .malformedImage(file: file, detail: "IHDR color type \(d[9]) is not 0, 2, 3, 4 or 6")
    }
    colorType = type
    guard type.allowedBitDepths.contains(bitDepth) else {
      throw .malformedImage(
        file: file, detail: "bit depth \(bitDepth) is not allowed for color type \(type.rawValue) (\(type))")
    }
    guard d[10] == 0, d[11] == 0 else {
      throw .malformedImage(file: file, detail: "IHDR compression method \(d[10]) / filter method \(d[11]) is not 0")
    }
    guard d[12] <= 1 else { throw .malformedImage(file: file, detail: "IHDR interlace method \(d[12]) is not 0 or 1") }
    interlaced = d[12] == 1
    try GrayImage.checkSize(width: width, height: height, file: file)
  }

  /// Bits of one complete pixel.
  var bitsPerPixel: Int { bitDepth * colorType.channels }

  /// The distance, in bytes, to the corresponding byte of the pixel to the left, as the filters
  /// use it: bytes per complete pixel, rounded up to 1.
  var filterStride: Int { max(1, bitsPerPixel / 8) }

  /// Bytes of one unfiltered scanline `columns` pixels wide (without the filter type byte).
  func rowBytes(columns: Int) -> Int { (columns * bitsPerPixel + 7) / 8 }

  /// e.g. `640x480, 8-bit color type 2, interlaced`, for messages.
  var layout: String {
    "\(width)x\(height), \(bitDepth)-bit color type \(colorType.rawValue)" + (interlaced ? ", interlaced" : "")
  }

  /// The 13 data bytes of an `IHDR` chunk for a non-interlaced image.
  static func bytes(width: Int, height: Int, bitDepth: Int, colorType: ColorType) -> [UInt8] {
    var out = [UInt8]()
    PNGChunks.appendBigEndian(UInt32(width), to: &out)
    PNGChunks.appendBigEndian(UInt32(height), to: &out)
    return out + [UInt8(bitDepth), colorType.rawValue, 0, 0, 0]
  }
}

/// One pass of an interlaced image: the pixels at `rowStart + k * rowStep`, `columnStart + k * columnStep`.
struct PNGPass: Equatable {
  let rowStart: Int, columnStart: Int, rowStep: Int, columnStep: Int

  /// The whole image in one pass (no interlacing).
  static let whole = PNGPass(rowStart: 0, columnStart: 0, rowStep: 1, columnStep: 1)

  /// The seven passes of Adam7 (ISO/IEC 15948, section 8.2).
  static let adam7 = [
    PNGPass(rowStart: 0, columnStart: 0, rowStep: 8, columnStep: 8),
    PNGPass(rowStart: 0, columnStart: 4, rowStep: 8, columnStep: 8),
    PNGPass(rowStart: 4, columnStart: 0, rowStep: 8, columnStep: 4),
    PNGPass(rowStart: 0, columnStart: 2, rowStep: 4, columnStep: 4),
    PNGPass(rowStart: 2, columnStart: 0, rowStep: 4, columnStep: 2),
    PNGPass(rowStart: 0, columnStart: 1, rowStep: 2, columnStep: 2),
    PNGPass(rowStart: 1, columnStart: 0, rowStep: 2, columnStep: 1),
  ]

  /// The pass's (columns, rows) in an image of `width` x `height`; either may be 0.
  func size(width: Int, height: Int) -> (columns: Int, rows: Int) {
    (max(0, (width - columnStart + columnStep - 1) / columnStep), max(0, (height - rowStart + rowStep - 1) / rowStep))
  }
}
