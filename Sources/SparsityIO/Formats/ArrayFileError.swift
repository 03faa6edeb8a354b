// The one error type of array file reading and writing (.npy, .csv, MNIST IDX, gzip, PNG, PGM, WAV).
import SparsityCore

/// Why an array file could not be read or written. Every case names the file as it was given
/// (`URL.relativePath`), and `description` reads as one line, for example
/// `digits.npy: truncated data: header says 1797x64 float32 (460,032 bytes) but only 1,000 bytes follow the header`.
public enum ArrayFileError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file is missing, is a directory, or the system refused to read it.
  case unreadable(file: String, reason: String)
  /// The system refused to write the file.
  case unwritable(file: String, reason: String)
  /// The extension is neither `.npy` nor `.csv`.
  case unsupportedFormat(file: String, pathExtension: String)
  /// The file does not start with the `.npy` magic string `\x93NUMPY`.
  case badMagic(file: String)
  /// A `.npy` format version other than 1.0, 2.0 or 3.0.
  case unsupportedVersion(file: String, major: UInt8, minor: UInt8)
  /// The `.npy` header is cut short or is not the Python dictionary literal the format requires.
  case malformedHeader(file: String, detail: String)
  /// A `.npy` element type this reader does not convert (big-endian, object, string, complex...).
  case unsupportedDataType(file: String, descriptor: String, reason: String)
  /// Fewer data bytes than the `.npy` header announces.
  case truncatedData(file: String, shape: [Int], dataType: String, expectedBytes: Int, actualBytes: Int)
  /// More data bytes than the `.npy` header announces.
  case trailingData(file: String, shape: [Int], dataType: String, expectedBytes: Int, actualBytes: Int)
  /// A CSV field (1-based line and column) that is not a decimal number.
  case notANumber(file: String, line: Int, column: Int, text: String)
  /// A CSV field that parses as NaN or infinity, or overflows float32.
  case nonFinite(file: String, line: Int, column: Int, text: String)
  /// A CSV row whose field count differs from the first row's.
  case raggedRow(file: String, line: Int, expected: Int, found: Int)
  /// A CSV file without a single data row.
  case noData(file: String)
  /// Gzip or zlib data that is corrupt or cut short (see `Gzip`).
  case corruptCompressedData(file: String, detail: String)
  /// Compressed data that inflates to more than the header of its file allows (a
  /// decompression bomb, or a header that lies); inflation stopped there.
  case inflatesPastLimit(file: String, limit: Int)
  /// An MNIST IDX file whose magic number or dimensions are wrong (see `IDXFile`).
  case malformedIDX(file: String, detail: String)
  /// A PNG or PGM image that is corrupt or cut short (bad signature, CRC mismatch, wrong sizes).
  case malformedImage(file: String, detail: String)
  /// A valid image this reader does not decode (an unknown format, bit depth or color type).
  case unsupportedImage(file: String, detail: String)
  /// A WAV file that is corrupt or inconsistent (no RIFF header, a missing or repeated chunk,
  /// sizes that disagree, a non-finite sample).
  case malformedSound(file: String, detail: String)
  /// A valid WAV file this reader does not decode (RF64, a compressed format, a bit depth
  /// or channel count past its limits).
  case unsupportedSound(file: String, detail: String)
  /// A file whose header asks for more memory than the budget (`MemoryBudget`) has.
  case exceedsMemory(file: String, what: String, needed: MemoryEstimate, budget: MemoryBudget.Budget)

  /// The file the error is about.
  public var file: String {
    switch self {
    case .unreadable(let f, _), .unwritable(let f, _), .unsupportedFormat(let f, _), .badMagic(let f),
      .unsupportedVersion(let f, _, _), .malformedHeader(let f, _), .unsupportedDataType(let f, _, _),
      .truncatedData(let f, _, _, _, _), .trailingData(let f, _, _, _, _), .notANumber(let f, _, _, _),
      .nonFinite(let f, _, _, _), .raggedRow(let f, _, _, _), .noData(let f),
      .corruptCompressedData(let f, _), .inflatesPastLimit(let f, _), .malformedIDX(let f, _),
      .malformedImage(let f, _), .unsupportedImage(let f, _), .malformedSound(let f, _), .unsupportedSound(let f, _),
      .exceedsMemory(let f, _, _, _):
      return f
    }
  }

  /// One line: the file, then what is wrong with it.
  public var description: String { "\(file): \(problem)" }

  /// What is wrong, without the file name.
  public var problem: String {
    switch self {
    case .unreadable(_, let reason): return "cannot read: \(reason)"
    case .unwritable(_, let reason): return "cannot write: \(reason)"
    case .unsupportedFormat(_, let ext):
      return "unsupported file type \(ext.isEmpty ? "(no extension)" : "'.\(ext)'"), expected .npy or .csv"
    case .badMagic: return "not a NumPy .npy file (it does not start with \\x93NUMPY)"
    case .unsupportedVersion(_, let major, let minor):
      return "unsupported .npy format version \(major).\(minor) (supported: 1.0, 2.0, 3.0)"
    case .malformedHeader(_, let detail): return "malformed .npy header: \(detail)"
    case .unsupportedDataType(_, let descriptor, let reason):
      return "unsupported dtype '\(descriptor)': \(reason)"
    case .truncatedData(_, let shape, let type, let expected, let actual):
      return "truncated data: header says \(Self.shapeText(shape)) \(type) (\(Self.grouped(expected)) bytes)"
        + " but only \(Self.grouped(actual)) bytes follow the header"
    case .trailingData(_, let shape, let type, let expected, let actual):
      return "trailing data: header says \(Self.shapeText(shape)) \(type) (\(Self.grouped(expected)) bytes)"
        + " but \(Self.grouped(actual)) bytes follow the header"
    case .notANumber(_, let line, let column, let text):
      let what = text.isEmpty ? "empty field" : "'\(Self.printable(text))' is not a number"
      return "line \(line), column \(column): \(what)"
    case .nonFinite(_, let line, let column, let text):
      return "line \(line), column \(column): '\(Self.printable(text))' is not a finite float32 value"
    case .raggedRow(_, let line, let expected, let found):
      return "line \(line): \(found) fields, expected \(expected) like the first row"
    case .noData: return "no data rows"
    case .corruptCompressedData(_, let detail): return "corrupt compressed data: \(detail)"
    case .inflatesPastLimit(_, let limit):
      return "the compressed data inflates to more than \(Self.grouped(limit)) bytes, the most its header allows"
    case .malformedIDX(_, let detail): return "malformed IDX file: \(detail)"
    case .malformedImage(_, let detail): return "malformed image: \(detail)"
    case .unsupportedImage(_, let detail): return "unsupported image: \(detail)"
    case .malformedSound(_, let detail): return "malformed WAV file: \(detail)"
    case .unsupportedSound(_, let detail): return "unsupported WAV file: \(detail)"
    case .exceedsMemory(_, let what, let needed, let budget):
      let error = MemoryBudgetError.insufficient(subject: what, needed: needed, budget: budget)
      return error.description
    }
  }

  /// Why the file could not be read or written, for readers whose own error says "cannot read"
  /// itself: the reason of `.unreadable` and `.unwritable`, `problem` for the others.
  public var reason: String {
    switch self {
    case .unreadable(_, let reason), .unwritable(_, let reason): return reason
    default: return problem
    }
  }

  /// Throws unless `estimate`, what reading `file` needs for `what` (`a 640x480 image`), fits
  /// in the memory budget: `budget` when given (tests), else `MemoryBudget.current()`.
  /// - Throws: `.exceedsMemory`, or `.unreadable` naming the environment variable for a bad
  ///   `SPARSITY_MEMORY_LIMIT`.
  static func checkMemory(
    _ estimate: MemoryEstimate, file: String, for what: String, budget: MemoryBudget.Budget? = nil
  ) throws(ArrayFileError) {
    do {
      if let budget {
        try MemoryBudget.check(estimate, for: what, against: budget)
      } else {
        try MemoryBudget.check(estimate, for: what)
      }
    } catch {
      switch error {
      case .insufficient(_, let needed, let budget):
        throw .exceedsMemory(file: file, what: what, needed: needed, budget: budget)
      case .invalidLimit:
        throw .unreadable(file: file, reason: error.description)
      }
    }
  }

  /// A shape as `1797x64`; a scalar (rank 0) as `scalar`.
  static func shapeText(_ shape: [Int]) -> String {
    shape.isEmpty ? "scalar" : shape.map(String.init).joined(separator: "x")
  }

  /// `text` with control characters (a carriage return, a NUL, ...) written as `\u{XX}`, so a
  /// message stays one readable line (`PrintableText`), and cut to 80 characters.
  static func printable(_ text: String) -> String {
    let shown = PrintableText.escaped(String(String.UnicodeScalarView(text.unicodeScalars.prefix(80))))
    return text.unicodeScalars.count > 80 ? shown + "..." : shown
  }

  /// An integer with thousands separators: 460032 -> "460,032"; any width, so a 64-bit
  /// unsigned header field is shown as it is.
  static func grouped<Integer: BinaryInteger>(_ value: Integer) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (i, digit) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(digit)
    }
    return value < 0 ? "-" + out : out
  }
}
