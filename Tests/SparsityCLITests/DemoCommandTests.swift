import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// `sparsity demo --quick`: every step runs, the terminal output tells the story, the report is
/// a valid offline page whose every file exists.
@Suite struct DemoCommandTests {
  private func temporaryDirectory() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("sparsity-demo-\(UUID().uuidString)")
  }

  @Test func quickDemoPrintsEveryStepAndWritesTheReport() throws {
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let run = try SparsityExecutable.run(["demo", "--quick", "--report", directory.path])
    #expect(run.status == 0, "\(run.standardError)")
    let out = run.standardOutput
    #expect(out.contains("5 of 8 = 62.5% are zero"))
    for recipe in [
      "plain ReLU", "L1 on weights", "activation L1", "dropout", "TopK", "sparse autoencoder", "act. L1 + 90% pruned",
    ] {
      #expect(out.contains(recipe), "\(recipe)")
    }
    for claim in ["Efficiency:", "Interpretability:", "Less overfitting:"] {
      let line = try #require(out.split(separator: "\n").first { $0.contains(claim) }, "\(claim)")
      #expect(["HOLDS HERE", "HOLDS IN PART HERE", "DOES NOT SHOW HERE"].contains { line.hasSuffix($0) }, "\(line)")
    }
    #expect(out.contains("4. Sparse coding: 16 atoms"))
    #expect(out.contains("5. Cashing in the zeros"))
    let lastLine = try #require(out.split(separator: "\n").last.map(String.init))
    let index = directory.appendingPathComponent("index.html")
    #expect(URL(fileURLWithPath: lastLine).standardizedFileURL.path == index.standardizedFileURL.path)
    try checkReport(index)
  }

  /// The table's rows hold numbers that fit together: zero weights of the pruned model near 90%,
  /// the plain model with no zero weights, multiply-adds left a share in (0, 100].
  @Test func quickDemoTableIsConsistent() throws {
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let run = try SparsityExecutable.run(["demo", "--quick", "--report", directory.path])
    #expect(run.status == 0, "\(run.standardError)")
    let rows = run.standardOutput.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    let header = try #require(rows.first { $0.hasPrefix("model ") && $0.contains("MACs left") })
    let columns = header.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    #expect(columns.last == "b1")
    func cells(_ name: String) throws -> [String] {
      let row = try #require(rows.first { $0.hasPrefix(name + "  ") }, "\(name)")
      return row.dropFirst(name.count).split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    }
    let plain = try cells("plain ReLU")
    let pruned = try cells("act. L1 + 90% pruned")
    // test acc, train acc, gap, act zeros, |a|<=0.05, active/input, dead, selectivity, zero weights, MACs left, speedup
    #expect(plain.count == 11 && pruned.count == 11)
    #expect(plain[8] == "0.0%")
    let prunedZeros = try #require(Double(pruned[8].dropLast()))
    #expect(abs(prunedZeros - 90) < 0.5, "pruned zero weights \(pruned[8])")
    for row in [plain, pruned] {
      let left = try #require(Double(row[9].dropLast()))
      #expect(left > 0 && left <= 100)
      let test = try #require(Double(row[0].dropLast()))
      let train = try #require(Double(row[1].dropLast()))
      let gap = try #require(Double(row[2]))
      #expect(abs((train - test) - gap) < 0.011, "gap \(gap) for \(train) - \(test)")
    }
    #expect(Double(pruned[9].dropLast())! < Double(plain[9].dropLast())!, "pruning leaves fewer multiply-adds")
  }

  @Test func reportPathThatIsAFileIsAClearError() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("sparsity-demo-file-\(UUID().uuidString)")
    try Data("x".utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let run = try SparsityExecutable.run(["demo", "--quick", "--report", file.path])
    #expect(run.status == 2)
    #expect(run.standardError.contains(file.path) && run.standardError.contains("report"), "\(run.standardError)")
    #expect(!run.standardOutput.contains("2. One network"), "nothing is trained before the error")
  }

  /// The page parses as XML, has charts and no scripts, and every file it references exists.
  private func checkReport(_ index: URL) throws {
    let html = try String(contentsOf: index, encoding: .utf8)
    let collector = ElementCollector()
    let parser = XMLParser(data: Data(html.utf8))
    parser.delegate = collector
    #expect(parser.parse(), "index.html is not well-formed: \(String(describing: parser.parserError))")
    #expect(collector.names.filter { $0 == "svg" }.count >= 8)
    #expect(collector.names.filter { $0 == "img" }.count >= 4)
    #expect(!collector.names.contains("script"))
    for reference in collector.references where !reference.hasPrefix("#") {
      #expect(
        FileManager.default.fileExists(
          atPath: index.deletingLastPathComponent().appendingPathComponent(reference).path), "\(reference)")
    }
    for text in ["62.5%", "Pareto frontier", "dictionary", "sparsity train --data digits"] {
      #expect(collector.text.contains(text), "\(text)")
    }
    #expect(!html.contains("NaN"))
  }
}
