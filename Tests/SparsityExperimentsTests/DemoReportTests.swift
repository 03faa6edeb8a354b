import Foundation
import SparsityIO
import SparsityReport
import SparsityTestSupport
import Testing

@testable import SparsityExperiments

/// The demo's report built from a small result: two quick rows trained for real, the sparsest
/// accurate one timed, and a quick dictionary.
@Suite struct DemoReportTests {
  static func result() throws -> DemoResult {
    let scale = DemoScale.quick
    var (runs, data) = try DemoRunTests.runs()
    let chosen = DemoRun.sparsestAccurate(runs, testSamples: data.test.sampleCount)
    if let chosen { runs[chosen].benchmarks = runs[chosen].benchmark(data: data, batches: [1], scale: scale) }
    let claims = DemoClaims.evaluate(runs, chosen: chosen.map { runs[$0] }, testSamples: data.test.sampleCount)
    let dictionary = try DemoDictionary.learn(scale) { _, _ in }
    return DemoResult(
      scale: scale, data: data, runs: runs, chosen: chosen, claims: claims, dictionary: dictionary, seconds: 1)
  }

  @Test func theDocumentHasEverySectionAndARowPerRun() throws {
    let result = try Self.result()
    let chosen = try #require(result.chosen)
    let document = DemoReport.document(result)
    let titles = document.sections.map(\.title)
    let layers = try #require(result.runs[chosen].analysis).activations.count
    let name = result.runs[chosen].recipe.name
    #expect(
      Array(titles.prefix(5)) == [
        "A sparse vector", "One network, 64-64-64-10, trained 2 ways", "What the table shows",
        "The seed note's claims, checked", "Inside \(name), the sparsest accurate model",
      ])
    #expect(titles[5..<(5 + layers)].allSatisfy { $0.hasPrefix("Layer ") })
    #expect(
      Array(titles.dropFirst(5 + layers)) == [
        "Weights", "Sparse coding: a dictionary learned on the digits", "Cashing in the zeros: \(name), compiled",
        "Machine and reproducibility",
      ])

    let comparison = tables(in: document.sections[1])
    #expect(comparison.count == 2)
    #expect(comparison[1].columns.map(\.title) == DemoTable.columns)
    #expect(comparison[1].rows.map { $0[0] } == result.runs.map(\.recipe.name))
    #expect(comparison[0].rows.count == result.runs.count)
    let speed = try #require(tables(in: document.sections[document.sections.count - 2]).first)
    #expect(speed.rows.count == result.runs[chosen].benchmarks.count)
    #expect(document.images.map(\.fileName).contains("dictionary-atoms.png"))
  }

  @Test func writingGivesTheIndexPage() throws {
    let result = try Self.result()
    let directory = try temporaryDirectory("demo-report")
    defer { try? FileManager.default.removeItem(at: directory) }
    let index = try DemoReport.write(result, to: directory)
    #expect(index.lastPathComponent == "index.html")
    let html = try String(contentsOf: index, encoding: .utf8)
    #expect(html.contains("A sparse vector") && html.contains("Machine and reproducibility"))
    #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("dictionary-atoms.png").path))
  }

  @Test func theSeedExampleIsSixtyTwoAndAHalfPercentZeros() {
    let section = DemoReport.seedSection()
    #expect(DemoResult.seedExample == [0, 3.2, 0, 5.1, 0, 0.7, 0, 0])
    let paragraph = section.blocks.compactMap { if case .paragraph(let text) = $0 { text } else { nil } }.first
    #expect(paragraph?.contains("5 of 8 = 62.5% are zero") == true)
  }

  @Test func aDivergedRowKeepsEveryColumn() throws {
    var (runs, _) = try DemoRunTests.runs()
    runs[0].run.divergedEpoch = 2
    runs[0].run.test = nil
    let cells = DemoTable.cells(runs[0])
    #expect(cells.count == DemoTable.columns.count)
    #expect(cells[1] == "diverged at epoch 2")
    #expect(DemoTable.cells(runs[1]).count == DemoTable.columns.count)
    #expect(DemoTable.percent(0.625) == "62.5%" && DemoTable.percent(nil) == "-" && DemoTable.percent(.nan) == "-")
  }

  private func tables(in section: ReportSection) -> [DataTable] {
    section.blocks.compactMap { if case .table(let table) = $0 { table } else { nil } }
  }
}
