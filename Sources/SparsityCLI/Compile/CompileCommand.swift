// `sparsity compile`: choose a kernel per layer of a trained model, explain, save the plan.

import Foundation
import SparsityCore
import SparsityIO
import SparsityInference

/// The `compile` subcommand.
enum CompileCommand {
  static let command = Command(
    name: "compile",
    summary: "choose the fastest kernel per layer of a model (dense, activation skipping, CSR, BSR) and save the plan",
    usage: usage, options: InferenceInputs.options.union(["batch", "samples", "out"]),
    flags: ["explain", "cost-model", "json"], run: run)

  static let usage = """
    usage: sparsity compile MODEL.safetensors [--batch 1] [--data SOURCE] [--label-column N]
                            [--architecture ARCH] [--samples 7] [--cost-model]
                            [--out PLAN.json] [--explain] [--json]

    Plans fast inference for a trained model: for every Linear layer it measures the density of
    the weights and, on calibration samples (the training part of the model's data), of the
    layer's inputs, then times each candidate kernel at the given batch size in this process:
      dense                    OpenBLAS sgemv/sgemm
      activation-skipping      dense weights input-major, zero inputs (after ReLU/TopK) skipped
      csr                      only nonzero weights, CSR
      bsr-1x4, bsr-4x1         nonzero weight blocks, BSR
      csr+activation-skipping  only the nonzero weights of nonzero inputs, CSC
    and keeps the fastest if it beats dense by 5% (else dense). The compiled model's outputs
    equal the dense model's up to float rounding.

    options:
      --batch N          the batch size to plan for (default 1)
      --data SOURCE      calibration data (default: the model's; \(DatasetSource.forms))
      --samples N        timed samples per candidate, median taken (default 7)
      --cost-model       estimate from nonzero counts instead of timing
      --out FILE         save the plan as JSON (atomically); 'sparsity bench MODEL --plan FILE' uses it
      --explain          per layer: shape, densities, candidate times, the choice and why
      --json             print the plan as JSON
    """

  static func run(_ arguments: Arguments) throws {
    let batch =
      try arguments.value(
        "batch", expected: "an integer from 1 to 65536", { Int($0).flatMap { (1...65536).contains($0) ? $0 : nil } })
      ?? 1
    let samples =
      try arguments.value(
        "samples", expected: "an integer from 1 to 1000", { Int($0).flatMap { (1...1000).contains($0) ? $0 : nil } })
      ?? 7
    let inputs = try InferenceInputs.load(arguments, command: "compile")
    let planner = Planner(method: arguments.flag("cost-model") ? .costModel : .timed(samples: samples))
    let plan = planner.plan(inputs.network, calibration: inputs.calibration, batch: batch)
    if let out = arguments.value("out") { try plan.write(to: URL(fileURLWithPath: out)) }
    if arguments.flag("json") {
      print(String(decoding: plan.jsonData, as: UTF8.self))
    } else if arguments.flag("explain") {
      print(plan.explanation)
    } else {
      print("Plan for \(plan.architecture) at batch \(batch):")
      for layer in plan.layers {
        print("  layer \(layer.layerIndex) Linear(\(layer.inputs), \(layer.outputs)): \(layer.kernel.name)")
      }
    }
    if let out = arguments.value("out"), !arguments.flag("json") { print("Saved \(out)") }
  }
}
