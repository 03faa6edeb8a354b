import Foundation
import SparsityNN
import SparsityTestSupport
import Testing

@testable import SparsityExperiments

/// A two-value sweep of a tiny network: one run per value, in order, each model saved.
@Suite struct SweepRequestTests {
  @Test func oneMeasuredRunAndOneSavedModelPerValue() throws {
    var base = TrainingRecipe()
    base.hiddenLayers = [8]
    base.settings.epochs = 2
    let data = try base.loadData()
    let directory = try temporaryDirectory("sweep")
    defer { try? FileManager.default.removeItem(at: directory) }
    let parameter = SweepParameter.dropout
    let request = SweepRequest(
      parameter: parameter, values: try parameter.values("0,0.5"), base: base, timingSamples: 0,
      outDirectory: directory)
    var started: [String] = []
    var epochs = 0
    var finished = 0
    let sweep = try request.run(
      on: data, onStart: { _, value, recipe in started.append("\(value.text) \(recipe.dropout)") },
      onEpoch: { _ in epochs += 1 }, onRun: { _ in finished += 1 })
    #expect(started == ["0 0.0", "0.5 0.5"])
    #expect(epochs == 4 && finished == 2)
    #expect(sweep.runs.map(\.value.text) == ["0", "0.5"])
    #expect(sweep.runs.allSatisfy { $0.test != nil && $0.timing == nil })
    #expect(sweep.recipe == base)
    for value in request.values {
      let file = try ModelFile.read(contentsOf: directory.appendingPathComponent(parameter.modelFileName(value)))
      #expect(file.record.history.count == 2)
    }
  }

  /// A TopK value too large for the network is refused, Int.max too (it trapped, as a Double
  /// rounded up past Int.max).
  @Test(arguments: ["8", "9223372036854775807"])
  func aTopKKeepingEveryUnitIsRefused(text: String) throws {
    let values = try SweepParameter.topK.values("4," + text)
    #expect(
      throws: ExperimentError.invalidSetting(
        option: "values", value: text, expected: "a K below the narrowest hidden layer (8), or TopK keeps everything")
    ) {
      try SweepParameter.topK.check(values, hiddenLayers: [16, 8])
    }
    try SweepParameter.topK.check(try SweepParameter.topK.values("4,7"), hiddenLayers: [16, 8])
  }
}
