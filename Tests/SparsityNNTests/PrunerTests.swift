import SparsityCore
import Testing

@testable import SparsityNN

@Suite struct PrunerTests {
  static func network(seed: UInt64 = 0) -> Sequential {
    ModelArchitecture(
      inputFeatures: 12,
      layers: [.linear(outputFeatures: 16), .relu, .linear(outputFeatures: 8), .relu, .linear(outputFeatures: 3)]
    )
    .makeSequential(seed: seed)
  }

  @Test func prunesLinearWeightsOnlyNeverBiases() {
    let model = Self.network()
    let biases = model.parameters.filter { $0.name == "bias" }.map(\.value)
    let pruner = Pruner(model: model, scope: .perLayer)
    #expect(pruner.layerIndices == [0, 2, 4])
    pruner.prune(toSparsity: 0.75)
    #expect(model.parameters.filter { $0.name == "bias" }.map(\.value) == biases)
    for (weight, mask) in zip(pruner.weights, pruner.masks) {
      #expect(mask.prunedCount == weight.value.count * 3 / 4)
      #expect(weight.value.scalars.indices.allSatisfy { mask.keep[$0] || weight.value.scalars[$0] == 0 })
    }
  }

  @Test func masksOnlyGrowAsTheSparsityRises() {
    let pruner = Pruner(model: Self.network(), scope: .global)
    var previous = pruner.masks
    for sparsity in [0.2, 0.5, 0.3, 0.8, 0.9] {
      pruner.prune(toSparsity: sparsity)
      for (old, new) in zip(previous, pruner.masks) {
        #expect(zip(old.keep, new.keep).allSatisfy { $0 || !$1 }, "a pruned weight never comes back")
      }
      previous = pruner.masks
    }
    let total = pruner.masks.reduce(0) { $0 + $1.count }
    #expect(pruner.masks.reduce(0) { $0 + $1.prunedCount } == Int(0.9 * Double(total)))
  }

  @Test func twoOfFourHoldsAtEveryPruningStep() {
    let pruner = Pruner(model: Self.network(), scope: .perLayer, pattern: .nOfM(n: 2, m: 4))
    for sparsity in [0.0, 0.6, 0.8] {
      pruner.prune(toSparsity: sparsity)
      #expect(abs(pruner.sparsity - max(sparsity, 0.5)) < 0.03, "sparsity \(pruner.sparsity) at target \(sparsity)")
      for weight in pruner.weights {
        let columns = weight.value.columns
        for start in stride(from: 0, to: weight.value.count, by: 4) {
          let nonzeros = (start..<min(start + 4, start - start % columns + columns)).filter {
            weight.value.scalars[$0] != 0
          }
          #expect(nonzeros.count <= 2)
        }
      }
    }
  }

  /// Adam and SGD with momentum: after momentum has built up, prune, then keep stepping with
  /// gradients that are nonzero everywhere; pruned weights stay exactly 0.
  @Test(arguments: [OptimizerKind.adam, .sgd(momentum: 0.9, nesterov: false), .sgd(momentum: 0.9, nesterov: true)])
  func prunedWeightsStayExactlyZeroThroughOptimizerSteps(kind: OptimizerKind) {
    let model = Self.network()
    let optimizer = kind.makeOptimizer()
    let pruner = Pruner(model: model, scope: .global)
    var generator = Xoshiro256StarStar(seed: 3)
    func step(masked: Bool) {
      for parameter in model.parameters {
        parameter.gradient = Tensor(
          shape: parameter.value.shape, scalars: (0..<parameter.value.count).map { _ in generator.normal() + 0.5 })
      }
      if masked { pruner.maskGradients() }
      optimizer.step(model.parameters, learningRate: 0.01)
      if masked { pruner.applyMasks() }
    }
    for _ in 0..<5 { step(masked: false) }
    pruner.prune(toSparsity: 0.7)
    for _ in 0..<20 {
      step(masked: true)
      for (weight, mask) in zip(pruner.weights, pruner.masks) {
        #expect(weight.value.scalars.indices.allSatisfy { mask.keep[$0] || weight.value.scalars[$0].bitPattern == 0 })
      }
    }
    // Without re-applying the mask the optimizer's state would revive pruned weights.
    pruner.maskGradients()
    optimizer.step(model.parameters, learningRate: 0.01)
    let revived = zip(pruner.weights, pruner.masks).reduce(0) { total, pair in
      total + pair.0.value.scalars.indices.filter { !pair.1.keep[$0] && pair.0.value.scalars[$0] != 0 }.count
    }
    #expect(revived > 0, "the test exercises optimizer state that would move pruned weights")
  }
}
