// The one error type of safetensors file reading and writing.
import SparsityCore

/// Why a safetensors file could not be read or written. Every case names the file as it was
/// given (`URL.relativePath`), and the tensor when one is at fault; `description` reads as one
/// line, for example
/// `model.safetensors: tensor '0.weight': data_offsets [0, 96] hold 96 bytes but F32 [4, 8] needs 128`.
public enum SafetensorsError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file is missing, is a directory, or the system refused to read it.
  case unreadable(file: String, reason: String)
  /// The system refused to write the file.
  case unwritable(file: String, reason: String)
  /// The file is shorter than the 8-byte header length.
  case truncatedHeaderLength(file: String, fileSize: Int)
  /// The header length points past the end of the file, or above the 100 MB limit.
  case headerLengthOutOfRange(file: String, headerLength: UInt64, fileSize: Int)
  /// The header is not a UTF-8 JSON object.
  case invalidHeader(file: String, detail: String)
  /// A tensor entry lacks `dtype`, `shape` or `data_offsets`, or holds the wrong kind of value.
  case invalidTensorEntry(file: String, tensor: String, detail: String)
  /// A tensor name that appears twice in the header.
  case duplicateTensor(file: String, tensor: String)
  /// A `dtype` this reader does not convert.
  case unsupportedDataType(file: String, tensor: String, dataType: String)
  /// `data_offsets` that are reversed or reach past the end of the data buffer.
  case offsetsOutOfRange(file: String, tensor: String, begin: Int, end: Int, bufferSize: Int)
  /// `data_offsets` whose byte count differs from the shape times the element size.
  case sizeMismatch(file: String, tensor: String, dataType: String, shape: [Int], expectedBytes: Int, actualBytes: Int)
  /// Two tensors whose byte ranges overlap.
  case overlappingTensors(file: String, tensor: String, other: String)
  /// Bytes of the data buffer that belong to no tensor (a hole, or bytes after the last tensor).
  case uncoveredBytes(file: String, begin: Int, end: Int)
  /// `__metadata__` that is not an object mapping strings to strings.
  case invalidMetadata(file: String, detail: String)
  /// A tensor asked for by name that the file does not hold; `available` lists its tensors.
  case missingTensor(file: String, tensor: String, available: [String])
  /// No tensor was named and the file does not hold exactly one candidate (a tensor of rank 2
  /// or more); `candidates` lists those it holds, `available` all its tensors.
  case ambiguousTensor(file: String, candidates: [String], available: [String])

  /// The file the error is about.
  public var file: String {
    switch self {
    case .unreadable(let f, _), .unwritable(let f, _), .truncatedHeaderLength(let f, _),
      .headerLengthOutOfRange(let f, _, _), .invalidHeader(let f, _), .invalidTensorEntry(let f, _, _),
      .duplicateTensor(let f, _), .unsupportedDataType(let f, _, _), .offsetsOutOfRange(let f, _, _, _, _),
      .sizeMismatch(let f, _, _, _, _, _), .overlappingTensors(let f, _, _), .uncoveredBytes(let f, _, _),
      .invalidMetadata(let f, _), .missingTensor(let f, _, _), .ambiguousTensor(let f, _, _):
      return f
    }
  }

  /// The tensor at fault, when the error is about one tensor.
  public var tensor: String? {
    switch self {
    case .invalidTensorEntry(_, let t, _), .duplicateTensor(_, let t), .unsupportedDataType(_, let t, _),
      .offsetsOutOfRange(_, let t, _, _, _), .sizeMismatch(_, let t, _, _, _, _), .overlappingTensors(_, let t, _),
      .missingTensor(_, let t, _):
      return t
    default: return nil
    }
  }

  /// One line: the file, then what is wrong with it.
  public var description: String { "\(file): \(problem)" }

  /// What is wrong, without the file name.
  public var problem: String {
    switch self {
    case .unreadable(_, let reason): return "cannot read: \(reason)"
    case .unwritable(_, let reason): return "cannot write: \(reason)"
    case .truncatedHeaderLength(_, let size):
      return "not a safetensors file: \(size) bytes, too short for the 8-byte header length"
    case .headerLengthOutOfRange(_, let length, let size):
      let limit = length > SafetensorsFile.maximumHeaderLength ? "above the 100,000,000-byte limit" : "past the end"
      return "header length \(ArrayFileError.grouped(length)) bytes is \(limit) of the"
        + " \(ArrayFileError.grouped(size))-byte file (truncated, or not a safetensors file)"
    case .invalidHeader(_, let detail): return "invalid header: \(detail)"
    case .invalidTensorEntry(_, let tensor, let detail): return "tensor '\(tensor)': \(detail)"
    case .duplicateTensor(_, let tensor): return "tensor '\(tensor)' appears more than once in the header"
    case .unsupportedDataType(_, let tensor, let type):
      let supported = SafetensorsDataType.allCases.map(\.rawValue).joined(separator: ", ")
      return "tensor '\(tensor)': unsupported dtype '\(type)' (supported: \(supported))"
    case .offsetsOutOfRange(_, let tensor, let begin, let end, let size):
      return "tensor '\(tensor)': data_offsets [\(begin), \(end)] are outside the"
        + " \(ArrayFileError.grouped(size))-byte data buffer (truncated file?)"
    case .sizeMismatch(_, let tensor, let type, let shape, let expected, let actual):
      return "tensor '\(tensor)': data_offsets hold \(ArrayFileError.grouped(actual)) bytes but \(type)"
        + " \(shape) needs \(ArrayFileError.grouped(expected))"
    case .overlappingTensors(_, let tensor, let other):
      return "tensor '\(tensor)': its bytes overlap those of tensor '\(other)'"
    case .uncoveredBytes(_, let begin, let end):
      return "bytes \(begin)..<\(end) of the data buffer belong to no tensor"
    case .invalidMetadata(_, let detail): return "invalid __metadata__: \(detail)"
    case .missingTensor(_, let tensor, let available):
      return "no tensor named '\(ArrayFileError.printable(tensor))' (tensors: \(Self.list(available)))"
    case .ambiguousTensor(_, let candidates, let available):
      if candidates.isEmpty { return "no tensor of rank 2 or more to read as rows (tensors: \(Self.list(available)))" }
      return "\(candidates.count) tensors of rank 2 or more (\(Self.list(candidates))): name the one to read"
    }
  }

  /// Tensor names quoted and comma-separated, `(none)` for none, the first 20 then a count.
  private static func list(_ names: [String]) -> String {
    guard !names.isEmpty else { return "(none)" }
    let shown = names.prefix(20).map { "'\(ArrayFileError.printable($0))'" }.joined(separator: ", ")
    return names.count > 20 ? shown + " and \(names.count - 20) more" : shown
  }
}
