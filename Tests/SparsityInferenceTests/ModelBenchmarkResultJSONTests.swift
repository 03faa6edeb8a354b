import SparsityCore
import SparsityIO
import Testing

@testable import SparsityInference

/// The JSON line of `sparsity bench MODEL --json` for one batch size.
@Suite struct ModelBenchmarkResultJSONTests {
  @Test func theLineWritesTimesThroughputsBytesAccuraciesAndThePlan() throws {
    let layers = [
      LayerPlan(
        layerIndex: 0, inputs: 2, outputs: 2, kernel: .dense, weightDensity: 1, inputDensity: nil,
        inputSource: "input", candidates: [], reason: "dense baseline"),
      LayerPlan(
        layerIndex: 2, inputs: 2, outputs: 2, kernel: .csr, weightDensity: 0.5, inputDensity: 0.5,
        inputSource: "ReLU", candidates: [], reason: "fewer multiply-adds"),
    ]
    let plan = InferencePlan(
      architecture: "2-2-relu-2", batch: 2, threads: 3, method: .costModel, calibrationSamples: 4, layers: layers)
    let result = ModelBenchmarkResult(
      batch: 2, denseMilliseconds: 0.5, denseVariant: .openBLASThreads, sparseMilliseconds: 0.25,
      sparseVariant: .singleThread, denseWeightBytes: 100, sparseWeightBytes: 40, denseAccuracy: 0.5,
      sparseAccuracy: 0.5, relativeError: 0, plan: plan, instructionSet: .baseline)
    #expect(
      try JSONValue(encoding: result).text
        == #"{"batch":2,"dense_ms":0.5,"sparse_ms":0.25,"speedup":2.0,"dense_variant":"openblas-threaded","#
        + #""sparse_variant":"one-thread","dense_samples_per_second":4000.0,"sparse_samples_per_second":8000.0,"#
        + #""dense_bytes":100,"sparse_bytes":40,"dense_accuracy":0.5,"sparse_accuracy":0.5,"relative_error":0.0,"#
        + #""threads":3,"kernels":["dense","csr"],"row_bands":null,"isa":""# + KernelInstructionSet.baseline.description
        + #""}"#)
  }
}
