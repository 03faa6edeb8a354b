// Why a report could not be written.

/// A report that could not be written; the message names the directory or file.
public enum ReportError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The report directory does not exist and cannot be created, or is not a directory.
  case unusableDirectory(path: String, reason: String)
  /// A file of the report could not be written.
  case unwritableFile(path: String, reason: String)

  /// One line naming the path and the problem.
  public var description: String {
    switch self {
    case .unusableDirectory(let path, let reason):
      return "\(path): cannot write the report into this directory: \(reason)"
    case .unwritableFile(let path, let reason): return "\(path): cannot write: \(reason)"
    }
  }
}
