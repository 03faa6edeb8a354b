// `sparsity demo`: the main job of `make demo`.

import Foundation
import SparsityBench
import SparsityCore

/// The `demo` subcommand: the seed note's worked example measured, then what skipping zeros
/// buys on this machine (the short kernel benchmark).
enum DemoCommand {
  static let command = Command(
    name: "demo", summary: "the main job: the seed's example measured and the short kernel benchmark",
    usage: usage, options: [], flags: [], run: run)

  static let usage = """
    usage: sparsity demo

    1. Measures the seed note's ReLU output [0, 3.2, 0, 5.1, 0, 0.7, 0, 0].
    2. Runs 'sparsity bench kernels --quick': a 4096x4096 layer, dense OpenBLAS against the
       zero-skipping kernels at 0% and 90% zeros, batch 1 and 64 (about 30 seconds).
    """

  static let seedExample: [Float] = [0, 3.2, 0, 5.1, 0, 0.7, 0, 0]

  static func run(_ arguments: Arguments) throws {
    if !arguments.positionals.isEmpty { throw CLIError.unexpectedArguments(arguments.positionals, command: "demo") }
    let example = Tensor(seedExample)
    let report = example.sparsityReport()
    print("""
      Sparsity demo
      =============

      1. A sparse vector: the seed note's ReLU output
      """)
    let text = Measurement(input: "ReLU output [0, 3.2, 0, 5.1, 0, 0.7, 0, 0]", tensor: example, epsilon: SparsityReport.defaultEpsilon, droppedColumns: []).text
    print(text)
    print("""
      \(report.active) of \(report.count) units are active, so \(report.zeros) of \(report.count) = \(percent(report.sparsity)) \
      are zero (the note rounds this to "60%").

      2. What the zeros buy: Y = X W^T with the zeros skipped, against dense OpenBLAS
      """)
    let benchmark = KernelBenchmark.quick
    print("Machine: \(MachineDescription.current.summary)")
    let progress = ProgressLine(total: benchmark.cases.count)
    let results = benchmark.run { progress.advance(BenchCommand.label($0.benchCase)) }
    progress.finish()
    print(BenchReport.table(results))
    print(BenchReport.breakEvenText(BreakEven.of(results)))
    print("""

      At 0% zeros the skipping kernels only add bookkeeping, so dense BLAS wins; at 90% zeros they \
      read a tenth of the weights. Full sweep: 'sparsity bench kernels' (make bench); recorded figures: \
      docs/PERFORMANCE.md.
      """)
  }
}
