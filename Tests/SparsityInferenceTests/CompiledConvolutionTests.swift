import SparsityCore
import SparsityNN
import SparsityTestSupport
import Testing

@testable import SparsityInference

@Suite struct CompiledConvolutionTests {
  /// A small CNN with every image layer the engine handles: folded and standalone batch norm,
  /// fused ReLU, pooling, a residual block, flatten; its conv weights about 70% pruned and its
  /// batch-norm statistics moved by training-mode passes.
  func imageNetwork() throws -> Sequential {
    let architecture = try ModelArchitecture(
      parsing:
        "2x9x9,conv:4:3x3:p1,bn,relu,maxpool:2:s1,conv:6:3x3:s2:p1,relu,dropout2d:0.2,bn,res(conv:6:3x3:p1,bn|conv:6:1x1),avgpool:2,topk:2:channel,conv:3:1x1,gap,flatten,5"
    )
    let network = architecture.makeSequential(seed: 5, initialization: .pytorchDefault)
    Pruner(model: network, scope: .perLayer).prune(toSparsity: 0.7)
    let warmUp = TestNetworks.inputs(16, 162, zeros: 0.3, seed: 6)
    for _ in 0..<3 { network.forward(warmUp, training: true) }
    return network
  }

  @Test(arguments: CompiledConvolution.kernels)
  func everyConvolutionKernelReproducesTheNetwork(kernel: LayerKernel) throws {
    let network = try imageNetwork()
    var plan = InferencePlan.dense(for: network)
    for i in plan.layers.indices where network.layers[plan.layers[i].layerIndex] is Conv2d {
      plan.layers[i].kernel = kernel
    }
    #expect(plan.mismatch(with: network) == nil)
    let compiled = CompiledModel(network, plan: plan)
    for batch in [1, 3, 17] {
      let input = TestNetworks.inputs(batch, 162, zeros: 0.5, seed: UInt64(batch))
      let expected = network.forward(input, training: false)
      let error = relativeError(compiled.predict(input), expected)
      #expect(error < 1e-5, "\(kernel) batch \(batch): error \(error)")
    }
  }

  @Test func batchNormIsFoldedAndFlattenAndDropoutDisappear() throws {
    let network = try imageNetwork()
    let compiled = CompiledModel.dense(network)
    let kinds = compiled.stages.map { stage -> String in
      switch stage {
      case .convolution(let layer, let index): return "conv\(index)\(layer.relu ? "+relu" : "")"
      case .linear(_, let index): return "linear\(index)"
      case .layer(let stage): return String(describing: type(of: stage.layer))
      case .pointwise: return "pointwise"
      case .topK: return "topk"
      case .maxPoolTwoByTwo: return "maxpool2x2"
      case .rowBands: return "rowbands"
      }
    }
    #expect(
      kinds == [
        "conv0+relu", "MaxPool2d", "conv4+relu", "BatchNorm2d", "Residual", "AvgPool2d", "SpatialTopK", "conv11",
        "GlobalAvgPool2d", "linear14",
      ])
  }

  @Test func csrConvolutionsFuseTheTwoByTwoMaxPool() throws {
    // Pooling after the ReLU and before it; odd sides (11x9 pools to 5x4); 70% zero filters.
    let architecture = try ModelArchitecture(
      parsing: "2x13x11,conv:5:3x3,relu,maxpool:2,conv:4:3x3:p1,maxpool:2,relu,flatten,5")
    let network = architecture.makeSequential(seed: 3, initialization: .pytorchDefault)
    Pruner(model: network, scope: .perLayer).prune(toSparsity: 0.7)
    var plan = InferencePlan.dense(for: network)
    for i in plan.layers.indices where network.layers[plan.layers[i].layerIndex] is Conv2d {
      plan.layers[i].kernel = .csr
    }
    let compiled = CompiledModel(network, plan: plan)
    let fused = compiled.stages.compactMap { stage -> Bool? in
      guard case .convolution(let layer, _) = stage else { return nil }
      return layer.maxPool && layer.relu
    }
    #expect(fused == [true, true] && compiled.stages.count == 3)
    for batch in [1, 4] {
      let input = TestNetworks.inputs(batch, 286, zeros: 0.4, seed: UInt64(batch))
      #expect(relativeError(compiled.predict(input), network.forward(input, training: false)) < 1e-5)
    }
    // The dense kernel cannot pool in the same pass: the pools stay stages of their own (values
    // only), and so does the ReLU after the second.
    let dense = CompiledModel.dense(network)
    let pools = dense.stages.filter { if case .maxPoolTwoByTwo = $0 { return true } else { return false } }
    #expect(dense.stages.count == 6 && pools.count == 2)
    let input = TestNetworks.inputs(3, 286, zeros: 0.4, seed: 9)
    #expect(relativeError(dense.predict(input), network.forward(input, training: false)) < 1e-5)
  }

  @Test func plansRejectKernelsConvolutionsDoNotHave() throws {
    let network = try imageNetwork()
    var plan = InferencePlan.dense(for: network)
    plan.layers[0].kernel = .bsr(blockRows: 1, blockColumns: 4)
    #expect(plan.mismatch(with: network) == "layer 0 is a convolution, which has no bsr-1x4 kernel")
  }

  @Test func costModelPlansCoverTheConvolutions() throws {
    let network = try imageNetwork()
    let plan = Planner(method: .costModel).plan(
      network, calibration: TestNetworks.inputs(8, 162, zeros: 0.5, seed: 9), batch: 4)
    #expect(plan.layers.map(\.layerIndex) == [0, 4, 11, 14])
    // Every layer has 70% zero weights: the weight-sparse kernels are candidates everywhere.
    #expect(plan.layers.allSatisfy { layer in layer.candidates.contains { $0.kernel == .csr } })
    #expect(plan.layers[1].candidates.contains { $0.kernel == .sparseInputSparseWeights })
    let compiled = CompiledModel(network, plan: plan)
    let input = TestNetworks.inputs(4, 162, zeros: 0.5, seed: 10)
    #expect(relativeError(compiled.predict(input), network.forward(input, training: false)) < 1e-5)
  }
}
