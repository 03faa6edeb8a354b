import SparsityIO
import SparsityNN
import Testing

@testable import SparsityExperiments

@Suite struct DemoRunTests {
  /// Two quick rows trained for real: the plain network and activation L1.
  static func runs() throws -> (runs: [DemoRun], data: PreparedData) {
    let scale = DemoScale.quick
    let data = try PreparedData.load(
      .digits, testFraction: 0.2, validationFraction: 0.1, seed: scale.seed, scaling: .unitRange)
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
}
