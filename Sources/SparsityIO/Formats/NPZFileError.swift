// The error type of .npz (zip of .npy arrays) reading and writing.
import SparsityCore

/// Why a `.npz` archive (a zip of `.npy` arrays, as `numpy.savez` and `scipy.sparse.save_npz`
/// write them) could not be read or written. Every case names the file as it was given, and
/// `description` reads as one line, e.g. `codes.npz: missing entry 'indptr.npy'`.
public enum NPZFileError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file could not be read or written, or one of its `.npy` entries is not valid.
  case array(ArrayFileError)
  /// The zip structure is corrupt or cut short (no end-of-central-directory record, bad
  /// signatures, offsets outside the file, CRC mismatch).
  case malformedArchive(file: String, detail: String)
  /// An entry compressed with a method other than stored (0) or deflate (8).
  case unsupportedCompression(file: String, entry: String, method: Int)
  /// An entry the format needs is not in the archive.
  case missingEntry(file: String, entry: String)
  /// The arrays do not form a valid sparse matrix (wrong format, shapes, offsets or indices).
  case invalidSparseMatrix(file: String, detail: String)

  /// The file the error is about.
  public var file: String {
    switch self {
    case .array(let error): return error.file
    case .malformedArchive(let f, _), .unsupportedCompression(let f, _, _), .missingEntry(let f, _),
      .invalidSparseMatrix(let f, _):
      return f
    }
  }

  /// One line: the file, then what is wrong with it.
  public var description: String {
    switch self {
    case .array(let error): return error.description
    case .malformedArchive(let f, let detail): return "\(f): not a valid zip/.npz archive: \(detail)"
    case .unsupportedCompression(let f, let entry, let method):
      return "\(f): entry '\(entry)' uses zip compression method \(method); supported: 0 (stored) and 8 (deflate)"
    case .missingEntry(let f, let entry): return "\(f): missing entry '\(entry)'"
    case .invalidSparseMatrix(let f, let detail): return "\(f): not a valid CSR matrix: \(detail)"
    }
  }
}
