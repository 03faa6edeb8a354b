// `sparsity sae eval` and `sparsity sae encode`: a saved autoencoder on activation files.

import Foundation
import SparsityAutoencoders
import SparsityCore
import SparsityExperiments
import SparsityIO

/// The `eval` and `encode` forms of `sparsity sae`.
enum SAEEvalCommand {
  static let codes = Option<String>(
    "out", "codes.npz", required: true, help: "write the codes as a SciPy CSR .npz (rows x latents)")

  static let evalForm = Command.Form(
    positional: Positional("eval"),
    options: [SAECommand.sae.spec, SAECommand.data.spec, SAECommand.tensor.spec, SAECommand.json.spec],
    description: """
      Evaluates a saved autoencoder on every row of the files: fraction of variance unexplained
      (FVU = sum ||x - x_hat||^2 / sum ||x - mean||^2), mean squared error, L0 (active latents per
      row), latents that never fire, and the histogram of log10 firing frequencies.
      """)

  static let encodeForm = Command.Form(
    positional: Positional("encode"),
    options: [SAECommand.sae.spec, SAECommand.data.spec, SAECommand.tensor.spec, codes.spec],
    description: """
      Encodes every row of the files with a saved autoencoder and writes the codes as a sparse CSR
      matrix in SciPy's .npz layout (scipy.sparse.load_npz reads it).
      """)

  static func runEval(_ arguments: Arguments) throws {
    let autoencoder = try SAECommand.autoencoder(arguments, command: "sae eval")
    let rows = try rowSet(arguments, autoencoder: autoencoder, command: "sae eval")
    let evaluation = try SAEEvaluation.evaluate(autoencoder, on: rows)
    print(
      arguments.flag(SAECommand.json)
        ? try JSONValue(encoding: evaluation).text : SAEText.evaluation(evaluation, autoencoder))
  }

  static func runEncode(_ arguments: Arguments) throws {
    let path = try arguments.required(codes, command: "sae encode")
    guard path.lowercased().hasSuffix(".npz") else {
      throw CLIError.invalidValue(
        option: codes.name, value: path, expected: "a .npz path (the codes are written as SciPy's sparse CSR .npz)")
    }
    try OutputPath.checkFile(path, option: "out")
    let autoencoder = try SAECommand.autoencoder(arguments, command: "sae encode")
    let rows = try rowSet(arguments, autoencoder: autoencoder, command: "sae encode")
    let matrix = try autoencoder.encode(rows)
    try NPZFile.write(matrix, to: URL(fileURLWithPath: path))
    print(
      "Encoded \(matrix.rows) rows into \(matrix.columns) latents: \(matrix.nonzeroCount) nonzeros "
        + String(format: "(L0 %.2f)", Double(matrix.nonzeroCount) / Double(Swift.max(1, matrix.rows)))
        + ", wrote \(path)")
  }

  /// The rows of `--data`, checked against the autoencoder's width.
  static func rowSet(_ arguments: Arguments, autoencoder: SparseAutoencoder, command: String) throws -> ActivationRows {
    let files = SAECommand.files(try arguments.required(SAECommand.data, command: command))
    let dataset = try ActivationDataset(contentsOf: files, tensor: try arguments.value(SAECommand.tensor))
    guard dataset.columns == autoencoder.inputs else {
      throw CLIError.invalidInput(
        "\(files[0].relativePath): rows of \(dataset.columns) values, but the autoencoder takes \(autoencoder.inputs)")
    }
    guard dataset.rows > 0 else { throw CLIError.invalidInput("\(files[0].relativePath): no rows") }
    return ActivationRows(dataset)
  }
}
