import SparsityTestSupport
import SparsityCore
import SparsityNN
import Testing

@testable import SparsityInference

@Suite struct PlannerTests {
  /// A network without a single zero: Sigmoid units (never exactly 0) and dense weights.
  func denseNetwork() -> Sequential {
    ModelArchitecture(
      inputFeatures: 64,
      layers: [
        .linear(outputFeatures: 256), .sigmoid, .linear(outputFeatures: 256), .sigmoid, .linear(outputFeatures: 10),
      ]
    ).makeSequential(seed: 2)
  }

  @Test(arguments: [1, 64])
  func aNetworkWithoutZerosGetsADensePlan(batch: Int) {
    let network = denseNetwork()
    let calibration = TestNetworks.inputs(128, 64, zeros: 0)
    for method in [Planner.Method.costModel, .timed(samples: 3)] {
      let plan = Planner(method: method).plan(network, calibration: calibration, batch: batch)
      #expect(plan.layers.map(\.kernel) == [.dense, .dense, .dense], "\(method)")
      #expect(plan.layers.allSatisfy { Set($0.candidates.map(\.kernel)) == [.dense] }, "only dense is worth trying")
      #expect(plan.wholeModel == nil, "nothing sparse to check")
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
    let threadCounts: Set<Int?> = Parallel.threadCount > 1 ? [1, Parallel.threadCount] : [nil]
    for layer in plan.layers {
      #expect(Set(layer.candidates.map(\.kernel)) == Set(LayerKernel.all), "every kernel is worth trying here")
      #expect(layer.candidates.allSatisfy { $0.milliseconds > 0 && $0.milliseconds.isFinite })
      for kernel in LayerKernel.all {
        #expect(
          Set(layer.candidates.filter { $0.kernel == kernel }.map(\.threads)) == threadCounts,
          "\(kernel) on each thread count")
      }
      #expect(threadCounts.contains(layer.threads), "the plan records the chosen thread count")
      if plan.wholeModel?.fellBack != true {
        let chosen = layer.candidates.first { $0.kernel == layer.kernel && $0.threads == layer.threads }!.milliseconds
        let dense = layer.candidates.filter { $0.kernel == .dense }.map(\.milliseconds).min()!
        #expect(
          layer.kernel == .dense ? chosen == dense : chosen * 1.05 <= dense,
          "a sparse choice beats the faster dense by the margin")
      }
    }
    if let check = plan.wholeModel {
      #expect(check.plannedMilliseconds > 0 && check.denseMilliseconds > 0 && threadCounts.contains(check.denseThreads))
      #expect(check.fellBack == (check.plannedMilliseconds > check.denseMilliseconds))
      if check.fellBack { #expect(plan.layers.allSatisfy { $0.kernel == .dense && $0.threads == check.denseThreads }) }
    } else {
      #expect(plan.layers.allSatisfy { $0.kernel == .dense }, "a plan with a sparse layer is checked as a whole")
    }
    let input = TestNetworks.inputs(7, 40, zeros: 0.5, seed: 9)
    let compiled = CompiledModel(network, plan: plan)
    #expect(relativeError(compiled.predict(input), TestNetworks.reference(network, input)) < 1e-5)
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

  @Test func wholeModelCheckFallsBackToDenseWhenThePlanLoses() {
    let network = TestNetworks.sparseMLP(inputs: 64, hidden: [256], outputs: 10, weightZeros: 0.9)
    let calibration = TestNetworks.inputs(32, 64, zeros: 0.5)
    // A margin of 0 puts every layer on its fastest sparse kernel even where dense is faster;
    // the whole-model check then keeps the plan only if it beats the dense model as a whole.
    var planner = Planner(method: .timed(samples: 3))
    planner.margin = 0
    let plan = planner.plan(network, calibration: calibration, batch: 1)
    #expect(plan.layers.allSatisfy { $0.kernel != .dense } || plan.wholeModel?.fellBack == true)
    let check = try! #require(plan.wholeModel)
    if check.fellBack {
      #expect(plan.layers.allSatisfy { $0.kernel == .dense }, "\(plan.explanation)")
      #expect(plan.explanation.contains("fell back to dense"))
    } else {
      #expect(check.plannedMilliseconds <= check.denseMilliseconds)
      #expect(plan.explanation.contains("plan kept"))
    }
  }
}
