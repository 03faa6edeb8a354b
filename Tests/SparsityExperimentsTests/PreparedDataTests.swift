import Foundation
import SparsityIO
import SparsityNN
import SparsityTestSupport
import Testing

@testable import SparsityExperiments

@Suite struct PreparedDataTests {
  @Test func aModelsDataComesBackAsItWasSplitAndScaled() throws {
    var recipe = TrainingRecipe()
    recipe.testFraction = 0.3
    recipe.settings.seed = 5
    recipe.scaling = .standardize
    let trained = try recipe.loadData()
    let record = ModelRecord(settings: recipe.settings, data: recipe.dataRecord(scaler: trained.scaler), history: [])
    let again = try PreparedData.load(for: record, inputs: 64, file: "m.safetensors")
    #expect(again.test == trained.test)
    #expect(again.scaler == trained.scaler)

    let reseeded = try PreparedData.load(
      for: record, inputs: 64, file: "m.safetensors", overrides: DataOverrides(splitSeed: 6, scaling: .some(nil)))
    #expect(reseeded.test != trained.test)
    #expect(reseeded.scaler == nil)
  }

  @Test func featuresWhoseSquaresOverflowAreRefused() throws {
    let directory = try temporaryDirectory("prepared-data")
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("huge.csv")
    let rows = (0..<40).map { i in "\(i % 3 == 0 ? "3.4e38" : "-3.4e38"),1,\(i % 2)" }
    try rows.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
    let source = DatasetSource.csv(file: url.path, labelColumn: -1)
    var recipe = TrainingRecipe()
    recipe.source = source
    recipe.scaling = .standardize
    #expect(throws: ExperimentError.self) { try recipe.loadData() }
    do { _ = try recipe.loadData() } catch {
      #expect("\(error)".hasPrefix("\(source): scaling the features (standardize) overflows single precision at"))
    }
    recipe.scaling = nil
    do { _ = try recipe.loadData() } catch {
      #expect("\(error)".contains("the unscaled feature at training sample"), "\(error)")
    }
    recipe.scaling = .unitRange
    let scaled = try recipe.loadData()
    #expect(scaled.divergenceAdvice(learningRate: 0.1) == "try a smaller --lr (now 0.1)")
  }

  @Test func aModelWithoutARecordGetsTheTrainDefaults() throws {
    let data = try PreparedData.load(for: ModelRecord(), inputs: 64, file: "m.safetensors")
    #expect(data.test == (try TrainingRecipe().loadData()).test)
  }

  @Test func aMismatchNamesTheModelFile() throws {
    #expect(throws: ExperimentError.unusableData("m.safetensors: the model takes 10 features but digits has 64")) {
      try PreparedData.load(for: ModelRecord(), inputs: 10, file: "m.safetensors")
    }
    let data = try TrainingRecipe().loadData()
    #expect(
      throws: ExperimentError.unusableData("m.safetensors: the model has 5 outputs but digits has labels up to 9")
    ) {
      try data.checkLabels(outputs: 5, source: .digits, file: "m.safetensors")
    }
  }
}

@Suite struct ModelDataTests {
  @Test func aSavedModelsDataIsCheckedAgainstItsNetwork() throws {
    var recipe = TrainingRecipe()
    recipe.hiddenLayers = [4]
    let data = try recipe.loadData()
    let record = ModelRecord(settings: recipe.settings, data: recipe.dataRecord(scaler: data.scaler), history: [])
    let fits = ModelFile(
      network: recipe.architecture(inputs: 64, classes: 10).makeSequential(seed: 0), record: record)
    let (source, again) = try PreparedData.load(for: fits, file: "m.safetensors")
    #expect(source == .digits && again.test == data.test)
    let fewOutputs = ModelFile(
      network: recipe.architecture(inputs: 64, classes: 3).makeSequential(seed: 0), record: record)
    #expect(
      throws: ExperimentError.unusableData("m.safetensors: the model has 3 outputs but digits has labels up to 9")
    ) {
      try PreparedData.load(for: fewOutputs, file: "m.safetensors")
    }
  }
}
