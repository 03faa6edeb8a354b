import Foundation
import SparsityCore
import SparsityIO
import SparsityTestSupport
import Testing

/// `sae report` end to end: train a small autoencoder on planted rows, then the dashboard with
/// a contexts file, a search, and the JSON form.
@Suite struct SAEReportCommandTests {
  /// Row i is direction i % 8 of 16 (a unit vector) with a weight in [1, 2], plus a little
  /// noise; its context names the direction: `row i: the ⟦wordJ⟧ <here> & there`, then an
  /// escape sequence (ESC [0m) that must not reach the terminal.
  static func planted(rows: Int) -> (Tensor, String) {
    var generator = Xoshiro256StarStar(seed: 5)
    var x = Tensor(zeros: [rows, 16])
    var lines = [String]()
    for i in 0..<rows {
      x[i, i % 8] = 1 + generator.nextUnitFloat()
      for c in 0..<16 { x[i, c] += 0.01 * generator.normal() }
      lines.append("row \(i): the ⟦word\(i % 8)⟧ <here> & there\u{1b}[0m")
    }
    return (x, lines.joined(separator: "\n") + "\n")
  }

  @Test func dashboardShowsContextsAndSearchFindsTheLatentOfAWord() throws {
    let directory = try temporaryDirectory("sparsity-sae-report")
    defer { try? FileManager.default.removeItem(at: directory) }
    let (x, text) = Self.planted(rows: 2000)
    let data = directory.appendingPathComponent("rows.npy")
    let contexts = directory.appendingPathComponent("rows.txt")
    try NPYFile.write(x, to: data)
    try Data(text.utf8).write(to: contexts)
    let sae = directory.appendingPathComponent("sae").path
    let trained = try SparsityExecutable.run([
      "sae", "train", "--data", data.path, "--held-out", "0", "--kind", "topk:1", "--latents", "16", "--epochs", "4",
      "--batch", "128", "--lr", "0.01", "--out", sae,
    ])
    try #require(trained.status == 0, "\(trained.standardError)")

    let out = directory.appendingPathComponent("report").path
    let report = try SparsityExecutable.run([
      "sae", "report", "--sae", sae, "--data", data.path, "--contexts", contexts.path, "--top", "5", "--latents", "8",
      "--search", "WORD3", "--out", out,
    ])
    try #require(report.status == 0, "\(report.standardError)")
    #expect(report.standardOutput.contains("Rows: 2000"))
    #expect(report.standardOutput.contains("Latents whose top contexts contain 'WORD3':"))
    #expect(report.standardOutput.contains("the ⟦word3⟧ <here> & there\\u{1b}[0m"), "\(report.standardOutput)")
    #expect(!report.standardOutput.contains("\u{1b}"), "a control character reached standard output")
    let html = try String(contentsOfFile: out + "/index.html", encoding: .utf8)
    #expect(html.contains("the <mark>word3</mark> &lt;here&gt; &amp; there"))
    #expect(html.contains("Latent density") && html.contains("Search: WORD3"))

    let json = try SparsityExecutable.run([
      "sae", "report", "--sae", sae, "--data", data.path, "--contexts", contexts.path, "--search", "word5",
      "--out", out, "--json",
    ])
    try #require(json.status == 0, "\(json.standardError)")
    let object = try #require(JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
    let search = try #require(object["search"] as? [[String: Any]])
    let best = try #require(search.first?["contexts"] as? [String])
    #expect(best.allSatisfy { $0.contains("⟦word5⟧") }, "\(best)")
    let statistics = try #require(object["statistics"] as? [String: Any])
    #expect(statistics["rows"] as? Int == 2000)
    #expect((statistics["latents"] as? [Any])?.count == 16)
  }
}
