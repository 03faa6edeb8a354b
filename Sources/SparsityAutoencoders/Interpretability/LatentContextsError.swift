// Why a contexts file (one line of text per data row) could not be used.

/// Why a contexts file could not be used. Every case names the file and reads as one line.
public enum LatentContextsError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file could not be opened or read.
  case unreadable(file: String, reason: String)
  /// The file's line count differs from the data's row count.
  case lineCount(file: String, lines: Int, rows: Int)
  /// A line holds a NUL byte (a binary file, most likely).
  case nulByte(file: String, line: Int)
  /// A line is not valid UTF-8.
  case invalidUTF8(file: String, line: Int)
  /// A line is longer than the reader takes (`LatentContexts.maximumLineBytes`).
  case lineTooLong(file: String, line: Int, limit: Int)

  /// The file at fault.
  public var file: String {
    switch self {
    case .unreadable(let f, _), .lineCount(let f, _, _), .nulByte(let f, _), .invalidUTF8(let f, _),
      .lineTooLong(let f, _, _):
      f
    }
  }

  /// One line: the file, then the fault.
  public var description: String {
    switch self {
    case .unreadable(let f, let reason): "\(f): cannot read: \(reason)"
    case .lineCount(let f, let lines, let rows):
      "\(f): \(lines) line\(lines == 1 ? "" : "s"), but the data has \(rows) row\(rows == 1 ? "" : "s");"
        + " a contexts file has one line per row"
    case .nulByte(let f, let line): "\(f): line \(line) holds a NUL byte; a contexts file is UTF-8 text"
    case .invalidUTF8(let f, let line): "\(f): line \(line) is not valid UTF-8"
    case .lineTooLong(let f, let line, let limit):
      "\(f): line \(line) is longer than \(limit / (1 << 20)) MiB; a contexts file has one short line per row"
    }
  }
}
