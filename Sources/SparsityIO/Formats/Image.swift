// A grayscale image with Float intensities, the common currency of the image readers and writers.
import SparsityCore

/// A grayscale image: `height` rows of `width` intensities in 0...1 (0 black, 1 white), row-major.
///
/// Readers (`PNGFile`, `PGMFile`, `ImageFile`) produce it; `PNGFile` writes it; `Patches` cuts it
/// into training vectors; `ImageGrid` builds one from many small tiles.
public struct GrayImage: Equatable, Sendable {
  /// The number of columns.
  public let width: Int
  /// The number of rows.
  public let height: Int
  /// The intensities, row after row: pixel (row r, column c) is `pixels[r * width + c]`.
  public var pixels: [Float]

  /// The most pixels a reader decodes: 2^28 (16384 x 16384), 1 GiB of intensities. Larger
  /// images are refused before any pixel is read; tile them first.
  public static let maximumPixels = 1 << 28

  /// Throws unless a `width` x `height` image is within `maximumPixels`.
  /// - Throws: `ArrayFileError.unsupportedImage` naming `file`.
  static func checkSize(width: Int, height: Int, file: String) throws(ArrayFileError) {
    let (count, overflow) = width.multipliedReportingOverflow(by: height)
    guard !overflow, count <= maximumPixels else {
      throw .unsupportedImage(
        file: file,
        detail: "\(width)x\(height) pixels is more than this reader decodes (2^28 = 16384 x 16384); tile the image")
    }
  }

  /// An image from row-major intensities; `pixels.count` must be `width * height`.
  public init(width: Int, height: Int, pixels: [Float]) {
    precondition(width >= 0 && height >= 0, "GrayImage: negative size \(width)x\(height)")
    precondition(
      pixels.count == width * height,
      "GrayImage: \(width)x\(height) needs \(width * height) pixels, got \(pixels.count)")
    self.width = width
    self.height = height
    self.pixels = pixels
  }

  /// An image of the given size filled with `value`.
  public init(width: Int, height: Int, repeating value: Float) {
    self.init(width: width, height: height, pixels: Array(repeating: value, count: width * height))
  }

  /// The intensity at (`row`, `column`), both 0-based from the top-left corner.
  public subscript(row: Int, column: Int) -> Float {
    get {
      precondition(contains(row: row, column: column), "GrayImage: (\(row), \(column)) outside \(width)x\(height)")
      return pixels[row * width + column]
    }
    set {
      precondition(contains(row: row, column: column), "GrayImage: (\(row), \(column)) outside \(width)x\(height)")
      pixels[row * width + column] = newValue
    }
  }

  /// True when (`row`, `column`) is inside the image.
  public func contains(row: Int, column: Int) -> Bool {
    (0..<height).contains(row) && (0..<width).contains(column)
  }

  /// The intensities as an 8-bit sample each: `round(clamp(v, 0, 1) * 255)`.
  ///
  /// Any intensity `k / 255` maps back to `k`, so 8-bit images survive a write and read exactly.
  public var bytes: [UInt8] {
    pixels.map { Self.byte($0) }
  }

  /// One intensity as an 8-bit sample (NaN becomes 0).
  static func byte(_ value: Float) -> UInt8 {
    guard value > 0 else { return 0 }
    return UInt8(min(value, 1) * 255 + 0.5)
  }

  /// The ITU-R BT.601 luma of a color: `0.299 r + 0.587 g + 0.114 b`.
  ///
  /// Reference: ITU-R Recommendation BT.601-7, "Studio encoding parameters of digital
  /// television" (2011), section 2.5.1.
  public static func luma(red: Float, green: Float, blue: Float) -> Float {
    0.299 * red + 0.587 * green + 0.114 * blue
  }
}
