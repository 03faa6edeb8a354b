import SparsityNN
import Testing

@testable import SparsityExperiments

/// The demo's convolutional network at the quick scale, trained for real.
@Suite struct DemoConvolutionTests {
  @Test func theNetworkTrainsIsProbedTimedAndReported() throws {
    let scale = DemoScale.quick
    let data = try scale.loadData()
    var convolution = DemoConvolution.train(scale: scale, data: data, onBatch: { _, _ in }, onEpoch: { _ in })
    // (Three epochs of a 4-channel network pruned to 90% by the second: its accuracy means
    // nothing at this scale, but it was measured.)
    #expect(convolution.run.test != nil && convolution.run.divergedEpoch == nil)
    // Global pruning to 90% of the conv and linear weights, counted by weight (not by unit).
    let zeros = try #require(convolution.run.weightSparsity)
    #expect(abs(zeros - 0.9) < 0.01, "\(zeros)")
    let tuning = try #require(convolution.orientation?.tuning)
    #expect(tuning.units.count == 4 && tuning.angles.count == 12)
    #expect(Set(convolution.verticalUnits).isSubset(of: Set(convolution.selectiveUnits)))

    convolution.benchmark(data: data, scale: scale)
    #expect(convolution.benchmarks.map(\.batch) == scale.benchmarkBatches)
    #expect(convolution.benchmarks.allSatisfy { $0.relativeError < 1e-5 && $0.sparseAccuracy == $0.denseAccuracy })

    let titles = DemoReportConvolution.sections(convolution).map(\.title)
    #expect(
      titles == [
        "A convolutional network: its filters, its vertical-line units, its speed",
        "Orientation tuning of the first-layer units",
      ])
    #expect(convolution.recipe.commandLine.contains("--arch conv:4:3x3:p1,relu,maxpool:2,flatten,16,relu"))
  }
}
