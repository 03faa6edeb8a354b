// Where an experiment writes, checked before it runs rather than after it has trained.

import Foundation
import SparsityIO

/// Checks of output paths, made before any training so that a bad path fails in a second, not
/// after an hour.
public enum OutputPath {
  /// `checkDirectory` for an HTML report's directory: `index.html` and its `.png` images.
  public static func checkReportDirectory(_ path: String, option: String) throws(ExperimentError) -> URL {
    try checkDirectory(path, option: option, files: ["index.html"], extensions: ["png"])
  }

  /// `directory` for an HTML report's directory: `index.html` and its `.png` images.
  public static func reportDirectory(_ path: String, option: String) throws(ExperimentError) -> URL {
    try directory(path, option: option, files: ["index.html"], extensions: ["png"])
  }

  /// `path` as a directory URL, created (with its parents) when missing; `files` and
  /// `extensions` as in `checkDirectory`.
  /// - Throws: `ExperimentError.invalidSetting` naming `option` when `path` is empty, is a file,
  ///   is not writable or cannot be created, or holds an entry the run cannot replace.
  public static func directory(
    _ path: String, option: String, files: [String] = [], extensions: [String] = []
  ) throws(ExperimentError) -> URL {
    let url = try checkDirectory(path, option: option, files: files, extensions: extensions)
    do {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    } catch {
      throw .invalidSetting(
        option: option, value: path, expected: "a directory that can be created (\(error.localizedDescription))")
    }
    return url
  }

  /// `path` as a directory URL that exists and is writable or can be created, without creating
  /// it (so a run that fails later leaves nothing behind). `files` are the names the run will
  /// write inside it, `extensions` the extensions of the others (a report's `.png` images):
  /// where one exists already, it must be a file that can be replaced.
  /// - Throws: `ExperimentError.invalidSetting` naming `option` when `path` is empty (which
  ///   would mean the working directory), is a file, is not writable, lies under something that
  ///   is not a writable directory, or holds one of `files` as a directory, a FIFO or a device.
  public static func checkDirectory(
    _ path: String, option: String, files: [String] = [], extensions: [String] = []
  ) throws(ExperimentError) -> URL {
    guard !path.isEmpty else {
      throw .invalidSetting(option: option, value: path, expected: "a directory path (use . for this directory)")
    }
    let url = URL(fileURLWithPath: path)
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else {
        throw .invalidSetting(option: option, value: path, expected: "a directory (a file of that name exists)")
      }
      guard FileManager.default.isWritableFile(atPath: url.path) else {
        throw .invalidSetting(option: option, value: path, expected: "a writable directory")
      }
      let existing = extensions.isEmpty ? [] : (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
      let matching = existing.filter { name in extensions.contains { name.hasSuffix(".\($0)") } }
      for name in files + matching.sorted() {
        let file = url.appendingPathComponent(name).path
        if let problem = AtomicFile.destinationProblem(file) {
          throw .invalidSetting(
            option: option, value: path, expected: "a directory where \(name) can be written (\(file) \(problem))")
        }
      }
      return url
    }
    if let blocking = blockingAncestor(of: url) {
      throw .invalidSetting(
        option: option, value: path,
        expected: "a directory that can be created (\(blocking) is not a writable directory)")
    }
    return url
  }

  /// The nearest existing ancestor of `url` when it is not a writable directory (a file, say),
  /// which is why no directory can be created at `url`; nil otherwise.
  private static func blockingAncestor(of url: URL) -> String? {
    var ancestor = url.deletingLastPathComponent()
    while ancestor.path != "/" && !FileManager.default.fileExists(atPath: ancestor.path) {
      ancestor.deleteLastPathComponent()
    }
    return isWritableDirectory(ancestor.path) ? nil : ancestor.path
  }

  /// True when `path` is an existing directory this process may write in (a regular file is
  /// writable too, but nothing can be created inside it).
  private static func isWritableDirectory(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
      && FileManager.default.isWritableFile(atPath: path)
  }

  /// Checks that a file can be written at `path`: a non-empty path that is not a directory, in
  /// an existing, writable directory.
  /// - Throws: `ExperimentError.invalidSetting` naming `option` and saying which of these fails.
  public static func checkFile(_ path: String, option: String) throws(ExperimentError) {
    let expected = "a file path in an existing, writable directory"
    guard !path.isEmpty else { throw .invalidSetting(option: option, value: path, expected: expected) }
    if let problem = AtomicFile.destinationProblem(path) {
      throw .invalidSetting(option: option, value: path, expected: expected + " (it \(problem))")
    }
    let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
    guard isWritableDirectory(directory) else {
      throw .invalidSetting(option: option, value: path, expected: expected + " (\(directory) is not)")
    }
  }
}
