// Where a labeled data set comes from, as given on the command line.

import Foundation
import SparsityCore

/// A labeled data set to load: the embedded digits, an MNIST directory, a CSV file, or a pair
/// of `.npy` files.
///
/// Command-line forms (see `init(parsing:labelColumn:)`):
/// - `digits`: the embedded 8x8 digits (`DigitsDataset`).
/// - `mnist:DIR`: MNIST's four IDX files in `DIR` (`MNISTDataset`), with its own test set.
/// - `csv:FILE`: one sample a row, numeric features and a label column (the last by default).
/// - `npy:X.npy,y.npy`: features (samples x features, samples x rows x columns images, or
///   samples x channels x rows x columns images, NCHW) and labels (a vector, or samples x 1).
public enum DatasetSource: Sendable, Equatable, CustomStringConvertible {
  /// The embedded handwritten digits.
  case digits
  /// MNIST from a directory of IDX files.
  case mnist(directory: String)
  /// A CSV file; `labelColumn` counts from 0, or from the end when negative (-1 is the last).
  case csv(file: String, labelColumn: Int)
  /// Features and labels in two `.npy` files.
  case npy(features: String, labels: String)

  /// The accepted command-line forms, for help texts and errors.
  public static let forms = "digits, mnist:DIR, csv:FILE or npy:FEATURES.npy,LABELS.npy"

  /// Parses a command-line data set argument such as `mnist:data/mnist`.
  /// - Parameters:
  ///   - text: one of the forms in `forms`.
  ///   - labelColumn: the label column of a CSV file (0-based; negative counts from the end).
  /// - Throws: `DatasetError.invalidSource` saying which forms are accepted.
  public init(parsing text: String, labelColumn: Int = -1) throws(DatasetError) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if trimmed == "digits" {
      self = .digits
      return
    }
    guard let colon = trimmed.firstIndex(of: ":") else {
      throw .invalidSource(text: text, reason: "unknown data set, expected \(Self.forms)")
    }
    let kind = String(trimmed[..<colon])
    let argument = String(trimmed[trimmed.index(after: colon)...])
    guard ["mnist", "csv", "npy"].contains(kind) else {
      throw .invalidSource(text: text, reason: "unknown data set kind '\(kind)', expected \(Self.forms)")
    }
    guard !argument.isEmpty else {
      throw .invalidSource(text: text, reason: "'\(kind):' needs a path after the colon")
    }
    switch kind {
    case "mnist":
      self = .mnist(directory: argument)
    case "csv":
      self = .csv(file: argument, labelColumn: labelColumn)
    default:
      let paths = argument.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      guard paths.count == 2, paths.allSatisfy({ !$0.isEmpty }) else {
        throw .invalidSource(
          text: text, reason: "expected npy:FEATURES.npy,LABELS.npy (two paths separated by a comma)")
      }
      self = .npy(features: paths[0], labels: paths[1])
    }
  }

  /// The command-line form (a CSV label column other than the last is not part of it).
  public var description: String {
    switch self {
    case .digits: return "digits"
    case .mnist(let directory): return "mnist:\(directory)"
    case .csv(let file, _): return "csv:\(file)"
    case .npy(let features, let labels): return "npy:\(features),\(labels)"
    }
  }

  /// Reads the data set. MNIST comes with its own test set; the others return a nil test set,
  /// to be made with `LabeledDataset.split(testFraction:seed:stratified:)`.
  /// - Throws: `DatasetError` naming the file and the problem.
  public func load() throws(DatasetError) -> (train: LabeledDataset, test: LabeledDataset?) {
    switch self {
    case .digits:
      return (try DigitsDataset.load(), nil)
    case .mnist(let directory):
      let (train, test) = try MNISTDataset.load(directory: URL(fileURLWithPath: directory))
      return (train, test)
    case .csv(let file, let labelColumn):
      return (try Self.loadCSV(URL(fileURLWithPath: file), labelColumn: labelColumn), nil)
    case .npy(let features, let labels):
      return (try Self.loadNPY(features: URL(fileURLWithPath: features), labels: URL(fileURLWithPath: labels)), nil)
    }
  }
}
