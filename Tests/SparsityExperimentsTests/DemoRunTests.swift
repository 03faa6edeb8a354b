import SparsityIO
import SparsityNN
import Testing

@testable import SparsityExperiments

@Suite struct DemoRunTests {
  /// Two quick rows trained for real: the plain network and activation L1.
  static func runs() throws -> (runs: [DemoRun], data: PreparedData) {
    let scale = DemoScale.quick
    let data = try scale.loadData()
    let recipes = DemoRecipe.all(scale)
    let runs = [recipes[0], recipes[2]].enumerated().map { index, recipe in
      DemoRun.train(recipe, index: index, scale: scale, data: data, onBatch: { _, _ in }, onEpoch: { _ in })
    }
    return (runs, data)
  }

  @Test func theSparsestAccurateModelIsWithinNoiseOfThePlainOne() throws {
    var (runs, data) = try Self.runs()
    #expect(runs.allSatisfy { $0.run.test != nil && $0.work != nil && $0.analysis != nil })
    let samples = data.test.sampleCount
    // Make the second run clearly sparser and exactly as accurate: it is chosen.
    runs[1].run.test = runs[0].run.test
    let layers = runs[1].work!.layers
    runs[1].work?.layers = layers.map { layer in
      var sparser = layer
      sparser.needed = 0
      return sparser
    }
    #expect(DemoRun.sparsestAccurate(runs, testSamples: samples) == 1)
    // Three test samples less accurate is more than noise: the plain network is chosen.
    runs[1].run.test!.accuracy -= Double(DemoClaims.noiseSamples + 1) / Double(samples)
    #expect(DemoRun.sparsestAccurate(runs, testSamples: samples) == 0)
  }

  @Test func claimsNeedAPlainNetwork() throws {
    let (runs, data) = try Self.runs()
    let claims = DemoClaims.evaluate(runs, chosen: nil, testSamples: data.test.sampleCount)
    #expect(claims.count == 3)
    #expect(claims[0].verdict == .doesNotHold)
    #expect(DemoClaims.evaluate([], chosen: nil, testSamples: 1).count == 1)
  }

  @Test func theDemoDataIsTheDigitsSplitAndScaled() throws {
    let data = try DemoScale.quick.loadData()
    #expect(data.train.sampleCount + data.validation.sampleCount + data.test.sampleCount == 1797)
    #expect(abs(Double(data.test.sampleCount) / 1797 - 0.2) < 0.01)
    #expect(abs(Double(data.validation.sampleCount) / Double(1797 - data.test.sampleCount) - 0.1) < 0.01)
    #expect(data.train.features.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
    #expect(DemoScale.quick.extraBenchmarkBatches == [8] && DemoScale().extraBenchmarkBatches == [64])
  }
}
