import SparsityIO
import SparsityNN
import Testing

@testable import SparsityExperiments

/// One-shot pruning of a small trained network: the weights before and after, the accuracies,
/// fine-tuning, and what the model file records.
@Suite struct PruneRequestTests {
  /// A 64-16-ReLU-10 network trained one epoch on the digits.
  static func trained() throws -> (network: Sequential, data: PreparedData, recipe: TrainingRecipe) {
    var recipe = TrainingRecipe()
    recipe.hiddenLayers = [16]
    recipe.settings.epochs = 1
    let data = try recipe.loadData()
    return (recipe.train(on: data).model, data, recipe)
  }

  @Test func pruningWithoutDataMeasuresOnlyTheWeights() throws {
    let (network, _, _) = try Self.trained()
    let request = PruneRequest(sparsity: 0.5, output: "p.safetensors")
    let summary = request.run(network, input: "m.safetensors", data: nil)
    #expect(summary.before.map(\.index) == [0, 2])
    #expect(summary.before.allSatisfy { $0.zeros == 0 })
    #expect(summary.after.map(\.weights) == summary.before.map(\.weights))
    #expect(PruneSummary.fraction(summary.after) == 0.5)
    #expect(summary.samples == nil && summary.accuracyBefore == nil && summary.history.isEmpty)
    #expect(summary.record.weightSparsityAfter == 0.5 && summary.record.fineTune.isEmpty)
    #expect(request.description == "50% global unstructured")
  }

  @Test func fineTuningKeepsThePrunedWeightsAtZero() throws {
    let (network, data, recipe) = try Self.trained()
    var epochs = 0
    let request = PruneRequest(
      sparsity: 0.75, scope: .perLayer, fineTuneEpochs: 2, fineTuning: recipe.settings, output: "p.safetensors")
    let summary = request.run(network, input: "m.safetensors", data: data, onEpoch: { _ in epochs += 1 })
    #expect(epochs == 2 && summary.history.count == 2 && summary.divergedEpoch == nil)
    #expect(summary.samples == data.test.sampleCount)
    #expect(summary.accuracyBefore != nil && summary.accuracyPruned != nil && summary.accuracyAfter != nil)
    #expect(summary.after.allSatisfy { $0.zeros == $0.weights * 3 / 4 })
    #expect(summary.record.fineTuneEpochs == 2 && !summary.record.fineTune.isEmpty)
    #expect(!summary.record.fineTune.contains { $0.name == "epochs" })
    let pruned = summary.pruned(ModelFile(network: network, record: ModelRecord()))
    #expect(pruned.record.pruning == summary.record)
  }

  @Test func aPatternAloneIsDescribedByItself() {
    #expect(PruneRequest(sparsity: 0, pattern: .nOfM(n: 2, m: 4), output: "p").description == "2:4")
    #expect(PruneSummary.percent(0.875) == "87.50%")
    #expect(PruneSummary.percent(0.9) == "90%" && PruneSummary.percent(1 / 3) == "33.33%")
  }
}
