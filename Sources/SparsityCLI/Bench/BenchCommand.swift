// `sparsity bench`: kernels, training throughput or a trained model, chosen by the positional.

import Foundation
import SparsityBench
import SparsityCore
import SparsityIO

/// The `bench` subcommand: `kernels` (zero-skipping kernels against dense BLAS), `training`
/// (training throughput) or `MODEL.safetensors` (a model dense against compiled), each a form
/// with its own options.
enum BenchCommand {
  static let command = Command(
    name: "bench", summary: "measure zero-skipping kernels against dense OpenBLAS (median times, speedups, break-even)",
    forms: [BenchKernelsCommand.form, BenchTrainingCommand.form, BenchModelCommand.form],
    notes: """
      Threads: SPARSITY_NUM_THREADS (default: all cores) for the kernels; the dense baseline gets
      OpenBLAS with the same number of threads. Instruction set: the kernels run the best path the
      CPU has (printed on the Machine line); SPARSITY_ISA=baseline|avx2|avx512 picks a lower one.
      """, run: run)

  static func run(_ arguments: Arguments) throws {
    switch arguments.positionals[0] {
    case "kernels":
      try arguments.rejectAll(but: BenchKernelsCommand.form, subject: "kernels", command: "bench")
      try BenchKernelsCommand.run(arguments)
    case "training":
      try arguments.rejectAll(but: BenchTrainingCommand.form, subject: "training", command: "bench")
      try BenchTrainingCommand.run(arguments)
    default:
      try arguments.rejectAll(but: BenchModelCommand.form, subject: "MODEL", command: "bench")
      try BenchModelCommand.run(arguments)
    }
  }

  /// Prints `MachineDescription.unfairBaselineWarning`, if any: on stdout with the text report,
  /// on stderr with --json (so the JSON lines stay parseable).
  static func warnAboutBaseline(json: Bool) {
    guard let warning = MachineDescription.current.unfairBaselineWarning else { return }
    if json {
      FileHandle.standardError.write(Data((warning + "\n").utf8))
    } else {
      print(warning)
    }
  }

  /// A comma-separated list of integers in 1...`maximum`, nil when any entry is not.
  static func integers(_ text: String, maximum: Int = 1 << 16) -> [Int]? {
    let values = text.split(separator: ",", omittingEmptySubsequences: false).map {
      Int($0.trimmingCharacters(in: .whitespaces))
    }
    return values.isEmpty || values.contains(where: { $0 == nil || $0! <= 0 || $0! > maximum })
      ? nil : values.compactMap { $0 }
  }

  /// A comma-separated list of numbers, nil when any entry is not one.
  static func doubles(_ text: String) -> [Double]? {
    let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
    return values.isEmpty || values.contains(nil) ? nil : values.compactMap { $0 }
  }
}

/// "62.5%"-style percentages with up to one decimal.
func percent(_ fraction: Double) -> String {
  let value = fraction * 100
  return value == value.rounded() ? "\(Int(value))%" : String(format: "%.1f%%", value)
}
