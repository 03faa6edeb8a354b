import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite struct SweepCommandTests {
  private func temporaryDirectory() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("sparsity-sweep-\(UUID().uuidString)")
  }

  @Test func jsonHasOneRowPerValueAndTheReportIsValid() throws {
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let report = directory.appendingPathComponent("report")
    let models = directory.appendingPathComponent("models")
    let run = try SparsityExecutable.run([
      "sweep", "--param", "act-l1", "--values", "0,1e-2", "--epochs", "1", "--layers", "16,8", "--lr", "5e-3",
      "--timing-samples", "5", "--json", "--report", report.path, "--out-dir", models.path,
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
    #expect(object["param"] as? String == "act-l1")
    let rows = try #require(object["rows"] as? [[String: Any]])
    #expect(rows.map { $0["value"] as? Double } == [0, 0.01])
    for row in rows {
      for key in [
        "test_accuracy", "train_accuracy", "gap_points", "activation_sparsity", "dead_units", "weight_sparsity",
        "speedup_batch1",
      ] {
        #expect(row[key] is NSNumber, "\(key)")
      }
      let test = try #require(row["test_accuracy"] as? Double)
      let train = try #require(row["train_accuracy"] as? Double)
      #expect(abs((row["gap_points"] as? Double ?? .nan) - (train - test) * 100) < 1e-9)
      #expect((0...1).contains(row["activation_sparsity"] as? Double ?? -1))
      #expect((row["timed_layers"] as? [Int]) == [2, 4])
      #expect((row["timing_relative_error"] as? Double ?? 1) < 1e-5)
      #expect((row["history"] as? [Any])?.count == 1)
    }
    for label in ["0", "1e-2"] {
      #expect(
        FileManager.default.fileExists(atPath: models.appendingPathComponent("model-act-l1-\(label).safetensors").path))
    }
    try checkReport(report.appendingPathComponent("index.html"), labels: ["0", "1e-2"])
  }

  /// The page parses as XML, holds the charts and the values, and every file it references exists.
  private func checkReport(_ index: URL, labels: [String]) throws {
    let html = try String(contentsOf: index, encoding: .utf8)
    let collector = ElementCollector()
    let parser = XMLParser(data: Data(html.utf8))
    parser.delegate = collector
    #expect(parser.parse(), "index.html is not well-formed: \(String(describing: parser.parserError))")
    #expect(collector.names.filter { $0 == "svg" }.count >= 5)
    #expect(!collector.names.contains("script"))
    for reference in collector.references where !reference.hasPrefix("#") {
      #expect(
        FileManager.default.fileExists(
          atPath: index.deletingLastPathComponent().appendingPathComponent(reference).path), "\(reference)")
    }
    for label in labels { #expect(collector.text.contains(label)) }
    #expect(collector.text.contains("Pareto frontier"))
    #expect(!html.contains("NaN"))
  }

  @Test func textTableHasOneRowPerValue() throws {
    let run = try SparsityExecutable.run([
      "sweep", "--param", "dropout", "--values", "0,0.3", "--epochs", "1", "--layers", "16", "--timing-samples", "3",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let lines = run.standardOutput.split(separator: "\n")
    let header = try #require(
      lines.firstIndex { $0.hasPrefix("dropout") && $0.contains("test acc") && $0.contains("speedup b1") })
    #expect(lines[header + 1].hasPrefix("0 "))
    #expect(lines[header + 2].hasPrefix("0.3 "))
    #expect(run.standardOutput.contains("[2/2] --dropout 0.3"))
  }

  @Test(arguments: [
    (["sweep", "--values", "0,1"], "--param"),
    (["sweep", "--param", "act-l1"], "--values"),
    (["sweep", "--param", "momentum", "--values", "0,1"], "--param"),
    (["sweep", "--param", "act-l1", "--values", ""], "--values"),
    (["sweep", "--param", "act-l1", "--values", "0,abc"], "--values"),
    (["sweep", "--param", "act-l1", "--values", "1e-3,0.001"], "--values"),
    (["sweep", "--param", "l1", "--values", "-1"], "--values"),
    (["sweep", "--param", "dropout", "--values", "0,1.5"], "--values"),
    (["sweep", "--param", "topk", "--values", "0"], "--values"),
    (["sweep", "--param", "topk", "--values", "4,32", "--layers", "32"], "narrowest"),
    (["sweep", "--param", "act-l1", "--values", "0", "--act-l1", "1e-3"], "--act-l1"),
    (["sweep", "--param", "topk", "--values", "4", "--activation", "relu"], "--activation"),
    (["sweep", "--param", "act-l1", "--values", "0", "--out", "model.safetensors"], "--out"),
    (["sweep", "--param", "act-l1", "--values", "0", "--report", "/dev/null"], "--report"),
  ])
  func badUsageExitsWithTwo(arguments: [String], mention: String) throws {
    let run = try SparsityExecutable.run(arguments)
    #expect(run.status == 2)
    #expect(run.standardError.contains(mention), "\(run.standardError)")
    #expect(run.standardOutput.isEmpty)
  }
}
