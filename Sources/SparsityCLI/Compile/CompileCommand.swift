// `sparsity compile`: choose a kernel per layer of a trained model, explain, save the plan.

import Foundation
import SparsityCore
import SparsityExperiments
import SparsityIO
import SparsityInference

/// The `compile` subcommand.
enum CompileCommand {
  static let batch = Option<Int>(
    "batch", "N", expected: "an integer from 1 to 65536", default: "1", help: "the batch size to plan for",
    parse: { Int($0).flatMap { (1...65536).contains($0) ? $0 : nil } })
  static let samples = Option<Int>(
    "samples", "N", expected: "an integer from 1 to 1000", default: "7",
    help: "timed samples per candidate, median taken",
    parse: { Int($0).flatMap { (1...1000).contains($0) ? $0 : nil } })
  static let costModel = Flag("cost-model", help: "estimate from nonzero counts instead of timing")
  static let out = Option<String>(
    "out", "PLAN.json", help: "save the plan as JSON (atomically); 'sparsity bench MODEL --plan FILE' uses it")
  static let explain = Flag("explain", help: "per layer: shape, densities, candidate times, the choice and why")
  static let json = Flag("json", help: "print the plan as JSON")

  static let command = Command(
    name: "compile",
    summary: "choose the fastest kernel per layer of a model (dense, activation skipping, CSR, BSR) and save the plan",
    positionals: [ModelOptions.model],
    options: [batch.spec] + InferenceInputs.options + [
      samples.spec, costModel.spec, out.spec, explain.spec, json.spec,
    ],
    description: """
      Plans fast inference for a trained model: for every Linear and Conv2d layer it measures the density of
      the weights and, on calibration samples (the training part of the model's data), of the
      layer's inputs, then times each candidate kernel at the given batch size in this process:
        dense                    OpenBLAS sgemv/sgemm
        activation-skipping      dense weights input-major, zero inputs (after ReLU/TopK) skipped
        csr                      only nonzero weights, CSR
        bsr-1x4, bsr-4x1         nonzero weight blocks, BSR
        csr+activation-skipping  only the nonzero weights of nonzero inputs, CSC
      and keeps the fastest if it beats dense by 5% (else dense). The compiled model's outputs
      equal the dense model's up to float rounding.
      """, run: run)

  static func run(_ arguments: Arguments) throws {
    let batch = try arguments.value(Self.batch, default: 1)
    let samples = try arguments.value(Self.samples, default: 7)
    let out = try arguments.value(Self.out)
    if let out { try OutputPath.checkFile(out, option: Self.out.name) }
    let inputs = try InferenceInputs.load(arguments)
    let planner = Planner(method: arguments.flag(Self.costModel) ? .costModel : .timed(samples: samples))
    let plan = planner.plan(inputs.network, calibration: inputs.calibration, batch: batch)
    if let out { try plan.write(to: URL(fileURLWithPath: out)) }
    if arguments.flag(Self.json) {
      print(String(decoding: plan.jsonData, as: UTF8.self))
    } else if arguments.flag(Self.explain) {
      print(plan.explanation)
    } else {
      print("Plan for \(plan.architecture) at batch \(batch):")
      for layer in plan.layers {
        print("  layer \(layer.layerIndex) \(plan.layerName(layer)): \(layer.kernel.name)")
      }
      if let bands = plan.rowBands, bands.kept { print("  row bands: \(bands.summary), one hand-off") }
    }
    if let out = try arguments.value(Self.out), !arguments.flag(Self.json) { print("Saved \(out)") }
  }
}
