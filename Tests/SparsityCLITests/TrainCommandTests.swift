import Foundation
import Testing

@Suite struct TrainCommandTests {
  @Test func trainWritesAModelThatEvalReproduces() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sparsity-train-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = directory.appendingPathComponent("model.safetensors").path
    let train = try SparsityExecutable.run(["train", "--epochs", "4", "--lr", "5e-3", "--layers", "64", "--act-l1", "1e-3", "--out", model, "--json"])
    #expect(train.status == 0, "\(train.standardError)")
    let trained = try #require(try JSONSerialization.jsonObject(with: Data(train.standardOutput.utf8)) as? [String: Any])
    let accuracy = try #require(trained["accuracy"] as? Double)
    #expect(accuracy > 0.9)
    #expect((trained["history"] as? [Any])?.count == 4)

    let eval = try SparsityExecutable.run(["eval", model, "--json"])
    #expect(eval.status == 0, "\(eval.standardError)")
    let evaluated = try #require(try JSONSerialization.jsonObject(with: Data(eval.standardOutput.utf8)) as? [String: Any])
    #expect(evaluated["accuracy"] as? Double == accuracy)
    let layers = try #require(evaluated["layers"] as? [[String: Any]])
    #expect(layers.count == 3)
    for key in ["name", "activation_sparsity", "dead_units", "weight_sparsity"] { #expect(layers[1][key] != nil, "\(key)") }
    #expect(layers[1]["name"] as? String == "ReLU")
    #expect((layers[1]["activation_sparsity"] as? Double ?? -1) > 0)
  }

  @Test func textOutputShowsEpochsAndTheLayerTable() throws {
    let run = try SparsityExecutable.run(["train", "--epochs", "2", "--layers", "32", "--dropout", "0.2"])
    #expect(run.status == 0, "\(run.standardError)")
    #expect(run.standardOutput.contains("epoch 2/2"))
    #expect(run.standardOutput.contains("Test accuracy"))
    #expect(run.standardOutput.contains("Dropout(0.2)"))
  }

  @Test(arguments: [
    (["train", "--activation", "tanh"], "--activation"),
    (["train", "--kl", "2:1"], "--kl"),
    (["train", "--data", "mnist:/nonexistent-dir"], "nonexistent-dir"),
    (["train", "--data", "csv:/nonexistent.csv"], "nonexistent.csv"),
    (["eval", "/nonexistent.safetensors"], "nonexistent.safetensors"),
  ])
  func badInputExitsWithTwoAndNamesTheProblem(arguments: [String], message: String) throws {
    let run = try SparsityExecutable.run(arguments)
    #expect(run.status == 2)
    #expect(run.standardError.contains(message), "\(run.standardError)")
  }
}
