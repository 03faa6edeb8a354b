import Foundation
import Testing

@Suite struct BenchCommandTests {
  @Test func jsonHasOneObjectPerCaseWithTheDocumentedKeys() throws {
    let run = try SparsityExecutable.run([
      "bench", "kernels", "--sizes", "40", "--batches", "1,3", "--sparsities", "0,90", "--samples", "1", "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let lines = run.standardOutput.split(separator: "\n")
    #expect(lines.count == 4 * 2 * 2)  // kernels x batches x sparsities
    for line in lines {
      let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      for key in ["kernel", "rows", "cols", "batch", "sparsity", "dense_ms", "sparse_ms", "speedup", "relative_error"] {
        #expect(object[key] != nil, "missing \(key) in \(line)")
      }
      #expect((object["rows"] as? Int) == 40)
      #expect(((object["relative_error"] as? Double) ?? 1) < 1e-5)
    }
  }

  @Test func textReportHasTableAndBreakEven() throws {
    let run = try SparsityExecutable.run([
      "bench", "kernels", "--sizes", "32", "--batches", "2", "--sparsities", "0,99", "--kernels", "csr", "--samples",
      "1",
    ])
    #expect(run.status == 0)
    #expect(run.standardOutput.contains("dense ms"))
    #expect(run.standardOutput.contains("Break-even sparsity"))
    #expect(run.standardOutput.contains("csr 32x32 batch 2"))
  }

  /// Every option the training usage documents, at a tiny size (bench/train_speed.py passes them all).
  @Test func trainingTakesEveryDocumentedOption() throws {
    let run = try SparsityExecutable.run([
      "bench", "training", "--inputs", "8", "--layers", "8,4", "--classes", "3", "--batch", "16", "--samples", "64",
      "--epochs", "2", "--seed", "1", "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
    #expect(object["architecture"] as? String == "8-8-4-3")
    #expect(object["samples"] as? Int == 64)
    #expect((object["samples_per_second"] as? [Double])?.count == 2)
  }

  /// The help shows each form (kernels, training, MODEL) with its own synopsis and options.
  @Test func helpShowsEachFormWithItsOwnOptions() throws {
    let help = try SparsityExecutable.run(["help", "bench"])
    #expect(help.status == 0)
    let forms = help.standardOutput.components(separatedBy: "usage: sparsity bench ").dropFirst()
    #expect(forms.map { String($0.prefix { $0 != " " }) } == ["kernels", "training", "MODEL.safetensors"])
    let options = ["--sizes LIST", "--inputs N", "--plan PLAN.json"]
    for (form, option) in zip(forms, options) {
      #expect(form.contains("\n  \(option)"), "\(option)")
    }
    #expect(!forms.first!.contains("--epochs"))
  }

  @Test(arguments: [
    (["bench"], "bench: missing kernels|training|MODEL.safetensors; see 'sparsity help bench'"),
    (["bench", "training", "--quick"], "--quick does not apply"),
    (["bench", "training", "--sizes", "8"], "--sizes does not apply"),
    (["bench", "kernels", "--epochs", "1"], "--epochs does not apply"),
    (["bench", "kernels", "--sparsities", "120"], "--sparsities"),
    (["bench", "kernels", "--kernels", "dense"], "--kernels"),
    (["bench", "kernels", "--sizes", "0"], "--sizes"),
  ])
  func badOptionsExitWithTwo(arguments: [String], message: String) throws {
    let run = try SparsityExecutable.run(arguments)
    #expect(run.status == 2)
    #expect(run.standardError.contains(message), "\(run.standardError)")
  }
}
