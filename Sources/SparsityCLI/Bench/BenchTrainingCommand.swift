// `sparsity bench training`: the training throughput of an MLP on random data.

import Foundation
import SparsityBench
import SparsityCore
import SparsityIO

/// The training benchmark of the `bench` subcommand.
enum BenchTrainingCommand {
  static let inputs = Option<Int>(
    "inputs", "N", expected: "an integer from 1 to 65536", default: "784", help: "input features",
    parse: { bounded($0, 1 << 16) })
  static let layers = Option<[Int]>(
    "layers", "LIST", expected: "a comma-separated list of widths from 1 to 65536", default: "512,512",
    help: "hidden layer widths", parse: { BenchCommand.integers($0) })
  static let classes = Option<Int>(
    "classes", "N", expected: "an integer from 2 to 65536", default: "10", help: "classes, the output width",
    parse: { Int($0).flatMap { $0 >= 2 && $0 <= 1 << 16 ? $0 : nil } })
  static let batch = Option<Int>(
    "batch", "N", expected: "an integer from 1 to 65536", default: "128", help: "mini-batch size",
    parse: { bounded($0, 1 << 16) })
  static let samples = Option<Int>(
    "samples", "N", expected: "an integer from 1 to 10000000", default: "60000",
    help: "random samples, one epoch (the run must fit in memory)", parse: { bounded($0, 10_000_000) })
  static let epochs = Option<Int>(
    "epochs", "N", expected: "an integer from 1 to 1000", default: "3", help: "timed epochs",
    parse: { bounded($0, 1000) })
  static let seed = Option<UInt64>(
    "seed", "S", expected: "a non-negative integer", default: "0",
    help: "seed of the data, the initial weights and the shuffles",
    parse: Parse.seed)
  static let json = Flag(
    "json",
    help: "print one object: architecture, batch, samples, threads, samples_per_second, median_samples_per_second")

  static let form = Command.Form(
    positional: Positional("training"),
    options: [
      inputs.spec, layers.spec, classes.spec, batch.spec, samples.spec, epochs.spec, seed.spec, json.spec,
    ],
    description: """
      Training throughput: an MLP (Linear-ReLU per hidden layer, then Linear) trained with Adam on
      random data; prints the samples per second of each epoch and their median (training steps
      only). bench/train_speed.py runs this and the same model in PyTorch and prints the ratio.
      """)

  static func run(_ arguments: Arguments) throws {
    var benchmark = TrainingBenchmark()
    if let value = try arguments.value(inputs) { benchmark.inputs = value }
    if let value = try arguments.value(layers) { benchmark.hiddenLayers = value }
    if let value = try arguments.value(classes) { benchmark.classes = value }
    if let value = try arguments.value(batch) { benchmark.batchSize = value }
    if let value = try arguments.value(samples) { benchmark.samples = value }
    if let value = try arguments.value(epochs) { benchmark.epochs = value }
    if let value = try arguments.value(seed) { benchmark.seed = value }
    try benchmark.checkMemory()
    let json = arguments.flag(Self.json)
    if !json {
      print(
        "Training benchmark: MLP \(benchmark.architecture), batch \(benchmark.batchSize), Adam, \(benchmark.samples) random samples"
      )
      print("Machine: \(MachineDescription.current.summary)")
    }
    let result = benchmark.run { epoch, rate in
      if !json { print(String(format: "epoch %ld: %.0f samples/s", epoch, rate)) }
    }
    if json {
      print(try JSONValue(encoding: result).text)
    } else {
      print(String(format: "median: %.0f samples/s", result.medianSamplesPerSecond))
    }
  }

  /// An integer in 1...`limit`, nil otherwise.
  private static func bounded(_ text: String, _ limit: Int) -> Int? {
    Int(text).flatMap { $0 > 0 && $0 <= limit ? $0 : nil }
  }
}
