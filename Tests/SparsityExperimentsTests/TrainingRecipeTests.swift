import SparsityIO
import SparsityNN
import Testing

@testable import SparsityExperiments

@Suite struct TrainingRecipeTests {
  @Test func theDefaultsNeedOnlyTheData() {
    #expect(TrainingRecipe().commandLine == "sparsity train --data digits")
  }

  @Test func everyChangedSettingBecomesAFlag() {
    var recipe = TrainingRecipe()
    recipe.source = .csv(file: "d.csv", labelColumn: 0)
    recipe.hiddenLayers = [64]
    recipe.activation = .topK(k: 4)
    recipe.dropout = 0.25
    recipe.settings.weightL1 = 3e-3
    recipe.settings.weightL1Mode = .subgradient
    recipe.settings.klSparsity = KLSparsity(target: 0.05, weight: 0.5)
    recipe.settings.epochs = 8
    recipe.settings.optimizer = .sgd(momentum: 0.5, nesterov: true)
    recipe.settings.learningRate = 0.05
    recipe.settings.schedule = .cosine(totalEpochs: 8, minimum: 0)
    recipe.settings.seed = 7
    recipe.settings.earlyStoppingPatience = 2
    recipe.settings.pruning = PruningSettings(sparsity: 0.9, startEpoch: 2, endEpoch: 5, frequency: .everyEpoch)
    recipe.testFraction = 0.3
    recipe.scaling = nil
    #expect(
      recipe.arguments == [
        "--data", "csv:d.csv", "--label-column", "0", "--layers", "64", "--activation", "topk:4", "--dropout", "0.25",
        "--l1", "0.003", "--l1-mode", "grad", "--kl", "0.05:0.5", "--epochs", "8", "--optimizer", "sgd-nesterov",
        "--momentum", "0.5", "--lr", "0.05", "--schedule", "cosine", "--seed", "7", "--patience", "2",
        "--test-fraction", "0.3", "--scaling", "none", "--prune", "0.9", "--prune-start", "2", "--prune-end", "5",
        "--prune-every", "epoch",
      ])
  }

  @Test func theDemoRowsAreTypedRecipes() {
    let scale = DemoScale.quick
    let commands = DemoRecipe.all(scale).map { $0.command(scale) }
    #expect(commands[0] == "sparsity train --data digits --layers 64,64 --epochs 3")
    #expect(
      commands[1] == "sparsity train --data digits --layers 64,64 --l1 0.003 --epochs 3 --optimizer sgd --lr 0.05")
    #expect(commands[6].hasSuffix("--act-l1 0.003 --epochs 3 --prune 0.9 --prune-end 2"))
    guard case .classifier(let pruned) = DemoRecipe.all(scale)[6].kind else {
      Issue.record("the last row is a classifier")
      return
    }
    #expect(pruned.settings.pruning == PruningSettings(sparsity: 0.9, startEpoch: 1, endEpoch: 2))
  }

  @Test func aTopKThatKeepsEveryUnitIsRefused() {
    var recipe = TrainingRecipe()
    recipe.hiddenLayers = [8, 4]
    recipe.activation = .topK(k: 4)
    #expect(throws: ExperimentError.self) { try recipe.checkActivation() }
    recipe.activation = .topK(k: 3)
    #expect(throws: Never.self) { try recipe.checkActivation() }
  }

  @Test func theModelFileRecordsTheSettingsTheDataAndTheHistory() throws {
    var recipe = TrainingRecipe()
    recipe.hiddenLayers = [8]
    recipe.settings.epochs = 1
    recipe.testFraction = 0.25
    let data = try recipe.loadData()
    let (network, history, _) = recipe.train(on: data)
    let file = recipe.modelFile(network, data: data, history: history)
    #expect(file.record.history == history)
    #expect(file.record.data == recipe.dataRecord(scaler: data.scaler))
    #expect(file.record.data?.testFraction == 0.25)
    #expect(
      SweepParameter.activationL1.modelFileName(.init(text: "1e-3", number: 1e-3)) == "model-act-l1-1e-3.safetensors")
  }
}
