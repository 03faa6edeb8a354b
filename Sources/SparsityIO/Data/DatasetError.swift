// The one error type of loading labeled data sets.
import SparsityCore

/// Why a labeled data set could not be loaded. Every case names the file (or directory, or
/// command-line text) it is about, and `description` reads as one line, for example
/// `labels.npy: row 12: label -1.0 is negative (labels must be class indices 0, 1, 2, ...)`.
public enum DatasetError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A file could not be read or decoded.
  case file(ArrayFileError)
  /// A command-line data set description that is not one of the accepted forms.
  case invalidSource(text: String, reason: String)
  /// A directory without some of the files a data set needs; `lookedFor` lists every name tried.
  case missingFiles(directory: String, lookedFor: [String])
  /// A features file and a labels file that hold different numbers of samples.
  case countMismatch(featuresFile: String, samples: Int, labelsFile: String, labels: Int)
  /// An array whose shape does not fit its role, e.g. labels that are not a vector.
  case badShape(file: String, shape: [Int], expected: String)
  /// A label that is not a class index; `row` counts data rows from 1 (a CSV header excluded).
  case invalidLabel(file: String, row: Int, value: String, reason: String)
  /// Labels that are all one class: nothing to classify.
  case tooFewClasses(file: String, samples: Int, onlyClass: Int)
  /// A feature that is NaN or infinite; `row` and `column` count from 1.
  case nonFiniteFeature(file: String, row: Int, column: Int, value: String)
  /// A label column option outside the file's columns.
  case labelColumnOutOfRange(file: String, column: Int, columns: Int)
  /// An embedded resource that is missing or not what the loader expects.
  case badResource(name: String, detail: String)

  /// One line: what the error is about, then what is wrong.
  public var description: String {
    switch self {
    case .file(let error):
      return error.description
    case .invalidSource(let text, let reason):
      return "'\(text)': \(reason)"
    case .missingFiles(let directory, let names):
      return "\(directory): missing data set files; looked for \(names.joined(separator: ", "))"
    case .countMismatch(let featuresFile, let samples, let labelsFile, let labels):
      return "\(featuresFile) has \(ArrayFileError.grouped(samples)) samples"
        + " but \(labelsFile) has \(ArrayFileError.grouped(labels)) labels"
    case .badShape(let file, let shape, let expected):
      return "\(file): shape \(ArrayFileError.shapeText(shape)), expected \(expected)"
    case .invalidLabel(let file, let row, let value, let reason):
      return "\(file): row \(row): label \(value) \(reason)"
    case .tooFewClasses(let file, let samples, let onlyClass):
      return
        "\(file): all \(ArrayFileError.grouped(samples)) labels are class \(onlyClass); classification needs at least two classes"
    case .nonFiniteFeature(let file, let row, let column, let value):
      return "\(file): row \(row), column \(column): feature \(value) is not a finite number"
    case .labelColumnOutOfRange(let file, let column, let columns):
      return "\(file): label column \(column) is outside the \(columns) columns"
        + " (use 0..<\(columns), or -1 for the last)"
    case .badResource(let name, let detail):
      return "embedded resource \(name): \(detail)"
    }
  }
}
