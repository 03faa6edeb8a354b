// The one error type of model file reading and writing.

import SparsityCore
import SparsityIO

/// Why a model file could not be read or written. Every case names the file as it was given
/// (`URL.relativePath`), and the tensor when one is at fault; `description` reads as one line,
/// for example `mlp.safetensors: tensor '2.weight' has shape [10, 128] but the architecture
/// 784-256-relu-128-relu-10 needs [128, 256]`.
public enum ModelFileError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file itself is unreadable, unwritable, truncated or not valid safetensors.
  case safetensors(SafetensorsError)
  /// The file has no `architecture` metadata (it was saved by PyTorch, say) and none was given.
  case missingArchitecture(file: String, tensors: [String: [Int]])
  /// The `architecture` metadata is not a valid architecture.
  case invalidArchitecture(file: String, detail: String)
  /// A `format_version` this reader does not know.
  case unsupportedFormatVersion(file: String, version: String)
  /// A layer that cannot be saved: not one of Linear, ReLU, LeakyReLU, Sigmoid, TopK, Dropout.
  case unsupportedLayer(file: String, index: Int, layer: String)
  /// A tensor the architecture needs that the file lacks.
  case missingTensor(file: String, tensor: String, expectedShape: [Int], architecture: String)
  /// A tensor in the file that the architecture does not have.
  case unexpectedTensor(file: String, tensor: String, expected: [String], architecture: String)
  /// A tensor whose shape differs from the architecture's.
  case shapeMismatch(file: String, tensor: String, expected: [Int], found: [Int], architecture: String)
  /// A tensor holds NaN or infinite values.
  case nonFiniteTensor(file: String, tensor: String, count: Int)
  /// A tensor holds a value its role forbids (a negative running variance).
  case invalidTensor(file: String, tensor: String, detail: String)
  /// The `training` or `history` metadata (the `ModelRecord`) does not decode.
  case invalidRecord(file: String, key: String, detail: String)

  /// The file the error is about.
  public var file: String {
    switch self {
    case .safetensors(let error): return error.file
    case .missingArchitecture(let f, _), .invalidArchitecture(let f, _), .unsupportedFormatVersion(let f, _),
      .unsupportedLayer(let f, _, _), .missingTensor(let f, _, _, _), .unexpectedTensor(let f, _, _, _),
      .shapeMismatch(let f, _, _, _, _), .nonFiniteTensor(let f, _, _), .invalidTensor(let f, _, _),
      .invalidRecord(let f, _, _):
      return f
    }
  }

  /// One line: the file, then what is wrong with it.
  public var description: String { "\(file): \(problem)" }

  /// What is wrong, without the file name.
  public var problem: String {
    switch self {
    case .safetensors(let error): return error.problem
    case .missingArchitecture(_, let tensors):
      let found = tensors.keys.sorted().prefix(6).map { "\($0) \(tensors[$0]!)" }.joined(separator: ", ")
      return "no architecture metadata (saved by PyTorch?); give the architecture, e.g. 784-256-relu-10"
        + " (tensors: \(found.isEmpty ? "none" : found)\(tensors.count > 6 ? ", ..." : ""))"
    case .invalidArchitecture(_, let detail): return "invalid architecture metadata: \(detail)"
    case .invalidRecord(_, let key, let detail): return "invalid \(key) metadata: \(detail)"
    case .unsupportedFormatVersion(_, let version):
      return "unsupported model format_version '\(version)' (this build reads \(ModelFile.formatVersion))"
    case .unsupportedLayer(_, let index, let layer):
      return
        "layer \(index) (\(layer)) cannot be saved: model files hold Linear, ReLU, LeakyReLU, Sigmoid, TopK and Dropout"
    case .missingTensor(_, let tensor, let shape, let architecture):
      return "tensor '\(tensor)' \(shape) is missing; the architecture \(architecture) needs it"
    case .unexpectedTensor(_, let tensor, let expected, let architecture):
      return "tensor '\(tensor)' is not part of the architecture \(architecture)"
        + " (expected: \(expected.isEmpty ? "no tensors" : expected.joined(separator: ", ")))"
    case .shapeMismatch(_, let tensor, let expected, let found, let architecture):
      return "tensor '\(tensor)' has shape \(found) but the architecture \(architecture) needs \(expected)"
    case .nonFiniteTensor(_, let tensor, let count):
      return "tensor '\(tensor)' holds \(count) NaN or infinite values"
    case .invalidTensor(_, let tensor, let detail): return "tensor '\(tensor)': \(detail)"
    }
  }
}
