// Inference plans: InferencePlan.decode (StrictJSONDecoder, snake_case keys, then its own checks).

import Foundation
import SparsityCore
import SparsityInference
import SparsityNN

/// `InferencePlan.decode`: positive batch and threads, each layer's threads within the plan's;
/// the plan written (`jsonData`) and read back is equal; its explanation and its check against a
/// network run without trapping.
enum PlanHarness: Harness {
  static let maximumLength = 4096
  static let entryPoints = "InferencePlan.decode"

  /// A small network to check decoded plans against (`mismatch(with:)`).
  nonisolated(unsafe) static let network = ModelArchitecture(
    inputFeatures: 4,
    layers: [.linear(outputFeatures: 3), .relu, .dropout(probability: 0.5), .linear(outputFeatures: 2)]
  ).makeSequential(seed: 1)

  static func run(_ data: Data) -> Bool {
    guard let plan = try? InferencePlan.decode(data, file: "fuzz-plan.json") else { return false }
    precondition(plan.batch > 0 && plan.threads > 0, "plan: batch \(plan.batch), threads \(plan.threads)")
    precondition(plan.layers.allSatisfy { ($0.threads ?? 1) >= 1 && ($0.threads ?? 1) <= plan.threads }, "threads")
    let again = mustDecode("InferencePlan.jsonData") { () throws(InferencePlanError) in
      try InferencePlan.decode(plan.jsonData, file: "again-plan.json")
    }
    precondition(again == plan, "plan round trip differs")
    precondition(!plan.explanation.isEmpty, "empty explanation")
    _ = plan.mismatch(with: network)
    return true
  }

  static var seeds: [String: Data] {
    var timed = InferencePlan(
      architecture: "4-3-relu-dropout:0.5-2", batch: 8, threads: 2, method: .timed, calibrationSamples: 64,
      layers: [
        LayerPlan(
          layerIndex: 0, inputs: 4, outputs: 3, kernel: .csr, weightDensity: 0.25, inputDensity: nil,
          inputSource: "data",
          candidates: [.init(kernel: .dense, milliseconds: 0.5), .init(kernel: .csr, milliseconds: 0.1)],
          reason: "fastest", threads: 1),
        LayerPlan(
          layerIndex: 3, inputs: 3, outputs: 2, kernel: .bsr(blockRows: 1, blockColumns: 4), weightDensity: 0.5,
          inputDensity: 0.4, inputSource: "ReLU",
          candidates: [.init(kernel: .sparseInputSparseWeights, milliseconds: 1, threads: 2)],
          reason: "only candidate"),
      ])
    timed.wholeModel = WholeModelCheck(
      plannedMilliseconds: 0.2, denseMilliseconds: 0.6, denseThreads: 2, fellBack: false)
    return [
      "dense.json": InferencePlan.dense(for: network, batch: 1, threads: 1).jsonData, "timed.json": timed.jsonData,
    ]
  }
}
