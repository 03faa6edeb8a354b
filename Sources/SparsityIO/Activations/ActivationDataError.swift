// The one error type of activation files, data sets and batch streams.
import SparsityCore

/// Why activation rows could not be read. A file that cannot be read or is malformed is the
/// error of its format (`ArrayFileError` for `.npy`, `SafetensorsError` for `.safetensors`);
/// the other cases are about using a valid file as rows of activations. Every case names the
/// file, and `description` reads as one line, for example
/// `acts/shard-3.npy: row 1,234,567 of the data set (row 34,567 of this file), column 12: nan is not a finite number`.
public enum ActivationDataError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A `.npy` file (or any file) that cannot be read, or is malformed.
  case file(ArrayFileError)
  /// A `.safetensors` file that cannot be read, is malformed, or lacks the tensor asked for.
  case safetensors(SafetensorsError)
  /// A file whose extension is neither `.npy` nor `.safetensors`.
  case unsupportedFormat(file: String, pathExtension: String)
  /// A valid array that cannot be read as rows: rank below 2, Fortran order, no columns, an
  /// element type that is not floating point. `tensor` names the safetensors tensor.
  case unsuitableArray(file: String, tensor: String?, detail: String)
  /// A shard whose column count differs from that of the data set's first file.
  case columnMismatch(file: String, columns: Int, firstFile: String, expected: Int)
  /// A NaN or infinity in a row read; `row` counts from 0 across the whole data set,
  /// `rowInFile` within the file, `column` from 0.
  case nonFinite(file: String, row: Int, rowInFile: Int, column: Int, value: Float)
  /// A data set of no files.
  case noFiles

  /// The file the error is about (empty for `.noFiles`).
  public var file: String {
    switch self {
    case .file(let error): return error.file
    case .safetensors(let error): return error.file
    case .unsupportedFormat(let f, _), .unsuitableArray(let f, _, _), .columnMismatch(let f, _, _, _),
      .nonFinite(let f, _, _, _, _):
      return f
    case .noFiles: return ""
    }
  }

  /// One line: the file, then what is wrong with it.
  public var description: String {
    switch self {
    case .file(let error): return error.description
    case .safetensors(let error): return error.description
    case .unsupportedFormat(let file, let ext):
      let shown = ext.isEmpty ? "(no extension)" : "'.\(ext)'"
      return "\(file): unsupported activation file type \(shown), expected .npy or .safetensors"
    case .unsuitableArray(let file, let tensor, let detail):
      let what = tensor.map { "tensor '\($0)' " } ?? ""
      return "\(file): \(what)cannot be read as activation rows: \(detail)"
    case .columnMismatch(let file, let columns, let firstFile, let expected):
      return
        "\(file): rows of \(ArrayFileError.grouped(columns)) columns, but \(firstFile) has \(ArrayFileError.grouped(expected));"
        + " the files of a data set must have the same column count"
    case .nonFinite(let file, let row, let rowInFile, let column, let value):
      return
        "\(file): row \(ArrayFileError.grouped(row)) of the data set (row \(ArrayFileError.grouped(rowInFile)) of this file),"
        + " column \(column): \(value) is not a finite number"
    case .noFiles: return "no activation files given"
    }
  }
}
