// The error of an atomic write: the file and, in one line, why it could not be written.

import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why `AtomicFile` could not write a file. `file` is the destination as it was given
/// (`URL.relativePath`); `description` reads as one line, for example
/// `out/model.safetensors: cannot write: directory out does not exist`.
public struct AtomicFileError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The destination, as it was given.
  public var file: String
  /// What went wrong, without the file name: `permission denied`, `is a directory`, ...
  public var reason: String

  /// An error about `file` for `reason`.
  public init(file: String, reason: String) {
    self.file = file
    self.reason = reason
  }

  /// One line: the file, then why it could not be written.
  public var description: String { "\(file): cannot write: \(reason)" }

  /// An error about `file` for the system error `code` (an `errno` value).
  init(file: String, errno code: Int32) {
    self.init(file: file, reason: Self.reason(errno: code))
  }

  /// The system's message for `code`, starting in lower case: `no space left on device`.
  static func reason(errno code: Int32) -> String {
    let message = String(cString: strerror(code))
    return message.prefix(1).lowercased() + message.dropFirst()
  }
}
