import Foundation
import SparsityCore
import SparsityNN
import SparsityTestSupport
import Testing

@testable import SparsityInference

/// Convolutions and the Linear layer after them in row bands (`RowBands`): which layers a run
/// takes, outputs equal to the network's for any band count, plans that say so, and plan files
/// that keep it and are checked against the model.
@Suite struct RowBandsTests {
  /// A pruned network from the compact architecture `text`, its biases lowered so that some
  /// activations are zero.
  func network(_ text: String, seed: UInt64 = 3) throws -> Sequential {
    let network = try ModelArchitecture(parsing: text).makeSequential(seed: seed, initialization: .pytorchDefault)
    Pruner(model: network, scope: .perLayer).prune(toSparsity: 0.8)
    for case let conv as Conv2d in network.layers { conv.bias?.value = conv.bias!.value.map { $0 - 0.05 } }
    return network
  }

  /// A plan of `network` with `.csr` convolutions and the row bands kept, in `bands` bands.
  func bandedPlan(_ network: Sequential, bands: Int) throws -> InferencePlan {
    var plan = InferencePlan.dense(for: network)
    for i in plan.layers.indices where network.layers[plan.layers[i].layerIndex] is Conv2d {
      plan.layers[i].kernel = .csr
    }
    let run = try #require(RowBands.run(in: network))
    plan.threads = max(plan.threads, bands)
    plan.rowBands = RowBandsPlan(
      firstLayer: run.layers.lowerBound, lastLayer: run.layers.upperBound, bands: bands, bandedMilliseconds: 1,
      layerByLayerMilliseconds: 1, kept: true)
    return plan
  }

  static let architectures = [
    // LeNet's shape: two 5x5 convolutions, each with ReLU and 2x2 pool, then Linear with ReLU.
    "1x20x20,conv:6:5x5,relu,maxpool:2,conv:8:3x3,relu,maxpool:2,flatten,dropout:0.1,12,relu,5",
    // Stride 2 and padding, a folded batch norm, the pool before the ReLU, odd sides.
    "2x15x13,conv:4:3x3:s2:p1,bn,maxpool:2,relu,conv:5:3x3:p1,relu,flatten,7,sigmoid",
    // A run that ends at a convolution: LeakyReLU does not fuse into one.
    "1x16x16,conv:3:3x3,relu,conv:4:3x3,leaky_relu,flatten,6",
  ]

  @Test(arguments: architectures.indices)
  func bandsReproduceTheNetworkForEveryBandCount(index: Int) throws {
    let network = try network(Self.architectures[index])
    let features = network.inputFeatures
    for bands in [1, 2, 3] {
      let compiled = CompiledModel(network, plan: try bandedPlan(network, bands: bands))
      #expect(compiled.stages.contains { if case .rowBands = $0 { return true } else { return false } })
      for batch in [1, 3] {
        let input = TestNetworks.inputs(batch, features, zeros: 0.3, seed: UInt64(10 * bands + batch))
        let error = relativeError(compiled.predict(input), network.forward(input, training: false))
        #expect(error < 1e-5, "\(Self.architectures[index]): \(bands) bands, batch \(batch), error \(error)")
      }
    }
  }

  @Test func theRunTakesWhatFusesAndStopsAtTheRest() throws {
    let lenet = try network(Self.architectures[0])
    // conv, relu, pool, conv, relu, pool, flatten, dropout, linear, relu: through the ReLU after
    // the Linear layer; the last convolution stores 3 rows (7 pooled to 3).
    let run = try #require(RowBands.run(in: lenet))
    #expect(run.layers == 0...9 && run.storedRows == 3)
    let leaky = try #require(RowBands.run(in: try network(Self.architectures[2])))
    #expect(leaky.layers == 0...2 && leaky.storedRows == 12)
    #expect(RowBands.run(in: TestNetworks.sparseMLP(inputs: 8, hidden: [6], outputs: 2, weightZeros: 0.5)) == nil)
    // A pool that is not 2x2 with stride 2 ends the run at the convolution before it.
    let overlapping = try network("1x12x12,conv:3:3x3,relu,maxpool:3:s2,flatten,8")
    #expect(try #require(RowBands.run(in: overlapping)).layers == 0...1)
    // Too few rows for the bands: no bands.
    #expect(RowBands(lenet, bands: 4) == nil && RowBands(lenet, bands: 3) != nil)
  }

  @Test func plansWithBandsRoundTripAndAreCheckedAgainstTheModel() throws {
    let network = try network(Self.architectures[0])
    let plan = try bandedPlan(network, bands: 2)
    #expect(plan.mismatch(with: network) == nil)
    #expect(try InferencePlan.decode(plan.jsonData, file: "p.json") == plan)
    #expect(plan.explanation.contains("row bands: layers 0-9 in 2 bands"))
    #expect(plan.kernelSummary == "0,3,8:row-bands(2) 10:dense")
    // The same plan on a model whose run differs, or with more bands than rows.
    var other = plan
    other.rowBands!.lastLayer = 8
    #expect(other.mismatch(with: network) == "the plan runs layers 0-8 in row bands, which the model cannot")
    other = plan
    other.rowBands!.bands = 4
    other.threads = 4
    #expect(other.mismatch(with: network) == "the plan splits 3 rows into 4 bands")
    // Band counts outside 1...threads are malformed.
    let json = String(decoding: plan.jsonData, as: UTF8.self).replacingOccurrences(
      of: "\"bands\" : 2", with: "\"bands\" : 0")
    let error = try #require(throws: InferencePlanError.self) {
      try InferencePlan.decode(Data(json.utf8), file: "p.json")
    }
    #expect(error.description.contains("row_bands: 0 bands"), "\(error)")
  }

  @Test func timedBatchOnePlansTryTheBands() throws {
    let network = try network(Self.architectures[0])
    let calibration = TestNetworks.inputs(32, network.inputFeatures, zeros: 0.3, seed: 4)
    let plan = Planner(method: .timed(samples: 3)).plan(network, calibration: calibration, batch: 1)
    let sparse = plan.layers.contains { $0.kernel != .dense } || plan.wholeModel?.fellBack == true
    if Parallel.threadCount > 1 && sparse {
      let bands = try #require(plan.rowBands)
      // One band per thread, at most one per row of the last convolution's output (3).
      #expect(bands.firstLayer == 0 && bands.lastLayer == 9 && bands.bands == min(Parallel.threadCount, 3))
      #expect(bands.bandedMilliseconds > 0 && bands.layerByLayerMilliseconds > 0)
      #expect(
        bands.kept == (bands.bandedMilliseconds < bands.layerByLayerMilliseconds && plan.wholeModel?.fellBack != true))
    } else {
      #expect(plan.rowBands == nil)
    }
    // At other batch sizes bands are not tried.
    let batched = Planner(method: .timed(samples: 3)).plan(network, calibration: calibration, batch: 4)
    #expect(batched.rowBands == nil)
    let input = TestNetworks.inputs(2, network.inputFeatures, zeros: 0.3, seed: 5)
    #expect(
      relativeError(CompiledModel(network, plan: plan).predict(input), network.forward(input, training: false)) < 1e-5)
  }
}
