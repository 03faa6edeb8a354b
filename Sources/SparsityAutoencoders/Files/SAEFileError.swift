// Why a sparse autoencoder's files could not be read or written.
import SparsityIO

/// Why a sparse autoencoder directory could not be read or written. Every case names the file
/// (or directory) and reads as one line.
public enum SAEFileError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The directory is missing, or holds neither layout's files.
  case notAnAutoencoder(directory: String, detail: String)
  /// `cfg.json` is not valid JSON or lacks a required key.
  case malformedConfig(file: String, detail: String)
  /// A configuration this reader does not run (an architecture, a normalization, a skip
  /// connection), with what it would need.
  case unsupported(file: String, detail: String)
  /// A tensor is missing, or has the wrong shape, or holds a non-finite value.
  case badTensor(file: String, tensor: String, detail: String)
  /// The weights file itself is malformed.
  case weights(SafetensorsError)
  /// A file could not be written.
  case unwritable(file: String, reason: String)

  /// The file or directory at fault.
  public var file: String {
    switch self {
    case .notAnAutoencoder(let f, _), .malformedConfig(let f, _), .unsupported(let f, _), .badTensor(let f, _, _),
      .unwritable(let f, _):
      f
    case .weights(let error): error.file
    }
  }

  /// One line: the file, then the fault.
  public var description: String {
    switch self {
    case .notAnAutoencoder(let f, let detail): "\(f): not a sparse autoencoder directory: \(detail)"
    case .malformedConfig(let f, let detail): "\(f): malformed configuration: \(detail)"
    case .unsupported(let f, let detail): "\(f): unsupported: \(detail)"
    case .badTensor(let f, let tensor, let detail): "\(f): tensor '\(tensor)': \(detail)"
    case .weights(let error): error.description
    case .unwritable(let f, let reason): "\(f): cannot write: \(reason)"
    }
  }
}
