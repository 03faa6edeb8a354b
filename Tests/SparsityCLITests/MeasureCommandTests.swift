import Foundation
import SparsityCore
import SparsityIO
import Testing

/// `sparsity measure` end to end: the built executable run as a user runs it.
@Suite struct MeasureCommandTests {
  private func temporaryURL(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("measuretests-\(UUID().uuidString)-\(name)")
  }

  /// The overall measures of `--json` output, decoded exactly (JSONSerialization on Linux
  /// reads long decimals through NSDecimalNumber and loses the last bits).
  private struct OverallMeasures: Decodable, Equatable {
    var l1, l2, hoyer, gini: Double
    var epsilon: Float
  }

  private func jsonObject(_ text: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  @Test func summarizesTheSeedExample() throws {
    let output = try SparsityExecutable.run(["measure", "0,3.2,0,5.1,0,0.7,0,0"])
    #expect(output.status == 0)
    #expect(output.standardError.isEmpty)
    for expected in [
      "8 values", "5 of 8", "62.5%", "3 of 8", "|x| <= 1e-06", "L1 norm        9", "0.734845", "0.747222",
    ] {
      #expect(output.standardOutput.contains(expected), "missing \(expected)")
    }
  }

  @Test func jsonHasTheDocumentedKeysAndExactValues() throws {
    let output = try SparsityExecutable.run(["measure", "0,3.2,0,5.1,0,0.7,0,0", "--json"])
    #expect(output.status == 0)
    let json = try jsonObject(output.standardOutput)
    #expect(json["sparsity"] as? Double == 0.625)
    #expect(json["count"] as? Int == 8 && json["zeros"] as? Int == 5 && json["active"] as? Int == 3)
    #expect(json["near_zero"] as? Int == 5 && json["near_zero_fraction"] as? Double == 0.625)
    #expect(json["shape"] as? [Int] == [8])
    let report = SparsityMeasures([0, 3.2, 0, 5.1, 0, 0.7, 0, 0])
    // Numbers are printed so that they parse back to the same Double.
    let measures = try JSONDecoder().decode(OverallMeasures.self, from: Data(output.standardOutput.utf8))
    #expect(
      measures == OverallMeasures(l1: report.l1, l2: report.l2, hoyer: report.hoyer, gini: report.gini, epsilon: 1e-6))
    #expect(json["dead_columns"] == nil)
  }

  @Test func epsilonChangesNearZeroCount() throws {
    let output = try SparsityExecutable.run(["measure", "0,0.001,-0.002,5", "--epsilon=0.01", "--json"])
    let json = try jsonObject(output.standardOutput)
    #expect(json["zeros"] as? Int == 1 && json["near_zero"] as? Int == 3 && json["epsilon"] as? Double == 0.01)
  }

  @Test func matrixFromNPYReportsRowsColumnsAndDeadUnits() throws {
    let url = temporaryURL("activations.npy")
    defer { try? FileManager.default.removeItem(at: url) }
    try NPYFile.write(Tensor(rows: [[0, 1, 0, 2], [0, 0, 0, 3], [0, 4, 0, 0]]), to: url)
    let text = try SparsityExecutable.run(["measure", url.path])
    #expect(text.status == 0)
    #expect(text.standardOutput.contains("3 x 4 matrix") && text.standardOutput.contains("zero in every row: 0, 2"))
    let json = try jsonObject(try SparsityExecutable.run(["measure", url.path, "--json"]).standardOutput)
    #expect(json["shape"] as? [Int] == [3, 4] && json["dead_columns"] as? [Int] == [0, 2])
    let columns = try #require(json["columns"] as? [String: Any])
    #expect(columns["per_column_sparsity"] as? [Double] == [1, 1.0 / 3, 1, 1.0 / 3])
    let rows = try #require(json["rows"] as? [String: Any])
    #expect(rows["count"] as? Int == 3)
  }

  @Test func csvWithDroppedLabelColumn() throws {
    let url = temporaryURL("data.csv")
    defer { try? FileManager.default.removeItem(at: url) }
    try Data("a,b,label\n0,1,9\n0,2,0\n".utf8).write(to: url)
    let json = try jsonObject(
      try SparsityExecutable.run(["measure", url.path, "--drop-columns", "-1", "--json"]).standardOutput)
    #expect(json["count"] as? Int == 4 && json["zeros"] as? Int == 2)
    #expect(json["dead_columns"] as? [Int] == [0] && json["dropped_columns"] as? [Int] == [2])
  }

  @Test(arguments: [
    (["measure", "1,x,3"], "field 2 ('x') is not a number"),
    (["measure", ""], "empty input"),
    (["measure", "0,nan,1"], "not a finite"),
    (["measure", "/nonexistent/activations.npy"], "/nonexistent/activations.npy: cannot read: no such file"),
    (["measure"], "missing <input>"),
    (["measure", "1,2", "--epsilon", "-1"], "--epsilon"),
    (["measure", "1,2", "--drop-columns", "0"], "--drop-columns needs a matrix input"),
  ])
  func malformedInputExitsWithTwoAndOneLine(arguments: [String], message: String) throws {
    let output = try SparsityExecutable.run(arguments)
    #expect(output.status == 2)
    #expect(output.standardOutput.isEmpty)
    #expect(output.standardError.hasPrefix("sparsity: "))
    #expect(output.standardError.contains(message), "stderr: \(output.standardError)")
    #expect(output.standardError.filter { $0 == "\n" }.count == 1)
  }

  @Test func badFilesAreReportedByName() throws {
    let truncated = temporaryURL("cut.npy")
    let nan = temporaryURL("nan.npy")
    let ragged = temporaryURL("ragged.csv")
    defer { for url in [truncated, nan, ragged] { try? FileManager.default.removeItem(at: url) } }
    try NPYFile.encode(Tensor(zeros: [4, 4])).dropLast(8).write(to: truncated)
    try NPYFile.write(Tensor([1, .nan, 0]), to: nan)
    try Data("1,2\n3\n".utf8).write(to: ragged)
    let cases = [
      (truncated, "truncated data: header says 4x4 float32 (64 bytes)"), (nan, "1 of 3 values are NaN"),
      (ragged, "line 2: 1 fields"),
    ]
    for (url, message) in cases {
      let output = try SparsityExecutable.run(["measure", url.path])
      #expect(output.status == 2)
      #expect(output.standardError.contains("\(url.path): \(message)"), "stderr: \(output.standardError)")
    }
  }

  @Test(.enabled(if: FileManager.default.fileExists(atPath: "/work/shared/data/digits.csv")))
  func measuresTheDigitsData() throws {
    let output = try SparsityExecutable.run(["measure", "/work/shared/data/digits.csv", "--json"])
    let json = try jsonObject(output.standardOutput)
    #expect(json["shape"] as? [Int] == [1797, 65])
    #expect(json["dead_columns"] as? [Int] == [0, 32, 39])
    #expect(Swift.abs((json["hoyer"] as? Double ?? 0) - 0.3690458296956381) < 1e-9)
    #expect(Swift.abs((json["gini"] as? Double ?? 0) - 0.643547994117832) < 1e-9)
  }
}
