// Raster images in a report: PNG files next to index.html, referenced relatively.

import Foundation
import SparsityCore
import SparsityIO

/// A PNG image of a report: the encoded file, the name it is written under in the report
/// folder, and its alternative text and caption.
public struct ReportImage: Sendable, Equatable {
  /// The file name inside the report folder, e.g. `atoms.png`: letters, digits, `.`, `-`, `_`.
  public let fileName: String
  /// The PNG file's bytes.
  public let png: Data
  /// The image width in pixels.
  public let width: Int
  /// The image height in pixels.
  public let height: Int
  /// What the image shows, for readers who cannot see it (`alt`).
  public var alternativeText: String
  /// The caption under the image.
  public var caption: String
  /// The displayed size is `scale` times the pixel size, sharp-edged (`image-rendering: pixelated`),
  /// so that an 8x8 digit can be shown at 64x64.
  public var scale: Int

  /// A gray image, encoded as an 8-bit gray PNG.
  public init(fileName: String, gray image: GrayImage, alternativeText: String, caption: String, scale: Int = 1) {
    self.init(
      fileName: fileName, png: PNGFile.encode(image), width: image.width, height: image.height,
      alternativeText: alternativeText, caption: caption, scale: scale)
  }

  /// A color image from interleaved red, green, blue intensities in 0...1, encoded as an 8-bit RGB PNG.
  public init(
    fileName: String, rgb: [Float], width: Int, height: Int, alternativeText: String, caption: String, scale: Int = 1
  ) {
    self.init(
      fileName: fileName, png: PNGFile.encodeRGB(rgb, width: width, height: height), width: width, height: height,
      alternativeText: alternativeText, caption: caption, scale: scale)
  }

  private init(
    fileName: String, png: Data, width: Int, height: Int, alternativeText: String, caption: String, scale: Int
  ) {
    precondition(
      Self.isPlainFileName(fileName),
      "ReportImage: '\(fileName)' must be a plain .png file name (letters, digits, '.', '-', '_')")
    precondition(scale >= 1, "ReportImage: scale must be at least 1, got \(scale)")
    self.fileName = fileName
    self.png = png
    self.width = width
    self.height = height
    self.alternativeText = alternativeText
    self.caption = caption
    self.scale = scale
  }

  /// True for names like `atoms.png`: ASCII letters, digits, `.`, `-`, `_`, ending in `.png`,
  /// not starting with a dot, so the file stays inside the report folder.
  static func isPlainFileName(_ name: String) -> Bool {
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")
    return name.lowercased().hasSuffix(".png") && !name.hasPrefix(".") && name.count <= 200
      && name.allSatisfy { allowed.contains($0) }
  }

  /// The `<figure>` showing the image, with its caption.
  func html() -> String {
    "<figure><img src=\"\(XMLText.escape(fileName))\" alt=\"\(XMLText.escape(alternativeText))\" width=\"\(width * scale)\" height=\"\(height * scale)\""
      + "\(scale > 1 ? " class=\"pixelated\"" : "")/>"
      + "<figcaption>\(XMLText.escape(caption))</figcaption></figure>"
  }
}
