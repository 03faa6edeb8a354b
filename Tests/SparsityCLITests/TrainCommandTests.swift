import Foundation
import Testing

@Suite struct TrainCommandTests {
  @Test func trainWritesAModelThatEvalReproduces() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sparsity-train-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = directory.appendingPathComponent("model.safetensors").path
    let train = try SparsityExecutable.run([
      "train", "--epochs", "4", "--lr", "5e-3", "--layers", "64", "--act-l1", "1e-3", "--out", model, "--json",
    ])
    #expect(train.status == 0, "\(train.standardError)")
    let trained = try #require(
      try JSONSerialization.jsonObject(with: Data(train.standardOutput.utf8)) as? [String: Any])
    let accuracy = try #require(trained["accuracy"] as? Double)
    #expect(accuracy > 0.9)
    #expect((trained["history"] as? [Any])?.count == 4)

    let eval = try SparsityExecutable.run(["eval", model, "--json"])
    #expect(eval.status == 0, "\(eval.standardError)")
    let evaluated = try #require(
      try JSONSerialization.jsonObject(with: Data(eval.standardOutput.utf8)) as? [String: Any])
    #expect(evaluated["accuracy"] as? Double == accuracy)
    let layers = try #require(evaluated["layers"] as? [[String: Any]])
    #expect(layers.count == 3)
    for key in ["name", "activation_sparsity", "dead_units", "weight_sparsity"] {
      #expect(layers[1][key] != nil, "\(key)")
    }
    #expect(layers[1]["name"] as? String == "ReLU")
    #expect((layers[1]["activation_sparsity"] as? Double ?? -1) > 0)
  }

  @Test func evalKeepsTheTrainingScalingAndLabelColumn() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sparsity-eval-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    // Labels in column 0, features after it; trained unscaled.
    let rows = (0..<80).map { i in "\(i % 2),\(Double(i % 2) * 3 + Double(i % 7) / 7),\(Double(i % 5) / 5)" }
    let csv = directory.appendingPathComponent("data.csv")
    try rows.joined(separator: "\n").write(to: csv, atomically: true, encoding: .utf8)
    let model = directory.appendingPathComponent("model.safetensors").path
    let train = try SparsityExecutable.run([
      "train", "--data", "csv:\(csv.path)", "--label-column", "0", "--scaling", "none", "--epochs", "5", "--layers",
      "8", "--out", model, "--json",
    ])
    #expect(train.status == 0, "\(train.standardError)")
    let eval = try SparsityExecutable.run(["eval", model, "--json"])
    #expect(eval.status == 0, "\(eval.standardError)")
    let trained = try JSONSerialization.jsonObject(with: Data(train.standardOutput.utf8)) as? [String: Any]
    let evaluated = try JSONSerialization.jsonObject(with: Data(eval.standardOutput.utf8)) as? [String: Any]
    #expect(trained?["accuracy"] as? Double == evaluated?["accuracy"] as? Double)
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
    (["train", "--activation", "leaky-relu"], "leaky_relu[:SLOPE]"),
    (["train", "--activation", "dropout:0.5"], "--activation"),
    (["train", "--kl", "2:1"], "--kl"),
    (["train", "--data", "mnist:/nonexistent-dir"], "nonexistent-dir"),
    (["train", "--data", "csv:/nonexistent.csv"], "nonexistent.csv"),
    (["eval", "/nonexistent.safetensors"], "nonexistent.safetensors"),
    (["train", "--lr", "1e30", "--epochs", "1", "--layers", "8", "--json"], "diverged"),
    (["train", "--optimizer", "sgd-nesterov", "--momentum", "0"], "--momentum"),
    (["train", "--kl", "0.05:junk:1"], "--kl"),
    (["train", "--activation", "topk:300"], "narrowest hidden layer"),
    (["train", "--out", "/"], "--out"),
    (["train", "--layers", "2000000000"], "--layers"),
    (["bench", "kernels", "--batch", "5"], "does not apply"),
  ])
  func badInputExitsWithTwoAndNamesTheProblem(arguments: [String], message: String) throws {
    let run = try SparsityExecutable.run(arguments)
    #expect(run.status == 2)
    #expect(run.standardError.contains(message), "\(run.standardError)")
  }
}
