// Loading a tensor from a .npy or .csv file chosen by extension, and the file access both share.

import Foundation
import SparsityCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The array file formats the toolkit reads, chosen by file extension.
public enum ArrayFileFormat: Sendable, Equatable {
  /// NumPy's binary `.npy` format; see `NPYFile`.
  case npy
  /// Comma-separated numbers, one row a line; see `CSVFile`.
  case csv

  /// The format for a path extension (case-insensitive), or nil when it is neither.
  public init?(pathExtension: String) {
    switch pathExtension.lowercased() {
    case "npy": self = .npy
    case "csv": self = .csv
    default: return nil
    }
  }
}

extension Tensor {
  /// Reads a tensor from a `.npy` file (any rank) or a `.csv` file (a rows x columns matrix),
  /// chosen by the file's extension.
  /// - Throws: `ArrayFileError` naming the file and the problem.
  public init(contentsOf url: URL) throws(ArrayFileError) {
    switch ArrayFileFormat(pathExtension: url.pathExtension) {
    case .npy: self = try NPYFile.read(contentsOf: url)
    case .csv: self = try CSVFile.read(contentsOf: url).values
    case nil:
      try ArrayFileAccess.checkIsFile(url)
      _ = try ArrayFileAccess.regularFileSize(url)  // /dev/zero is a device before it lacks an extension
      throw .unsupportedFormat(file: url.relativePath, pathExtension: url.pathExtension)
    }
  }
}

/// File access shared by the array readers and writers, and by every other reader of whole
/// files (plans), with errors that say what went wrong.
public enum ArrayFileAccess {
  /// The whole content of the regular file at `url`, after checking that its size fits in the
  /// memory budget.
  /// - Throws: `ArrayFileError.unreadable` for a missing file, a directory, a device or FIFO
  ///   (never read to its end) or a read failure; `.exceedsMemory` for a file too large.
  public static func contents(of url: URL) throws(ArrayFileError) -> Data {
    try checkIsFile(url)
    let size = try regularFileSize(url)
    try ArrayFileError.checkMemory(
      .bytes(size), file: url.relativePath, for: "its \(ArrayFileError.grouped(size)) bytes")
    // Foundation's reader leaks its 4 KiB buffer on an empty file (found by fuzzing).
    guard size > 0 else { return Data() }
    do {
      return try Data(contentsOf: url)
    } catch {
      let reason =
        FileManager.default.isReadableFile(atPath: url.path) ? "\(error.localizedDescription)" : "permission denied"
      throw .unreadable(file: url.relativePath, reason: reason)
    }
  }

  /// The size of the existing regular file at `url`, for readers that stream a file rather than
  /// read it whole.
  /// - Throws: `ArrayFileError.unreadable` for a missing file, a directory, a device or a FIFO.
  public static func regularFile(_ url: URL) throws(ArrayFileError) -> Int {
    try checkIsFile(url)
    return try regularFileSize(url)
  }

  /// Throws unless `url` names an existing file that is not a directory.
  static func checkIsFile(_ url: URL) throws(ArrayFileError) {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
      throw .unreadable(file: url.relativePath, reason: "no such file")
    }
    if isDirectory.boolValue { throw .unreadable(file: url.relativePath, reason: "is a directory") }
  }

  /// The size of the regular file at `url` (symbolic links followed).
  /// - Throws: `ArrayFileError.unreadable` naming what it is instead (a device such as
  ///   /dev/zero, a FIFO, a socket), which could never be read to its end.
  static func regularFileSize(_ url: URL) throws(ArrayFileError) -> Int {
    var status = stat()
    guard stat(url.path, &status) == 0 else {
      throw .unreadable(file: url.relativePath, reason: String(cString: strerror(errno)))
    }
    if let problem = FileKind.problem(mode: status.st_mode) {
      throw .unreadable(file: url.relativePath, reason: problem)
    }
    return Int(status.st_size)
  }

  /// Writes `data` to `url` atomically (see `AtomicFile`): a reader never sees a half-written
  /// file, and a killed writer leaves no temporary file behind.
  /// - Throws: `ArrayFileError.unwritable` naming the file.
  static func write(_ data: Data, to url: URL) throws(ArrayFileError) {
    do { try AtomicFile.write(data, to: url) } catch { throw .unwritable(file: error.file, reason: error.reason) }
  }
}
