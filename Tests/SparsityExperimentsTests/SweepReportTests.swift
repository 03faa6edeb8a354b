import Foundation
import SparsityIO
import SparsityReport
import SparsityTestSupport
import Testing

@testable import SparsityExperiments

/// The sweep report and table of a two-value sweep of a tiny network.
@Suite struct SweepReportTests {
  static func sweep() throws -> SweepResult {
    var recipe = TrainingRecipe()
    recipe.hiddenLayers = [16]
    recipe.settings.epochs = 1
    let data = try recipe.loadData()
    let parameter = SweepParameter.activationL1
    let runs = try parameter.values("0,1e-3").map { value in
      SweepRun.train(value, recipe: parameter.applied(value, to: recipe), data: data, timingSamples: 3).run
    }
    return SweepResult(parameter: parameter, recipe: recipe, data: data, runs: runs)
  }

  @Test func theDocumentHasEverySectionAndARowPerValue() throws {
    let sweep = try Self.sweep()
    let document = SweepReport.document(sweep)
    #expect(document.title == "Sweep of --act-l1 on digits")
    #expect(
      document.sections.map(\.title) == [
        "Results", "Accuracy against sparsity", "Per value of --act-l1", "Training curves",
      ])
    let table = try #require(
      document.sections[0].blocks.compactMap { if case .table(let table) = $0 { table } else { nil } }.first)
    #expect(table.rows.map { $0[0] } == ["0", "1e-3"])
    #expect(table.columns.count == SweepTable.header.count)
    #expect(table.rows.allSatisfy { row in !row.contains { $0.contains("%") } })
  }

  @Test func writingReturnsTheIndexPage() throws {
    let sweep = try Self.sweep()
    let directory = try temporaryDirectory("sweep-report")
    defer { try? FileManager.default.removeItem(at: directory) }
    let index = try SweepReport.write(sweep, to: directory)
    #expect(try String(contentsOf: index, encoding: .utf8).contains("Training curves"))
  }

  @Test func aDivergedValueKeepsEveryColumn() throws {
    let value = SweepParameter.Value(text: "10", number: 10)
    let architecture = TrainingRecipe().architecture(inputs: 64, classes: 10)
    let diverged = SweepRun(value: value, architecture: architecture, history: [], divergedEpoch: 3)
    #expect(
      SweepTable.cells(diverged) == ["10", "diverged at epoch 3", "", "", "", "", "", ""])
    #expect(SweepTable.cells(diverged).count == SweepTable.header.count)
  }
}
