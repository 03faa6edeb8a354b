// What a file system entry is, for the messages of the readers and writers that need a regular
// file: a device or a FIFO can never be read to its end or replaced by a rename.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The kind of a file system entry, from the mode `stat` gives.
enum FileKind {
  /// "a directory", "a FIFO", "a character device", ...; nil for a regular file.
  static func nonRegular(mode: mode_t) -> String? {
    switch mode & S_IFMT {
    case S_IFREG: return nil
    case S_IFDIR: return "a directory"
    case S_IFIFO: return "a FIFO"
    case S_IFCHR: return "a character device"
    case S_IFBLK: return "a block device"
    case S_IFSOCK: return "a socket"
    default: return "an entry"
    }
  }

  /// "is a directory", or "is a FIFO, not a regular file": why an entry of `mode` is not a
  /// regular file; nil when it is one.
  static func problem(mode: mode_t) -> String? {
    guard let kind = nonRegular(mode: mode) else { return nil }
    return kind == "a directory" ? "is a directory" : "is \(kind), not a regular file"
  }
}
