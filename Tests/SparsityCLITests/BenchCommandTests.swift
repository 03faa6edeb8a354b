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
    let run = try SparsityExecutable.run(["bench", "kernels", "--sizes", "32", "--batches", "2", "--sparsities", "0,99", "--kernels", "csr", "--samples", "1"])
    #expect(run.status == 0)
    #expect(run.standardOutput.contains("dense ms"))
    #expect(run.standardOutput.contains("Break-even sparsity"))
    #expect(run.standardOutput.contains("csr 32x32 batch 2"))
  }

  @Test(arguments: [
    (["bench"], "bench: say what to benchmark"),
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
