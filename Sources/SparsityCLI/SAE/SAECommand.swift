// `sparsity sae`: sparse autoencoders on activation files: train, eval, encode, report.

import Foundation
import SparsityAutoencoders
import SparsityCore
import SparsityIO

/// The `sae` subcommand: `train`, `eval`, `encode` or `report`, each a form with its own options.
enum SAECommand {
  static let data = Option<String>(
    "data", "FILE[,FILE...]", required: true,
    help: "activation rows: .npy (float32, float16, bfloat16 as <u2 or V2) or .safetensors files, one data set")
  static let tensor = Option<String>(
    "tensor", "NAME", help: "the tensor of the .safetensors files (default: each file's only matrix)")
  static let sae = Option<String>(
    "sae", "DIR", required: true, help: "a sparse autoencoder directory (SAELens or sparsify layout)")
  static let json = Flag("json", help: "print one JSON object instead of the text")

  static let command = Command(
    name: "sae",
    summary: "sparse autoencoders on model activations: train (TopK, BatchTopK, JumpReLU, L1), eval, encode, report",
    forms: [SAETrainCommand.form, SAEEvalCommand.evalForm, SAEEvalCommand.encodeForm, SAEReportCommand.form],
    notes: """
      Rows larger than 2-D arrays are flattened to rows of the last dimension ([batch, seq, d] gives
      batch * seq rows of d). Files are written in SAELens's layout, which SAELens's
      SAE.load_from_disk reads; SAELens and sparsify directories are read.
      Threads: SPARSITY_NUM_THREADS and OPENBLAS_NUM_THREADS (default: all cores).
      """, run: run)

  static func run(_ arguments: Arguments) throws {
    switch arguments.positionals[0] {
    case "train":
      try arguments.rejectAll(but: SAETrainCommand.form, subject: "train", command: "sae")
      try SAETrainCommand.run(arguments)
    case "eval":
      try arguments.rejectAll(but: SAEEvalCommand.evalForm, subject: "eval", command: "sae")
      try SAEEvalCommand.runEval(arguments)
    case "encode":
      try arguments.rejectAll(but: SAEEvalCommand.encodeForm, subject: "encode", command: "sae")
      try SAEEvalCommand.runEncode(arguments)
    case "report":
      try arguments.rejectAll(but: SAEReportCommand.form, subject: "report", command: "sae")
      try SAEReportCommand.run(arguments)
    case let other:
      throw CLIError.invalidInput("sae: unknown action '\(other)'; expected train, eval, encode or report")
    }
  }

  /// The files of a comma-separated list.
  static func files(_ list: String) -> [URL] {
    list.split(separator: ",").map { URL(fileURLWithPath: String($0)) }
  }

  /// The autoencoder in `--sae`.
  static func autoencoder(_ arguments: Arguments, command: String) throws -> SparseAutoencoder {
    try SAEFiles.read(URL(fileURLWithPath: try arguments.required(sae, command: command)))
  }
}
