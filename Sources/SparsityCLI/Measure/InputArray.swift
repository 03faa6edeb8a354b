// Turning a command-line input argument into a tensor: a .npy or .csv path, or inline numbers.

import Foundation
import SparsityCore
import SparsityIO

/// The values a command works on and how to name them in its output.
struct InputArray {
  /// The argument as the user gave it (a path, or the list of numbers).
  let name: String
  /// The values: a vector for inline numbers, the stored shape for a file.
  let tensor: Tensor
  /// True when the values came from a file.
  let isFile: Bool

  /// Resolves `argument`: an existing file is read by extension (`.npy`, `.csv`); otherwise the
  /// argument must be comma-separated numbers such as `0,3.2,0,5.1`.
  /// - Throws: `ArrayFileError` for a bad or missing file, `CLIError.invalidInput` for an empty
  ///   argument or a list with a field that is not a finite number.
  init(argument: String) throws {
    let trimmed = argument.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty else {
      throw CLIError.invalidInput("empty input: give a .npy or .csv file, or numbers like 0,3.2,0,5.1")
    }
    name = argument
    if FileManager.default.fileExists(atPath: argument) {
      tensor = try Tensor(contentsOf: URL(fileURLWithPath: argument))
      isFile = true
      return
    }
    let fields = trimmed.split(separator: ",", omittingEmptySubsequences: false)
      .map { $0.trimmingCharacters(in: .whitespaces) }
    if let failure = fields.indices.first(where: { Float(fields[$0]) == nil }) {
      throw Self.notFound(argument, badField: failure + 1, fields[failure], fieldCount: fields.count)
    }
    let values = fields.map { Float($0)! }
    if let bad = values.firstIndex(where: { !$0.isFinite }) {
      throw CLIError.invalidInput("'\(argument)': value \(bad + 1) ('\(fields[bad])') is not a finite float32 number")
    }
    tensor = Tensor(values)
    isFile = false
  }

  /// The error for an argument that is neither an existing file nor a list of numbers.
  private static func notFound(_ argument: String, badField: Int, _ text: String, fieldCount: Int) -> Error {
    let looksLikePath =
      argument.contains("/") || ArrayFileFormat(pathExtension: (argument as NSString).pathExtension) != nil
    let startsLikeNumber = argument.first.map { "0123456789+-.".contains($0) } ?? false
    if looksLikePath || (fieldCount == 1 && !startsLikeNumber) {
      return ArrayFileError.unreadable(file: argument, reason: "no such file")
    }
    let what = text.isEmpty ? "is empty" : "('\(text)') is not a number"
    return CLIError.invalidInput(
      "'\(argument)' is neither an existing file nor a list of numbers: field \(badField) \(what)")
  }
}
