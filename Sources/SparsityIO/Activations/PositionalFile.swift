// A file opened for reading at given byte offsets (pread), for files too large to read whole.

import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A regular file open for reading, read at byte offsets with `pread`: no file position is
/// shared, so reads from several threads do not interfere, and nothing is mapped, so a file
/// larger than memory costs only the bytes read. The descriptor closes when the value dies.
final class PositionalFile: @unchecked Sendable {
  /// The file as it was given, for errors.
  let file: String
  /// The size when the file was opened.
  let size: Int
  private let descriptor: Int32

  /// Opens the regular file at `url`.
  /// - Throws: `ArrayFileError.unreadable` for a missing file, a directory, a device, a FIFO
  ///   (checked before opening, so opening a FIFO cannot block) or a refused open.
  init(_ url: URL) throws(ArrayFileError) {
    file = url.relativePath
    try ArrayFileAccess.checkIsFile(url)
    size = try ArrayFileAccess.regularFileSize(url)
    descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .unreadable(file: file, reason: String(cString: strerror(errno))) }
  }

  /// Opens again a file checked before (by `init(_:)`) that had `size` bytes then, without
  /// checking it again: the cheap open of every read of a data set. A file that has become a
  /// FIFO does not block the open (`O_NONBLOCK`); one that shrank fails its reads.
  /// - Throws: `ArrayFileError.unreadable` for a refused open.
  init(reopening url: URL, size: Int) throws(ArrayFileError) {
    file = url.relativePath
    self.size = size
    descriptor = open(url.path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard descriptor >= 0 else { throw .unreadable(file: file, reason: String(cString: strerror(errno))) }
  }

  deinit { close(descriptor) }

  /// Reads `count` bytes at byte `offset` into `destination`, retrying short reads and
  /// interrupted calls.
  /// - Throws: `ArrayFileError.unreadable` for a read error, or when the file ends before
  ///   `offset + count` (it shrank since it was checked).
  func read(into destination: UnsafeMutableRawPointer, count: Int, at offset: Int) throws(ArrayFileError) {
    var done = 0
    while done < count {
      let got = pread(descriptor, destination + done, count - done, off_t(offset + done))
      if got > 0 {
        done += got
      } else if got == 0 {
        throw .unreadable(
          file: file,
          reason: "the file ends at byte \(ArrayFileError.grouped(offset + done)), before byte"
            + " \(ArrayFileError.grouped(offset + count)) (did it change while being read?)")
      } else if errno != EINTR {
        throw .unreadable(file: file, reason: String(cString: strerror(errno)))
      }
    }
  }

  /// The `count` bytes at `offset`, or fewer when the file ends first.
  /// - Throws: `ArrayFileError.unreadable` for a read error.
  func bytes(count: Int, at offset: Int) throws(ArrayFileError) -> [UInt8] {
    let available = max(0, min(count, size - offset))
    guard available > 0 else { return [] }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: available, alignment: 8)
    defer { buffer.deallocate() }
    try read(into: buffer.baseAddress!, count: available, at: offset)
    return Array(buffer)
  }
}
