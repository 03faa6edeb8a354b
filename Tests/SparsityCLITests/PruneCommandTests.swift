import Foundation
import Testing

@Suite struct PruneCommandTests {
  static func temporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sparsity-prune-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
  }

  static func object(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  /// Train a small model, prune 80% per layer with fine-tuning; eval reads the pruned file and
  /// agrees on accuracy and on 80% zero weights in every Linear layer.
  @Test func prunesFineTunesAndWritesAModelThatEvalReads() throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = directory.appendingPathComponent("dense.safetensors").path
    let pruned = directory.appendingPathComponent("pruned.safetensors").path
    let train = try SparsityExecutable.run([
      "train", "--epochs", "6", "--lr", "5e-3", "--layers", "128", "--out", model, "--json",
    ])
    #expect(train.status == 0, "\(train.standardError)")
    let prune = try SparsityExecutable.run([
      "prune", model, "--sparsity", "0.8", "--scope", "layer", "--fine-tune-epochs", "4", "--lr", "5e-3", "--out",
      pruned, "--json",
    ])
    #expect(prune.status == 0, "\(prune.standardError)")
    let report = try Self.object(prune.standardOutput)
    let before = try #require(report["accuracy_before"] as? Double)
    let after = try #require(report["accuracy_after"] as? Double)
    #expect(report["accuracy_pruned"] is Double)
    #expect(after >= before - 0.05, "before \(before), after \(after)")
    #expect((report["history"] as? [Any])?.count == 4)
    let layers = try #require(report["layers"] as? [[String: Any]])
    #expect(layers.count == 2)
    for layer in layers {
      let weights = try #require(layer["weights"] as? Int)
      #expect(layer["weight_sparsity_before"] as? Double == 0)
      #expect(layer["weight_sparsity_after"] as? Double == Double(weights * 8 / 10) / Double(weights))
    }

    let eval = try SparsityExecutable.run(["eval", pruned, "--json"])
    #expect(eval.status == 0, "\(eval.standardError)")
    let evaluated = try Self.object(eval.standardOutput)
    #expect(evaluated["accuracy"] as? Double == after)
    let evalLayers = try #require(evaluated["layers"] as? [[String: Any]])
    #expect(evalLayers[0]["weight_sparsity"] as? Double == layers[0]["weight_sparsity_after"] as? Double)
  }

  @Test func twoOfFourWithoutFineTuningPrintsTheTable() throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = directory.appendingPathComponent("dense.safetensors").path
    let pruned = directory.appendingPathComponent("pruned.safetensors").path
    // Trained with gradual pruning too: the file records both the setting and the later pruning.
    let train = try SparsityExecutable.run([
      "train", "--epochs", "2", "--layers", "16", "--prune", "0.5", "--prune-end", "2", "--out", model, "--json",
    ])
    #expect(train.status == 0, "\(train.standardError)")
    let prune = try SparsityExecutable.run(["prune", model, "--pattern", "2:4", "--out", pruned])
    let eval = try SparsityExecutable.run(["eval", pruned])
    #expect(eval.status == 0, "\(eval.standardError)")
    #expect(prune.status == 0, "\(prune.standardError)")
    #expect(prune.standardOutput.contains("to 2:4 ("), "\(prune.standardOutput)")
    #expect(prune.standardOutput.contains("0 Linear(64, 16)"))
    #expect(prune.standardOutput.contains("Test accuracy"))
    #expect(prune.standardOutput.contains("all weights"))
  }

  @Test func trainWithGradualPruningReachesTheSparsity() throws {
    let run = try SparsityExecutable.run([
      "train", "--epochs", "5", "--layers", "128", "--lr", "5e-3", "--prune", "0.8", "--prune-start", "2",
      "--prune-end", "3",
      "--prune-scope", "layer", "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let result = try Self.object(run.standardOutput)
    let history = try #require(result["history"] as? [[String: Any]])
    func sparsity(_ epoch: [String: Any]) -> [Double] {
      ((epoch["layers"] as? [[String: Any]]) ?? []).compactMap { $0["weight_sparsity"] as? Double }
    }
    #expect(sparsity(history[0]) == [0, 0])
    #expect(sparsity(history[2]).allSatisfy { $0 >= 0.79 && $0 < 0.81 }, "\(sparsity(history[2]))")
    #expect(sparsity(history[4]) == sparsity(history[2]))
    #expect((result["accuracy"] as? Double ?? 0) > 0.85)
  }

  @Test(arguments: [
    (
      ["prune", "/nonexistent.safetensors", "--sparsity", "0.5", "--out", "/tmp/x.safetensors"],
      "nonexistent.safetensors"
    ),
    (["prune", "m.safetensors", "--sparsity", "1", "--out", "/tmp/x.safetensors"], "--sparsity"),
    (["prune", "m.safetensors", "--sparsity", "-0.1", "--out", "/tmp/x.safetensors"], "--sparsity"),
    (["prune", "m.safetensors", "--pattern", "4:2", "--out", "/tmp/x.safetensors"], "--pattern"),
    (["prune", "m.safetensors", "--pattern", "2of4", "--out", "/tmp/x.safetensors"], "--pattern"),
    (["prune", "m.safetensors", "--out", "/tmp/x.safetensors"], "--sparsity"),
    (["prune", "m.safetensors", "--sparsity", "0.5"], "--out"),
    (["prune", "m.safetensors", "--sparsity", "0.5", "--scope", "row", "--out", "/tmp/x.safetensors"], "--scope"),
    (["train", "--prune", "1.5"], "--prune"),
    (["train", "--prune", "0.5", "--prune-pattern", "2:2"], "--prune-pattern"),
    (["train", "--epochs", "5", "--prune", "0.5", "--prune-start", "4", "--prune-end", "2"], "--prune-end"),
    (["train", "--epochs", "5", "--prune", "0.5", "--prune-end", "6"], "--prune-end"),
    (["train", "--prune-start", "2"], "needs --prune"),
  ])
  func badInputExitsWithTwoAndNamesTheProblem(arguments: [String], message: String) throws {
    let run = try SparsityExecutable.run(arguments)
    #expect(run.status == 2)
    #expect(run.standardError.contains(message), "\(run.standardError)")
  }
}
