// `sparsity bench kernels`: dense OpenBLAS against every zero-skipping kernel, in one process.

import Foundation
import SparsityBench
import SparsityCore
import SparsityIO

/// The kernel benchmark of the `bench` subcommand.
enum BenchKernelsCommand {
  static let sizes = Option<[Int]>(
    "sizes", "LIST", expected: "a comma-separated list of sizes from 1 to 16384", default: "4096,1024",
    help: "square weight sizes", parse: { BenchCommand.integers($0, maximum: 16384) })
  static let batches = Option<[Int]>(
    "batches", "LIST", expected: "a comma-separated list of batch sizes from 1 to 65536", default: "1,64",
    help: "batch sizes", parse: { BenchCommand.integers($0, maximum: 65536) })
  static let sparsities = Option<[Double]>(
    "sparsities", "LIST", expected: "a comma-separated list of percentages in 0...100", default: "0,50,70,90,95,99",
    help: "zero percentages, 0..100",
    parse: { text in
      BenchCommand.doubles(text).flatMap { $0.allSatisfy { (0...100).contains($0) } ? $0.map { $0 / 100 } : nil }
    })
  static let kernels = Option<[BenchmarkKernel]>(
    "kernels", "LIST", expected: "a list of \(BenchmarkKernel.allCases.map(\.rawValue))", default: "all",
    help: "any of \(BenchmarkKernel.allCases.map(\.rawValue).joined(separator: ", "))",
    parse: { text in
      let parsed = text.split(separator: ",").map { BenchmarkKernel(rawValue: String($0)) }
      return parsed.isEmpty || parsed.contains(nil) ? nil : parsed.compactMap { $0 }
    })
  static let samples = Option<Int>(
    "samples", "N", expected: "an integer from 1 to 1000", default: "7", help: "timed samples per side",
    parse: { Int($0).flatMap { (1...1000).contains($0) ? $0 : nil } })
  static let seed = Option<UInt64>(
    "seed", "S", expected: "a non-negative integer", default: "0", help: "seed of the random weights and inputs",
    parse: Parse.seed)
  static let quick = Flag(
    "quick",
    help:
      "the short form: 4096x4096, batches 1 and 64, sparsity 0 and 90%, activation-skipping, csr and bsr-1x4, 5 samples (about 30 s)"
  )
  static let json = Flag("json", help: "one JSON object per case, a line each")

  static let form = Command.Form(
    positional: Positional("kernels"),
    options: [sizes.spec, batches.spec, sparsities.spec, kernels.spec, samples.spec, seed.spec, quick.spec, json.spec],
    description: """
      Times Y = X W^T, a linear layer's forward product, with dense OpenBLAS (sgemv at batch 1,
      sgemm otherwise) and with each zero-skipping kernel, on the same data in one process:
        activation-skipping  dense W, inputs X with the given fraction of zeros (ReLU outputs)
        csr                  W with the given fraction of zeros at random, stored as CSR
        bsr-1x4, bsr-4x1     W pruned in 1x4 or 4x1 blocks to the given sparsity, stored as BSR
      Each case cycles through 8 different inputs and alternates dense and sparse samples; the
      figures are medians. Also reported: agreement with BLAS (max-norm relative error) and the
      break-even sparsity, from which the kernel beats dense.
      """)

  static func run(_ arguments: Arguments) throws {
    let benchmark = try configuration(arguments)
    try benchmark.checkMemory()
    let json = arguments.flag(Self.json)
    let progress = ProgressLine(total: benchmark.cases.count, enabled: !json)
    if !json {
      print(
        "Kernel benchmark: Y = X W^T, OpenBLAS dense against zero-skipping kernels, median of \(benchmark.samples) samples"
      )
      print("Machine: \(MachineDescription.current.summary)")
    }
    BenchCommand.warnAboutBaseline(json: json)
    let results = benchmark.run { result in progress.advance(label(result.benchCase)) }
    progress.finish()
    if json {
      for record in KernelBenchmarkRecord.records(results) { print(try JSONValue(encoding: record).text) }
    } else {
      print(BenchReport.table(results))
      print(BenchReport.breakEvenText(BreakEven.of(results)))
    }
  }

  /// The benchmark the options describe: `--quick` or the defaults, changed by the other options.
  static func configuration(_ arguments: Arguments) throws(CLIError) -> KernelBenchmark {
    var benchmark = arguments.flag(Self.quick) ? KernelBenchmark.quick : KernelBenchmark()
    if let sizes = try arguments.value(Self.sizes) { benchmark.sizes = sizes }
    if let batches = try arguments.value(Self.batches) { benchmark.batches = batches }
    if let sparsities = try arguments.value(Self.sparsities) { benchmark.sparsities = sparsities }
    if let kernels = try arguments.value(Self.kernels) { benchmark.kernels = kernels }
    if let samples = try arguments.value(Self.samples) { benchmark.samples = samples }
    if let seed = try arguments.value(Self.seed) { benchmark.seed = seed }
    return benchmark
  }

  static func label(_ c: KernelBenchmarkCase) -> String {
    "\(c.kernel.rawValue) \(c.rows)x\(c.columns) batch \(c.batch) sparsity \(percent(c.sparsity))"
  }
}
