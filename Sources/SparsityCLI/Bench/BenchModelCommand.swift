// `sparsity bench MODEL.safetensors`: a trained model dense against compiled, in one process.

import Foundation
import SparsityBench
import SparsityCore
import SparsityIO
import SparsityInference
import SparsityReport

/// The model benchmark of the `bench` subcommand.
enum BenchModelCommand {
  static let batch = Option<[Int]>(
    "batch", "LIST", expected: "a comma-separated list of batch sizes from 1 to 65536", default: "1,8,64",
    help: "batch sizes", parse: { BenchCommand.integers($0) })
  static let plan = Option<String>(
    "plan", "PLAN.json",
    help: "run this plan (saved by 'sparsity compile --out') at every batch size instead of planning anew")
  static let samples = Option<Int>(
    "samples", "N", expected: "an integer from 1 to 1000", default: "9", help: "timed samples per figure, median taken",
    parse: { Int($0).flatMap { (1...1000).contains($0) ? $0 : nil } })
  static let json = Flag(
    "json",
    help:
      "print one object per batch size with batch, dense_ms, sparse_ms, speedup, throughputs, bytes, accuracies, relative_error and kernels"
  )

  static let form = Command.Form(
    positional: ModelOptions.model,
    options: InferenceInputs.options + [batch.spec, plan.spec, samples.spec, json.spec],
    description: """
      Runs a trained model dense (OpenBLAS) and compiled (the kernel per layer that `compile`
      chooses, planned anew for each batch size unless --plan is given) on the test part of its
      data, in one process. Per batch size: median latency and throughput of both, the speedup,
      weight bytes dense against sparse, the accuracy of both and their agreement. The dense
      figure is the faster of OpenBLAS single-threaded with calls split over Sparsity's threads
      and OpenBLAS with its own threads; the compiled model is timed both ways too (its dense
      layers call OpenBLAS), and its faster figure counts.
      """)

  static func run(_ arguments: Arguments) throws {
    let inputs = try InferenceInputs.load(arguments)
    var benchmark = ModelBenchmark()
    if let batches = try arguments.value(batch) { benchmark.batches = batches }
    if let samples = try arguments.value(Self.samples) { benchmark.samples = samples }
    if let path = try arguments.value(plan) {
      benchmark.plan = try InferencePlan.read(contentsOf: URL(fileURLWithPath: path), for: inputs.network)
    }
    let json = arguments.flag(Self.json)
    if !json {
      print(
        "Model benchmark: \(inputs.path) on \(inputs.source) (test part, \(inputs.test.sampleCount) samples), dense against compiled"
      )
      print("Machine: \(MachineDescription.current.summary)")
    }
    BenchCommand.warnAboutBaseline(json: json)
    var failure: (any Error)?
    let results = benchmark.run(
      inputs.network, features: inputs.test.features, labels: inputs.test.labels, calibration: inputs.calibration
    ) { result in
      do { print(json ? try JSONValue(encoding: result).text : text(result)) } catch { failure = failure ?? error }
    }
    if let failure { throw failure }
    if !json, let last = results.last {
      print(
        "Weights: dense \(NumberFormat.bytes(last.denseWeightBytes)), compiled \(NumberFormat.bytes(last.sparseWeightBytes)) (at batch \(last.batch))"
      )
    }
  }

  /// The text block of one batch size.
  static func text(_ r: ModelBenchmarkResult) -> String {
    return String(
      format: "batch %ld: dense %.4f ms (%.0f samples/s, %@), compiled %.4f ms (%.0f samples/s, %@), speedup %.2fx\n"
        + "  accuracy dense %.2f%%, compiled %.2f%%; relative error %.1e; weights %@ -> %@; kernels %@",
      r.batch, r.denseMilliseconds, r.denseThroughput, r.denseVariant.rawValue, r.sparseMilliseconds,
      r.sparseThroughput, r.sparseVariant.rawValue, r.speedup,
      r.denseAccuracy * 100, r.sparseAccuracy * 100, r.relativeError, NumberFormat.bytes(r.denseWeightBytes),
      NumberFormat.bytes(r.sparseWeightBytes), r.plan.kernelSummary)
  }
}
