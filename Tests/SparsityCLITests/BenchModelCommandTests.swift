import Foundation
import Testing

@Suite struct BenchModelCommandTests {
  @Test func jsonHasOneObjectPerBatchWithTheDocumentedKeys() throws {
    let directory = try InferenceTestModel.temporaryDirectory("bench-model")
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = try InferenceTestModel.train(in: directory)
    let run = try SparsityExecutable.run([
      "bench", model, "--data", "digits", "--batch", "1,8", "--samples", "1", "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let lines = run.standardOutput.split(separator: "\n")
    #expect(lines.count == 2)
    for (line, batch) in zip(lines, [1, 8]) {
      let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      for key in [
        "batch", "dense_ms", "sparse_ms", "speedup", "dense_bytes", "sparse_bytes", "dense_accuracy", "sparse_accuracy",
        "kernels",
      ] {
        #expect(object[key] != nil, "missing \(key) in \(line)")
      }
      #expect(object["batch"] as? Int == batch)
      #expect(((object["relative_error"] as? Double) ?? 1) < 1e-5)
      #expect(object["dense_accuracy"] as? Double == object["sparse_accuracy"] as? Double)
    }
  }

  @Test func textReportShowsSpeedupAndAccuracy() throws {
    let directory = try InferenceTestModel.temporaryDirectory("bench-model-text")
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = try InferenceTestModel.train(in: directory)
    let run = try SparsityExecutable.run(["bench", model, "--batch", "4", "--samples", "1"])
    #expect(run.status == 0, "\(run.standardError)")
    #expect(run.standardOutput.contains("batch 4: dense "))
    #expect(run.standardOutput.contains("speedup"))
    #expect(run.standardOutput.contains("accuracy dense "))
  }

  @Test(arguments: [
    (["bench", "m.safetensors", "--sizes", "4"], "option --sizes does not apply"),
    (["bench", "kernels", "--plan", "p.json"], "option --plan does not apply"),
    (["bench", "/nonexistent/m.safetensors"], "/nonexistent/m.safetensors"),
    (["bench", "a", "b"], "bench: unexpected argument 'b'"),
  ])
  func badOptionsExitWithTwo(arguments: [String], message: String) throws {
    let run = try SparsityExecutable.run(arguments)
    #expect(run.status == 2)
    #expect(run.standardError.contains(message), "\(run.standardError)")
  }
}
