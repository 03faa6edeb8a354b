import SparsityCore
import SparsityNN
import Testing

@testable import SparsityInference

@Suite struct ModelBenchmarkTests {
  @Test func denseAndCompiledAgreeAndBothAreTimed() {
    let network = TestNetworks.sparseMLP(inputs: 32, hidden: [128, 128], outputs: 5, weightZeros: 0.9)
    let features = TestNetworks.inputs(40, 32, zeros: 0.4, seed: 5)
    let labels = TestNetworks.reference(network, features).argmaxRows()
    var benchmark = ModelBenchmark()
    benchmark.batches = [1, 16]
    benchmark.samples = 2
    benchmark.blasIdlePause = 0
    benchmark.planner = Planner(method: .timed(samples: 2))
    var reported = 0
    let results = benchmark.run(network, features: features, labels: labels, calibration: features) { _ in reported += 1
    }
    #expect(reported == 2 && results.map(\.batch) == [1, 16])
    for result in results {
      #expect(result.denseAccuracy == 1, "labels are the dense network's own predictions")
      #expect(result.sparseAccuracy == result.denseAccuracy)
      #expect(result.relativeError < 1e-5)
      #expect(result.denseMilliseconds > 0 && result.sparseMilliseconds > 0)
      #expect(result.plan.batch == result.batch)
      #expect(result.denseWeightBytes == (32 * 128 + 128 * 128 + 128 * 5 + 128 + 128 + 5) * 4)
    }
  }
}

extension Tensor {
  /// The column of the largest entry of each row (first on ties).
  func argmaxRows() -> [Int] {
    (0..<rows).map { r in (0..<columns).max { self[r, $0] < self[r, $1] || (self[r, $0] == self[r, $1] && $0 > $1) }! }
  }
}
