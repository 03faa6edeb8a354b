import Foundation
import Testing

/// A small trained model file shared by the compile and bench-model tests.
enum InferenceTestModel {
  /// Trains a 64-48-relu-10 model on the digits into `directory` and returns its path.
  static func train(in directory: URL, layers: String = "48") throws -> String {
    let model = directory.appendingPathComponent("model-\(layers).safetensors").path
    let run = try SparsityExecutable.run([
      "train", "--epochs", "2", "--layers", layers, "--act-l1", "1e-3", "--out", model, "--json",
    ])
    guard run.status == 0 else { throw TrainingFailed(message: run.standardError) }
    return model
  }

  struct TrainingFailed: Error { var message: String }

  static func temporaryDirectory(_ name: String) throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sparsity-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
  }
}

@Suite struct CompileCommandTests {
  @Test func explainShowsEveryLayerAndTheSavedPlanLoads() throws {
    let directory = try InferenceTestModel.temporaryDirectory("compile")
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = try InferenceTestModel.train(in: directory)
    let plan = directory.appendingPathComponent("plan.json").path
    let run = try SparsityExecutable.run([
      "compile", model, "--batch", "1", "--samples", "2", "--explain", "--out", plan,
    ])
    #expect(run.status == 0, "\(run.standardError)")
    #expect(run.standardOutput.contains("at batch 1"))
    #expect(run.standardOutput.contains("layer 0 Linear(64, 48)"))
    #expect(run.standardOutput.contains("layer 2 Linear(48, 10)"))
    #expect(run.standardOutput.contains("candidates: dense"))
    #expect(run.standardOutput.contains("chosen: "))
    let saved = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: plan))) as? [String: Any])
    #expect(saved["batch"] as? Int == 1)
    #expect((saved["layers"] as? [Any])?.count == 2)

    let bench = try SparsityExecutable.run(["bench", model, "--batch", "2", "--samples", "1", "--plan", plan, "--json"])
    #expect(bench.status == 0, "\(bench.standardError)")
  }

  @Test func costModelJsonIsAPlan() throws {
    let directory = try InferenceTestModel.temporaryDirectory("compile-json")
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = try InferenceTestModel.train(in: directory)
    let run = try SparsityExecutable.run(["compile", model, "--batch", "64", "--cost-model", "--json"])
    #expect(run.status == 0, "\(run.standardError)")
    let plan = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
    #expect(plan["method"] as? String == "cost-model")
    #expect(plan["batch"] as? Int == 64)
  }

  @Test func aPlanForAnotherModelIsRejected() throws {
    let directory = try InferenceTestModel.temporaryDirectory("compile-mismatch")
    defer { try? FileManager.default.removeItem(at: directory) }
    let small = try InferenceTestModel.train(in: directory, layers: "16")
    let large = try InferenceTestModel.train(in: directory, layers: "24")
    let plan = directory.appendingPathComponent("small.json").path
    #expect(try SparsityExecutable.run(["compile", small, "--cost-model", "--out", plan]).status == 0)
    let run = try SparsityExecutable.run(["bench", large, "--batch", "1", "--plan", plan])
    #expect(run.status == 2)
    #expect(run.standardError.contains("small.json: the plan does not fit the model"), "\(run.standardError)")
  }

  @Test(arguments: [
    (["compile"], "missing MODEL.safetensors"),
    (["compile", "/nonexistent/m.safetensors"], "/nonexistent/m.safetensors"),
    (["compile", "m.safetensors", "--batch", "0"], "--batch"),
  ])
  func badUsageExitsWithTwo(arguments: [String], message: String) throws {
    let run = try SparsityExecutable.run(arguments)
    #expect(run.status == 2)
    #expect(run.standardError.contains(message), "\(run.standardError)")
  }
}
