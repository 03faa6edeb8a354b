import Foundation
import SparsityCore
import SparsityInference
import SparsityNN
import SparsityTestSupport
import Testing

@testable import SparsityExperiments

/// The README's library example, compiled and run here on a model trained for the test.
/// The lines between the markers must appear, in order and verbatim, in the README and in the
/// DocC article of SparsityExperiments (`LoadingAModel.md`).
private func readmeExample(_ url: URL) throws -> (accuracy: Double, logits: Tensor, network: Sequential, test: Tensor) {
  // README example begins
  let model = try ModelFile.read(contentsOf: url)  // the network and its record
  let data = try PreparedData.load(  // the same test part, scaled by the saved scaler
    for: model.record, inputs: model.network.inputFeatures, file: url.path)
  let test = Evaluation.of(model.network, features: data.test.features, labels: data.test.labels)
  let plan = Planner().plan(model.network, calibration: data.train.features, batch: 1)
  let compiled = CompiledModel(model.network, plan: plan)  // the fastest kernel per layer
  let logits = compiled.predict(data.test.features)
  print("test accuracy \(test.accuracy), kernels \(plan.layers.map(\.kernel))")
  // README example ends
  return (test.accuracy, logits, model.network, data.test.features)
}

@Suite struct LibraryExampleTests {
  @Test func theReadmeExampleRunsOnASavedModel() throws {
    var recipe = TrainingRecipe()
    recipe.hiddenLayers = [32]
    recipe.settings.epochs = 2
    recipe.scaling = .standardize
    let data = try recipe.loadData()
    let (network, history, _) = recipe.train(on: data)
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("readme-example-\(getpid()).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    let record = ModelRecord(settings: recipe.settings, data: recipe.dataRecord(scaler: data.scaler), history: history)
    try ModelFile(network: network, record: record).write(to: url)

    let result = try readmeExample(url)
    #expect(result.accuracy == Evaluation.of(network, features: data.test.features, labels: data.test.labels).accuracy)
    // Compiled kernels add the same products in another order: rounding alone separates them.
    let dense = result.network.forward(result.test, training: false)
    let comparison = ForwardErrorBound.compare(result.logits, dense, network: result.network, input: result.test)
    #expect(comparison.worstRatio <= 1, "largest difference \(comparison.maximumDifference)")
  }

  @Test(arguments: ["README.md", "Sources/SparsityExperiments/SparsityExperiments.docc/LoadingAModel.md"])
  func theDocumentShowsTheExampleVerbatim(_ document: String) throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
    let text = try String(contentsOf: root.appendingPathComponent(document), encoding: .utf8)
    let lines = source.components(separatedBy: "\n")
    let begin = try #require(lines.firstIndex { $0.contains("// README example begins") })
    let end = try #require(lines.firstIndex { $0.contains("// README example ends") })
    let example = lines[(begin + 1)..<end].map { String($0.dropFirst(2)) }
    #expect(example.count < 20)
    #expect(text.contains(example.joined(separator: "\n")), "\(document) lacks the example of \(#fileID)")
  }
}
