// Writing a report to disk: DIR/index.html and its PNG files, each atomically.

import Foundation
import SparsityIO

/// Writes a `ReportDocument` into a folder that opens offline: `index.html` and the PNG file of
/// every image, referenced by relative name.
public enum ReportWriter {
  /// The page's file name inside the report folder.
  public static let indexFileName = "index.html"

  /// Writes `document` into `directory` (created with its parents when missing): first every
  /// image, then `index.html`, each file atomically (a temporary file renamed into place), so a
  /// page never references a file that is missing. Other files in the folder are left alone.
  /// - Returns: the URL of `index.html`.
  /// - Throws: `ReportError` naming the directory or file that could not be written.
  /// - Complexity: O(size of the page and images).
  @discardableResult
  public static func write(_ document: ReportDocument, to directory: URL) throws(ReportError) -> URL {
    let names = document.images.map(\.fileName)
    precondition(
      Set(names.map { $0.lowercased() }).count == names.count, "ReportWriter: two images share a file name: \(names)")
    precondition(
      !names.contains { $0.lowercased() == indexFileName }, "ReportWriter: an image cannot be called \(indexFileName)")
    try prepare(directory)
    for image in document.images {
      try write(image.png, to: directory.appendingPathComponent(image.fileName))
    }
    let index = directory.appendingPathComponent(indexFileName)
    try write(Data(document.html().utf8), to: index)
    return index
  }

  /// Creates `directory` when missing; throws when it is a file or cannot be created.
  private static func prepare(_ directory: URL) throws(ReportError) {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else {
        throw .unusableDirectory(path: directory.relativePath, reason: "a file of that name exists")
      }
      guard FileManager.default.isWritableFile(atPath: directory.path) else {
        throw .unusableDirectory(path: directory.relativePath, reason: "permission denied")
      }
      return
    }
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw .unusableDirectory(path: directory.relativePath, reason: "cannot create it (\(error.localizedDescription))")
    }
  }

  private static func write(_ data: Data, to url: URL) throws(ReportError) {
    do { try AtomicFile.write(data, to: url) } catch { throw .unwritableFile(path: error.file, reason: error.reason) }
  }
}
