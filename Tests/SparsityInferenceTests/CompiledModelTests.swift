import SparsityTestSupport
import SparsityCore
import SparsityNN
import Testing

@testable import SparsityInference

@Suite struct CompiledModelTests {
  /// Every layer type a model file can hold, with Dropout between Linear and ReLU and two
  /// activations in a row (one cannot fuse).
  func everyLayerNetwork() -> Sequential {
    let architecture = ModelArchitecture(
      inputFeatures: 40,
      layers: [
        .linear(outputFeatures: 64), .dropout(probability: 0.3), .relu, .linear(outputFeatures: 48),
        .leakyReLU(negativeSlope: 0.05),
        .linear(outputFeatures: 32, bias: false), .sigmoid, .topK(k: 7), .linear(outputFeatures: 24), .relu, .sigmoid,
        .linear(outputFeatures: 5),
      ])
    let network = architecture.makeSequential(seed: 4)
    TestNetworks.prune(network, fraction: 0.7)
    return network
  }

  /// A plan giving every Linear layer `kernel`.
  func uniformPlan(_ network: Sequential, _ kernel: LayerKernel) -> InferencePlan {
    var plan = InferencePlan.dense(for: network)
    for i in plan.layers.indices { plan.layers[i].kernel = kernel }
    return plan
  }

  @Test(arguments: LayerKernel.all)
  func everyKernelReproducesTheNetworkOnEveryLayerType(kernel: LayerKernel) {
    let network = everyLayerNetwork()
    let compiled = CompiledModel(network, plan: uniformPlan(network, kernel))
    for batch in [1, 6, 8, 16, 65] {
      let input = TestNetworks.inputs(batch, 40, zeros: 0.5, seed: UInt64(batch))
      let error = relativeError(compiled.predict(input), TestNetworks.reference(network, input))
      #expect(error < 1e-5, "\(kernel) batch \(batch): error \(error)")
    }
  }

  @Test func activationsFuseIntoTheLinearBeforeThemAndDropoutDisappears() {
    let compiled = CompiledModel.dense(everyLayerNetwork())
    // Linear+ReLU, Linear+LeakyReLU, Linear+Sigmoid, TopK, Linear+ReLU, Sigmoid, Linear.
    #expect(compiled.stages.count == 7)
    #expect(compiled.kernels == [.dense, .dense, .dense, .dense, .dense])
  }

  @Test func buffersGrowAndShrinkWithTheBatchWithoutChangingResults() {
    let network = TestNetworks.sparseMLP(inputs: 30, hidden: [50, 40], outputs: 4, weightZeros: 0.9)
    let compiled = CompiledModel(network, plan: uniformPlan(network, .sparseInputSparseWeights))
    for batch in [5, 2, 9, 1] {
      let input = TestNetworks.inputs(batch, 30, zeros: 0.3, seed: UInt64(10 + batch))
      #expect(relativeError(compiled.predict(input), TestNetworks.reference(network, input)) < 1e-5)
    }
  }

  @Test func storedBytesShrinkWithSparseKernels() {
    let network = TestNetworks.sparseMLP(inputs: 64, hidden: [256, 256], outputs: 10, weightZeros: 0.9)
    let dense = CompiledModel.dense(network).storedWeightBytes
    #expect(dense == (64 * 256 + 256 * 256 + 256 * 10 + 256 + 256 + 10) * 4)
    #expect(CompiledModel(network, plan: uniformPlan(network, .csr)).storedWeightBytes < dense / 3)
  }

  @Test func topKStageKeepsTheLargestWithTiesToTheLowestIndex() {
    let x: [Float] = [3, 1, 3, -2, 3, 0, 5, -0.0]
    var y = [Float](repeating: .nan, count: 8)
    x.withUnsafeBufferPointer { InferenceStage.keepLargest(3, &y, $0.baseAddress!, 8) }
    #expect(y == [3, 0, 3, 0, 0, 0, 5, 0])
    let layer = TopK(k: 3)
    var out = Tensor(zeros: [1, 8])
    layer.forward(Tensor(shape: [1, 8], scalars: x), into: &out, training: false)
    #expect(out.scalars == y)
  }
}
