// `sparsity bench kernels`: dense OpenBLAS against every zero-skipping kernel, in one process.

import SparsityIO
import Foundation
import SparsityBench
import SparsityCore

/// The `bench` subcommand: `kernels` (zero-skipping kernels against dense BLAS) or `training`.
enum BenchCommand {
  static let command = Command(
    name: "bench", summary: "measure zero-skipping kernels against dense OpenBLAS (median times, speedups, break-even)",
    usage: usage,
    options: kernelOptions.union(trainingOptions).union(BenchModelCommand.options).subtracting(flags),
    flags: flags, run: run)

  static let flags: Set<String> = ["json", "quick"]
  /// What `bench kernels` takes (options and flags): the first usage block below.
  static let kernelOptions: Set<String> = [
    "sizes", "batches", "sparsities", "kernels", "samples", "seed", "quick", "json",
  ]
  /// What `bench training` takes (options and flags): the second usage block below.
  static let trainingOptions: Set<String> = [
    "inputs", "layers", "classes", "batch", "samples", "epochs", "seed", "json",
  ]

  static let usage = """
    usage: sparsity bench kernels [--sizes 4096,1024] [--batches 1,64]
                                  [--sparsities 0,50,70,90,95,99] [--kernels LIST]
                                  [--samples 7] [--seed 0] [--quick] [--json]

    Times Y = X W^T, a linear layer's forward product, with dense OpenBLAS (sgemv at batch 1,
    sgemm otherwise) and with each zero-skipping kernel, on the same data in one process:
      activation-skipping  dense W, inputs X with the given fraction of zeros (ReLU outputs)
      csr                  W with the given fraction of zeros at random, stored as CSR
      bsr-1x4, bsr-4x1     W pruned in 1x4 or 4x1 blocks to the given sparsity, stored as BSR
    Each case cycles through 8 different inputs and alternates dense and sparse samples; the
    figures are medians. Also reported: agreement with BLAS (max-norm relative error) and the
    break-even sparsity, from which the kernel beats dense.

    options:
      --sizes LIST       square weight sizes (default 4096,1024)
      --batches LIST     batch sizes (default 1,64)
      --sparsities LIST  zero percentages, 0..100 (default 0,50,70,90,95,99)
      --kernels LIST     any of \(BenchmarkKernel.allCases.map(\.rawValue).joined(separator: ", ")) (default all)
      --samples N        timed samples per side (default 7)
      --seed S           seed of the random weights and inputs (default 0)
      --quick            the short form: 4096x4096, batches 1 and 64, sparsity 0 and 90%,
                         activation-skipping, csr and bsr-1x4, 5 samples (about 30 s)
      --json             one JSON object per case, a line each
      -h, --help         show this help
    Threads: SPARSITY_NUM_THREADS (default: all cores) for the kernels; the dense baseline gets
    OpenBLAS with the same number of threads. Instruction set: the kernels run the best path the
    CPU has (printed on the Machine line); SPARSITY_ISA=baseline|avx2|avx512 picks a lower one.

    usage: sparsity bench training [--inputs 784] [--layers 512,512] [--classes 10] [--batch 128]
                                   [--samples 60000] [--epochs 3] [--seed 0] [--json]

    Training throughput: an MLP (Linear-ReLU per hidden layer, then Linear) trained with Adam on
    random data; prints the samples per second of each epoch and their median (training steps
    only). bench/train_speed.py runs this and the same model in PyTorch and prints the ratio.

    \(BenchModelCommand.usage)
    """

  static func run(_ arguments: Arguments) throws {
    switch arguments.positionals {
    case ["kernels"]:
      try rejectAll(but: kernelOptions, in: arguments, subject: "kernels")
      try runKernels(arguments)
    case ["training"]:
      try rejectAll(but: trainingOptions, in: arguments, subject: "training")
      try runTraining(arguments)
    case let positionals where positionals.count == 1:
      try rejectAll(but: BenchModelCommand.acceptedOptions, in: arguments, subject: "MODEL")
      try BenchModelCommand.run(arguments)
    default:
      throw CLIError.invalidInput(
        "bench: say what to benchmark: 'sparsity bench kernels', 'sparsity bench training' or 'sparsity bench MODEL.safetensors' (see 'sparsity help bench')"
      )
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

  /// Throws when an option outside `accepted` was given: one of another subject, which this
  /// subject would silently ignore.
  static func rejectAll(but accepted: Set<String>, in arguments: Arguments, subject: String) throws {
    if let name = arguments.givenNames.first(where: { !accepted.contains($0) }) {
      throw CLIError.invalidInput("bench \(subject): option --\(name) does not apply here; see 'sparsity help bench'")
    }
  }

  static func runKernels(_ arguments: Arguments) throws {
    let benchmark = try configuration(arguments)
    let json = arguments.flag("json")
    let progress = ProgressLine(total: benchmark.cases.count, enabled: !json)
    if !json {
      print(
        "Kernel benchmark: Y = X W^T, OpenBLAS dense against zero-skipping kernels, median of \(benchmark.samples) samples"
      )
      print("Machine: \(MachineDescription.current.summary)")
    }
    warnAboutBaseline(json: json)
    let results = benchmark.run { result in progress.advance(label(result.benchCase)) }
    progress.finish()
    if json {
      for line in jsonLines(results) { print(line) }
    } else {
      print(BenchReport.table(results))
      print(BenchReport.breakEvenText(BreakEven.of(results)))
    }
  }

  static func runTraining(_ arguments: Arguments) throws {
    var benchmark = TrainingBenchmark()
    let bounded = { (limit: Int) in { (text: String) -> Int? in Int(text).flatMap { $0 > 0 && $0 <= limit ? $0 : nil } }
    }
    if let value = try arguments.value("inputs", expected: "an integer from 1 to 65536", bounded(1 << 16)) {
      benchmark.inputs = value
    }
    if let value = try arguments.value(
      "layers", expected: "a comma-separated list of widths from 1 to 65536", { integers($0) })
    {
      benchmark.hiddenLayers = value
    }
    if let value = try arguments.value(
      "classes", expected: "an integer from 2 to 65536", { Int($0).flatMap { $0 >= 2 && $0 <= 1 << 16 ? $0 : nil } })
    {
      benchmark.classes = value
    }
    if let value = try arguments.value("batch", expected: "an integer from 1 to 65536", bounded(1 << 16)) {
      benchmark.batchSize = value
    }
    if let value = try arguments.value("samples", expected: "an integer from 1 to 10000000", bounded(10_000_000)) {
      benchmark.samples = value
    }
    if let value = try arguments.value("epochs", expected: "an integer from 1 to 1000", bounded(1000)) {
      benchmark.epochs = value
    }
    guard benchmark.samples * benchmark.inputs <= 1 << 30 else {
      throw CLIError.invalidInput("bench training: --samples x --inputs must stay under 2^30 values (4 GiB of data)")
    }
    if let seed = try arguments.value("seed", expected: "a non-negative integer", { UInt64($0) }) {
      benchmark.seed = seed
    }
    let json = arguments.flag("json")
    if !json {
      print(
        "Training benchmark: MLP \(benchmark.architecture), batch \(benchmark.batchSize), Adam, \(benchmark.samples) random samples"
      )
      print("Machine: \(MachineDescription.current.summary)")
    }
    let rates = benchmark.run { epoch, rate in
      if !json { print(String(format: "epoch %d: %.0f samples/s", epoch, rate)) }
    }
    let median = MedianTimer.median(rates)
    if json {
      print(
        JSONValue.object([
          ("architecture", .string(benchmark.architecture)), ("batch", .integer(benchmark.batchSize)),
          ("samples", .integer(benchmark.samples)), ("threads", .integer(MachineDescription.current.kernelThreads)),
          ("samples_per_second", .array(rates.map { .double($0) })), ("median_samples_per_second", .double(median)),
        ]).text)
    } else {
      print(String(format: "median: %.0f samples/s", median))
    }
  }

  static func label(_ c: KernelBenchmarkCase) -> String {
    "\(c.kernel.rawValue) \(c.rows)x\(c.columns) batch \(c.batch) sparsity \(percent(c.sparsity))"
  }

  /// The benchmark the options describe.
  static func configuration(_ arguments: Arguments) throws -> KernelBenchmark {
    var benchmark = KernelBenchmark()
    if arguments.flag("quick") { benchmark = .quick }
    let positive = "a comma-separated list of positive integers"
    if let sizes = try arguments.value(
      "sizes", expected: "a comma-separated list of sizes from 1 to 16384", { integers($0, maximum: 16384) })
    {
      benchmark.sizes = sizes
    }
    if let batches = try arguments.value("batches", expected: positive, { integers($0) }) {
      benchmark.batches = batches
    }
    if let list = try arguments.value(
      "sparsities", expected: "a comma-separated list of percentages in 0...100",
      { text in
        doubles(text).flatMap { $0.allSatisfy { (0...100).contains($0) } ? $0.map { $0 / 100 } : nil }
      })
    {
      benchmark.sparsities = list
    }
    if let kernels = try arguments.value(
      "kernels", expected: "a list of \(BenchmarkKernel.allCases.map(\.rawValue))",
      { text in
        let parsed = text.split(separator: ",").map { BenchmarkKernel(rawValue: String($0)) }
        return parsed.isEmpty || parsed.contains(nil) ? nil : parsed.compactMap { $0 }
      })
    {
      benchmark.kernels = kernels
    }
    if let samples = try arguments.value(
      "samples", expected: "an integer from 1 to 1000", { Int($0).flatMap { (1...1000).contains($0) ? $0 : nil } })
    {
      benchmark.samples = samples
    }
    if let seed = try arguments.value("seed", expected: "a non-negative integer", { UInt64($0) }) {
      benchmark.seed = seed
    }
    return benchmark
  }

  static func integers(_ text: String, maximum: Int = 1 << 16) -> [Int]? {
    let values = text.split(separator: ",", omittingEmptySubsequences: false).map {
      Int($0.trimmingCharacters(in: .whitespaces))
    }
    return values.isEmpty || values.contains(where: { $0 == nil || $0! <= 0 || $0! > maximum })
      ? nil : values.compactMap { $0 }
  }

  static func doubles(_ text: String) -> [Double]? {
    let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
    return values.isEmpty || values.contains(nil) ? nil : values.compactMap { $0 }
  }

  /// One compact JSON object per case.
  static func jsonLines(_ results: [KernelBenchmarkResult]) -> [String] {
    let breakEvens = BreakEven.of(results)
    return results.map { r in
      let c = r.benchCase
      let breakEven = breakEvens.first {
        $0.kernel == c.kernel && $0.rows == c.rows && $0.columns == c.columns && $0.batch == c.batch
      }?.sparsity
      return JSONValue.object([
        ("kernel", .string(c.kernel.rawValue)), ("rows", .integer(c.rows)), ("cols", .integer(c.columns)),
        ("batch", .integer(c.batch)), ("sparsity", .double(c.sparsity)),
        ("dense_ms", .double(r.denseMilliseconds)), ("sparse_ms", .double(r.sparseMilliseconds)),
        ("speedup", .double(r.speedup)), ("relative_error", .double(r.relativeError)),
        ("dense_bytes", .integer(r.denseWeightBytes)), ("sparse_bytes", .integer(r.sparseWeightBytes)),
        ("break_even_sparsity", breakEven.map { .double($0) } ?? .null),
        ("isa", .string(KernelInstructionSet.active.description)),
      ]).text
    }
  }
}

/// "62.5%"-style percentages with up to one decimal.
func percent(_ fraction: Double) -> String {
  let value = fraction * 100
  return value == value.rounded() ? "\(Int(value))%" : String(format: "%.1f%%", value)
}
