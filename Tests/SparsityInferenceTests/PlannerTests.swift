import SparsityCore
import SparsityNN
import Testing
@testable import SparsityInference

@Suite struct PlannerTests {
  /// A network without a single zero: Sigmoid units (never exactly 0) and dense weights.
  func denseNetwork() -> Sequential {
    ModelArchitecture(inputFeatures: 64, layers: [
      .linear(outputFeatures: 256), .sigmoid, .linear(outputFeatures: 256), .sigmoid, .linear(outputFeatures: 10),
    ]).makeSequential(seed: 2)
  }

  @Test(arguments: [1, 64])
  func aNetworkWithoutZerosGetsADensePlan(batch: Int) {
    let network = denseNetwork()
    let calibration = TestNetworks.inputs(128, 64, zeros: 0)
    for method in [Planner.Method.costModel, .timed(samples: 3)] {
      let plan = Planner(method: method).plan(network, calibration: calibration, batch: batch)
      #expect(plan.layers.map(\.kernel) == [.dense, .dense, .dense], "\(method)")
      #expect(plan.layers.allSatisfy { $0.candidates.map(\.kernel) == [.dense] }, "only dense is worth trying")
    }
  }

  @Test func sparseWeightsAndActivationsGetSparseKernelsFromTheCostModel() {
    let network = TestNetworks.sparseMLP(inputs: 64, hidden: [1024, 1024], outputs: 10, weightZeros: 0.9)
    let plan = Planner(method: .costModel).plan(network, calibration: TestNetworks.inputs(64, 64, zeros: 0.5), batch: 1)
    #expect(plan.method == .costModel)
    #expect(plan.layers.count == 3)
    #expect(plan.layers.allSatisfy { $0.kernel.skipsZeroWeights }, "\(plan.layers.map(\.kernel))")
    #expect(plan.layers[1].inputDensity! < 0.9 && plan.layers[1].inputSource == "ReLU")
    #expect(abs(plan.layers[1].weightDensity - 0.1) < 0.01)
  }

  @Test func timedPlanRecordsEveryCandidateAndItsOutputsMatch() {
    let network = TestNetworks.sparseMLP(inputs: 40, hidden: [300], outputs: 6, weightZeros: 0.9)
    let calibration = TestNetworks.inputs(50, 40, zeros: 0.5)
    let plan = Planner(method: .timed(samples: 3)).plan(network, calibration: calibration, batch: 4)
    #expect(plan.method == .timed && plan.batch == 4 && plan.calibrationSamples == 50)
    for layer in plan.layers {
      #expect(Set(layer.candidates.map(\.kernel)) == Set(LayerKernel.all), "every kernel is worth trying here")
      #expect(layer.candidates.allSatisfy { $0.milliseconds > 0 && $0.milliseconds.isFinite })
      let chosen = layer.candidates.first { $0.kernel == layer.kernel }!.milliseconds
      let dense = layer.candidates.first { $0.kernel == .dense }!.milliseconds
      #expect(layer.kernel == .dense || chosen * 1.05 <= dense, "a sparse choice beats dense by the margin")
    }
    let input = TestNetworks.inputs(7, 40, zeros: 0.5, seed: 9)
    let compiled = CompiledModel(network, plan: plan)
    #expect(TestNetworks.relativeError(compiled.predict(input), TestNetworks.reference(network, input)) < 1e-5)
  }

  @Test func explanationNamesShapesDensitiesCandidatesAndTheChoice() {
    let network = TestNetworks.sparseMLP(inputs: 64, hidden: [128], outputs: 10, weightZeros: 0.9)
    let plan = Planner(method: .costModel).plan(network, calibration: TestNetworks.inputs(32, 64, zeros: 0.5), batch: 1)
    let text = plan.explanation
    #expect(text.contains("at batch 1"))
    #expect(text.contains("layer 0 Linear(64, 128)  weights 10.0% nonzero  inputs (from data)"))
    #expect(text.contains("layer 2 Linear(128, 10)"))
    #expect(text.contains("(from ReLU)"))
    #expect(text.contains("candidates: dense "))
    #expect(text.contains("chosen: \(plan.layers[0].kernel.name) ("))
  }
}
