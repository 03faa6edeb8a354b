// `sparsity measure`: how sparse a vector or matrix is.

import SparsityCore
import SparsityExperiments
import SparsityIO

/// The `measure` subcommand: zero counts, norms, Hoyer and Gini of an input, and for a matrix
/// (rows = samples, columns = units) per-row and per-column summaries and the dead units.
enum MeasureCommand {
  static let input = Positional("<input>")
  static let epsilon = Option<Float>(
    "epsilon", "E", expected: "a finite number >= 0", default: "\(SparsityMeasures.defaultEpsilon)",
    help: "near-zero threshold, finite and >= 0", parse: Parse.nonNegativeFloat)
  static let dropColumns = Option<String>(
    "drop-columns", "LIST",
    help:
      "leave out these columns of a matrix, e.g. 64 or -1 (the last) for a label column; comma-separated, negative counts from the end"
  )
  static let json = Flag("json", help: "print one JSON object instead of the summary")

  static let command = Command(
    name: "measure", summary: "how sparse a vector or matrix is (zeros, L0/L1/L2, Hoyer, Gini, dead units)",
    positionals: [input], options: [epsilon.spec, dropColumns.spec, json.spec],
    description: """
      Measures how sparse <input> is. <input> is one of:
        a .npy file     NumPy array of float16/32/64, int8..64, uint8..64 or bool, any shape
        a .csv file     comma-separated numbers, one row a line, optional header row
        numbers         a comma-separated list such as 0,3.2,0,5.1,0,0.7,0,0

      Reported: element count, exact zeros and sparsity (zeros / count), active values (L0),
      near-zero values (|x| <= E), L1 and L2 norms, Hoyer sparsity and Gini index
      (Hurley & Rickard 2009; both 0 for equal magnitudes and for an all-zero input).
      A matrix is read as rows = samples, columns = units (neurons or features): per-row and
      per-column sparsity are summarized and dead units (zero in every row) listed. Arrays of
      rank 3 or more are viewed as matrices whose columns are the last axis.
      """,
    notes: "Input that is not finite (NaN, infinity) or not a number is rejected with exit code 2.", run: run)

  /// Measures the single input argument and prints the summary or the JSON object.
  /// - Throws: `CLIError` for bad arguments, `ArrayFileError` for an unreadable file.
  static func run(_ arguments: Arguments) throws {
    let argument = arguments.positionals[0]
    let epsilon = try arguments.value(Self.epsilon, default: SparsityMeasures.defaultEpsilon)
    let input = try InputArray(argument: argument)
    try validate(input)
    let dropped = try droppedColumns(arguments.value(dropColumns), of: input.tensor)
    let measurement = InputMeasurement(input: argument, tensor: input.tensor, epsilon: epsilon, droppedColumns: dropped)
    print(arguments.flag(json) ? try JSONValue(encoding: measurement).text : measurement.text)
  }

  /// Rejects empty input and values that are NaN or infinite (possible in `.npy` files).
  private static func validate(_ input: InputArray) throws {
    let tensor = input.tensor
    guard tensor.count > 0 else {
      throw CLIError.invalidInput("\(input.name): no values to measure (shape \(tensor.shape))")
    }
    let nonFinite = tensor.scalars.lazy.filter { !$0.isFinite }.count
    if nonFinite > 0 {
      let first = tensor.scalars.firstIndex { !$0.isFinite }!
      throw CLIError.invalidInput(
        "\(input.name): \(nonFinite) of \(tensor.count) values are NaN or infinite (the first at flat index \(first));"
          + " sparsity metrics need finite values")
    }
  }

  /// The original column indices named by `--drop-columns`, sorted and unique.
  private static func droppedColumns(_ text: String?, of tensor: Tensor) throws -> [Int] {
    guard let text else { return [] }
    guard tensor.rank >= 2, let columns = tensor.shape.last else {
      throw CLIError.invalidInput(
        "option --drop-columns needs a matrix input, but the input is a vector of \(tensor.count) values")
    }
    var indices = Set<Int>()
    for field in text.split(separator: ",", omittingEmptySubsequences: false) {
      let trimmed = field.trimmingCharacters(in: .whitespaces)
      guard let index = Int(trimmed), (-columns..<columns).contains(index) else {
        throw CLIError.invalidValue(
          option: dropColumns.name, value: text,
          expected: "a list of column indices in -\(columns)..<\(columns) (bad entry '\(trimmed)')")
      }
      indices.insert(index < 0 ? columns + index : index)
    }
    guard indices.count < columns else {
      throw CLIError.invalidValue(option: dropColumns.name, value: text, expected: "leaving at least one column")
    }
    return indices.sorted()
  }
}
