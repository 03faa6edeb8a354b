import SparsityCore
import Foundation
import SparsityAnalysis
import SparsityIO
import SparsityNN
import SparsityReport
import SparsityTestSupport
import Testing

@testable import SparsityExperiments

/// The analysis report of a tiny network trained on the digits for one epoch.
@Suite struct AnalyzeReportTests {
  /// A 64-12-ReLU-8-ReLU-10 network trained one epoch, with its record, analysed on its test part.
  static func subject() throws -> AnalyzeSubject {
    var recipe = TrainingRecipe()
    recipe.hiddenLayers = [12, 8]
    recipe.settings.epochs = 1
    let data = try recipe.loadData()
    let (network, history, _) = recipe.train(on: data)
    let record = ModelRecord(settings: recipe.settings, data: recipe.dataRecord(scaler: data.scaler), history: history)
    let model = ModelFile(network: network, record: record)
    let analyzed = try AnalyzeData.load(model: model, path: "tiny.safetensors")
    let analysis = NetworkAnalysis.analyze(
      network: network, features: analyzed.dataset.features, labels: analyzed.dataset.labels,
      classes: analyzed.dataset.classCount, settings: .init(epsilon: 1e-6, topInputs: 3))
    return AnalyzeSubject(path: "tiny.safetensors", data: analyzed, model: model, analysis: analysis)
  }

  @Test func oneSectionPerActivationLayer() throws {
    let subject = try Self.subject()
    #expect(subject.data.dataset == (try TrainingRecipe().loadData()).test)
    #expect(subject.data.imageShape == ImageShape(rows: 8, columns: 8))
    let document = AnalyzeReport.document(subject)
    #expect(document.title == "Sparsity analysis of tiny.safetensors")
    let titles = document.sections.map(\.title)
    #expect(subject.analysis.activations.count == 2)
    #expect(
      titles == [
        "Summary", "Training history", "Input features", "Layer 1: ReLU", "Layer 3: ReLU", "Weights",
      ])
    let summary = document.sections[0].blocks.compactMap { if case .table(let table) = $0 { table } else { nil } }
    #expect(summary.first?.rows.count == 3)  // the input and the two activation layers
    #expect(document.images.contains { $0.fileName == "first-layer-weights.png" })
  }

  /// A small convolutional network trained one epoch on the digits, analysed on its test part.
  static func convolutionalSubject() throws -> AnalyzeSubject {
    var recipe = TrainingRecipe()
    recipe.hiddenArchitecture = try ModelArchitecture(parsing: "1x8x8,conv:4:3x3:p1,relu,maxpool:2,flatten").layers
    recipe.settings.epochs = 1
    let data = try recipe.loadData()
    let (network, history, _) = recipe.train(on: data)
    let record = ModelRecord(settings: recipe.settings, data: recipe.dataRecord(scaler: data.scaler), history: history)
    let model = ModelFile(network: network, record: record)
    let analyzed = try AnalyzeData.load(model: model, path: "cnn.safetensors")
    let analysis = NetworkAnalysis.analyze(
      network: network, features: analyzed.dataset.features, labels: analyzed.dataset.labels,
      classes: analyzed.dataset.classCount, settings: .init(epsilon: 1e-6, topInputs: 3))
    return AnalyzeSubject(path: "cnn.safetensors", data: analyzed, model: model, analysis: analysis)
  }

  @Test func convolutionalNetworksGetChannelAndOrientationSections() throws {
    let subject = try Self.convolutionalSubject()
    let document = AnalyzeReport.document(subject)
    #expect(
      document.sections.map(\.title) == [
        "Summary", "Training history", "Input features", "Layer 1: ReLU", "Channels of layer 1: ReLU (4×8×8)",
        "Orientation tuning of the first-layer units", "Weights",
      ])
    let names = Set(document.images.map(\.fileName))
    #expect(names.isSuperset(of: ["first-layer-filters.png", "layer1-feature-maps.png"]))
    #expect(!names.contains("first-layer-weights.png"))
    let filters = try #require(document.images.first { $0.fileName == "first-layer-filters.png" })
    #expect(filters.width == 2 * 4 + 1 && filters.height == 2 * 4 + 1)  // 4 filters of 3x3 in a 2x2 grid
    let maps = try #require(document.images.first { $0.fileName == "layer1-feature-maps.png" })
    #expect(maps.width == 8 * 9 + 1 && maps.height == 9 + 1)  // 4 pairs of 8x8 tiles in one row
    let orientation = try #require(document.sections.first { $0.title.hasPrefix("Orientation") })
    let grids = orientation.blocks.compactMap { if case .figureGrid(let svgs, _) = $0 { svgs } else { nil } }
    let responding = subject.analysis.orientation!.tuning.units.filter { $0.preferredAngle != nil }.count
    #expect(grids.first?.count == responding)
    let html = document.html()
    #expect(html.contains("Vertical-line units") && html.contains("Tuning curves"))
  }

  @Test func writingGivesTheIndexPage() throws {
    let subject = try Self.subject()
    let directory = try temporaryDirectory("analyze-report")
    defer { try? FileManager.default.removeItem(at: directory) }
    try AnalyzeReport.write(subject, to: directory)
    let html = try String(contentsOf: directory.appendingPathComponent("index.html"), encoding: .utf8)
    #expect(html.contains("Layer 3: ReLU"))
  }

  @Test func noHistoryNoHistorySection() {
    #expect(AnalyzeHistory.section([]) == nil)
  }

  @Test func anImageShapeOfTheWrongSizeIsNamed() throws {
    let digits = try TrainingRecipe().loadData().test
    #expect(try AnalyzeData.imageShape(given: nil, dataset: digits) == ImageShape(rows: 8, columns: 8))
    #expect(try AnalyzeData.imageShape(given: .some(nil), dataset: digits) == nil)
    #expect(
      try AnalyzeData.imageShape(given: ImageShape(rows: 4, columns: 16), dataset: digits)
        == ImageShape(rows: 4, columns: 16))
    #expect(
      throws: ExperimentError.invalidSetting(
        option: "image-shape", value: "3x3", expected: "a shape of 64 pixels (the data's features)")
    ) {
      try AnalyzeData.imageShape(given: ImageShape(rows: 3, columns: 3), dataset: digits)
    }
    let message = ExperimentError.invalidSetting(
      option: "image-shape", value: "3x3", expected: "a shape of 64 pixels (the data's features)"
    ).description
    #expect(message == "option --image-shape: '3x3' is not a shape of 64 pixels (the data's features)")
  }

  @Test func unitListsAreShortened() {
    #expect(UnitList.text([]) == "none")
    #expect(UnitList.text([0, 5, 9]) == "3: 0, 5, 9")
    #expect(UnitList.text(Array(0..<13), limit: 3) == "13: 0, 1, 2, ... (10 more)")
  }
}
