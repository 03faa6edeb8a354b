// Reading a gray image from a PNG or PGM file, the format chosen by the first bytes.

import Foundation
import SparsityCore

/// Image files of any supported format, told apart by their magic bytes (not the extension).
///
/// PNG files start with `89 50 4E 47 0D 0A 1A 0A` (`PNGFile`); PGM files with `P5` or `P2`
/// (`PGMFile`).
public enum ImageFile {
  /// Reads the PNG or PGM image at `url` as gray intensities in 0...1.
  /// - Throws: `ArrayFileError.unsupportedImage` when the file is neither format, or the
  ///   format reader's error, each naming the file.
  /// - Complexity: O(file size + pixels).
  public static func read(contentsOf url: URL) throws(ArrayFileError) -> GrayImage {
    try decode(ArrayFileAccess.contents(of: url), file: url.relativePath)
  }

  /// Decodes the bytes of a PNG or PGM file; `file` names it in errors.
  /// - Throws: `ArrayFileError` as for `read(contentsOf:)`.
  public static func decode(_ data: Data, file: String) throws(ArrayFileError) -> GrayImage {
    if PNGChunks.hasSignature(data) { return try PNGFile.decode(data, file: file) }
    if PGMFile.hasMagic(data) { return try PGMFile.decode(data, file: file) }
    let start = data.prefix(8).map { String(format: "%02x", $0) }.joined(separator: " ")
    throw .unsupportedImage(file: file, detail: "not a PNG or PGM (P5/P2) file: it starts with [\(start)]")
  }
}
