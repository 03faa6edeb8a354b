// Writing a whole file atomically: a reader sees the old file or the new one, never a part, and a
// writer killed midway leaves no temporary file behind.

import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes whole files atomically: the one way Sparsity saves a file (arrays, models, images,
/// inference plans, reports).
///
/// The bytes go to a file in the destination's folder that is not yet the destination, are
/// flushed to disk (`fsync`), and that file then replaces the destination in one `rename`, so a
/// reader sees the old file or the new one, never a part of either, even after a crash.
///
/// On Linux the file is created unnamed (`O_TMPFILE`) and gets a name (`linkat`) only for the
/// instant before the rename, so a writer killed with `kill -9` while writing leaves nothing
/// behind. Where the file system has no unnamed files, and on other systems, the file is named
/// from the start. Its name, `.<name>.sparsity-<pid>-<8 hex digits>.tmp`, says which write made
/// it: each write first removes the temporaries of its destination whose process no longer runs,
/// and never touches anyone else's files.
///
/// The file gets the mode of a newly created file (`0666` less the umask), whatever the mode of
/// the file it replaces, as `Data.write(to:options: .atomic)` gives on Linux. A destination that
/// exists but is not a regular file (a directory, a FIFO, a device such as `/dev/null`, also
/// through a symbolic link) is refused, not replaced; a symbolic link to a regular file is
/// replaced by the new file.
public enum AtomicFile {
  /// How the bytes reach the folder: unnamed where the platform and file system allow, or named
  /// from the start (what other systems always do; tests use it to run that way on Linux).
  enum Method: Sendable {
    case unnamedWherePossible
    case named
  }

  /// Writes `data` to `url` atomically, replacing the file there.
  /// - Throws: `AtomicFileError` naming the file: the folder is missing or not a folder, the
  ///   destination is not a regular file, or the system refused (permission, space, ...).
  /// - Complexity: O(`data.count`) plus O(entries in the folder), which are listed to remove
  ///   temporaries that killed writers left.
  public static func write(_ data: Data, to url: URL) throws(AtomicFileError) {
    try write(data, to: url, method: .unnamedWherePossible)
  }

  /// Why `write(_:to:)` would refuse to replace what exists at `path` ("is a directory", "is a
  /// FIFO, not a regular file"), nil when nothing or a regular file is there: for checking an
  /// output path before the work that produces the file.
  public static func destinationProblem(_ path: String) -> String? {
    var status = stat()
    guard stat(path, &status) == 0 else { return nil }
    return FileKind.problem(mode: status.st_mode)
  }

  /// `write(_:to:)` the way `method` says.
  static func write(_ data: Data, to url: URL, method: Method) throws(AtomicFileError) {
    let file = url.relativePath
    let folder = url.deletingLastPathComponent()
    let directory = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard directory >= 0 else { throw folderError(errno, folder: folder, file: file) }
    defer { close(directory) }
    let destination = Destination(
      directory: directory, name: url.lastPathComponent, file: file,
      temporaries: AtomicFileTemporaries(for: url.lastPathComponent))
    try destination.checkReplaceable()
    destination.temporaries.removeAbandoned(in: directory, path: folder.path)
    #if os(Linux)
      if method == .unnamedWherePossible, let temporary = try destination.writeUnnamed(data) {
        try destination.replace(with: temporary)
        return
      }
    #endif
    try destination.replace(with: try destination.writeNamed(data))
  }

  /// The error for a folder that could not be opened, in the words the writers have always used.
  private static func folderError(_ code: Int32, folder: URL, file: String) -> AtomicFileError {
    switch code {
    case ENOENT: return AtomicFileError(file: file, reason: "directory \(folder.relativePath) does not exist")
    case ENOTDIR: return AtomicFileError(file: file, reason: "\(folder.relativePath) is not a directory")
    default: return AtomicFileError(file: file, errno: code)
    }
  }
}

#if os(Linux)
  /// `O_TMPFILE` of <fcntl.h>, which Swift does not import (it needs `_GNU_SOURCE`): the kernel's
  /// `__O_TMPFILE`, octal 20000000 on every architecture Swift runs on, with `O_DIRECTORY`.
  private let unnamedFileFlag: Int32 = 0o20_000_000 | O_DIRECTORY
#endif

/// Where one write goes: the open folder and the destination's name in it.
private struct Destination {
  /// The destination's folder, open.
  let directory: Int32
  /// The destination's last path component.
  let name: String
  /// The destination as it was given, for errors.
  let file: String
  /// The names of the destination's temporaries.
  let temporaries: AtomicFileTemporaries

  /// Throws unless the destination is missing or a regular file (symbolic links followed).
  func checkReplaceable() throws(AtomicFileError) {
    var status = stat()
    guard fstatat(directory, name, &status, 0) == 0 else {
      let code = errno
      if code == ENOENT { return }
      throw AtomicFileError(file: file, errno: code)
    }
    if let problem = FileKind.problem(mode: status.st_mode) { throw AtomicFileError(file: file, reason: problem) }
  }

  #if os(Linux)
    /// Writes `data` to an unnamed file in the folder, then names it as a temporary and returns
    /// that name; nil, having left nothing behind, where the file system has no unnamed files or
    /// the file cannot be named that way (no `/proc`).
    func writeUnnamed(_ data: Data) throws(AtomicFileError) -> String? {
      let descriptor = openat(directory, ".", unnamedFileFlag | O_WRONLY | O_CLOEXEC, 0o666)
      guard descriptor >= 0 else {
        let code = errno
        // Kernels before 3.11 answer EISDIR; file systems without O_TMPFILE, EOPNOTSUPP.
        if code == EOPNOTSUPP || code == EISDIR || code == EINVAL { return nil }
        throw AtomicFileError(file: file, errno: code)
      }
      defer { close(descriptor) }
      if let code = writeAndSync(data, to: descriptor) { throw AtomicFileError(file: file, errno: code) }
      for _ in 0..<8 {
        let temporary = temporaries.name()
        if linkat(AT_FDCWD, "/proc/self/fd/\(descriptor)", directory, temporary, AT_SYMLINK_FOLLOW) == 0 {
          return temporary
        }
        if errno != EEXIST { return nil }
      }
      return nil
    }
  #endif

  /// Writes `data` to a new temporary in the folder and returns its name.
  func writeNamed(_ data: Data) throws(AtomicFileError) -> String {
    for _ in 0..<8 {
      let temporary = temporaries.name()
      let descriptor = openat(directory, temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
      guard descriptor >= 0 else {
        let code = errno
        if code == EEXIST { continue }
        throw AtomicFileError(file: file, errno: code)
      }
      defer { close(descriptor) }
      if let code = writeAndSync(data, to: descriptor) {
        _ = unlinkat(directory, temporary, 0)
        throw AtomicFileError(file: file, errno: code)
      }
      return temporary
    }
    throw AtomicFileError(file: file, errno: EEXIST)
  }

  /// Renames `temporary` over the destination, then flushes the folder so the rename lasts;
  /// removes `temporary` when the rename fails.
  func replace(with temporary: String) throws(AtomicFileError) {
    guard renameat(directory, temporary, directory, name) == 0 else {
      let code = errno
      _ = unlinkat(directory, temporary, 0)
      throw AtomicFileError(file: file, errno: code)
    }
    // Best effort: the file is in place; a file system that cannot flush a folder says so harmlessly.
    _ = fsync(directory)
  }
}

/// Writes all of `data` to `descriptor`, however many calls it takes, then flushes the file to
/// disk; returns the `errno` of the first failure, or nil.
private func writeAndSync(_ data: Data, to descriptor: Int32) -> Int32? {
  let failure = data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Int32? in
    var offset = 0
    while offset < bytes.count {
      // At most 1 GiB a call: Linux writes at most about 2 GiB at once anyway.
      let written = write(descriptor, bytes.baseAddress! + offset, min(bytes.count - offset, 1 << 30))
      if written > 0 {
        offset += written
      } else if written < 0 && errno == EINTR {
        continue
      } else {
        return written == 0 ? EIO : errno
      }
    }
    return nil
  }
  if let failure { return failure }
  while fsync(descriptor) != 0 {
    let code = errno
    if code != EINTR { return code }
  }
  return nil
}
