// The comparison part of the demo's report: the table, its charts, and one model analysed.

import Foundation
import SparsityAnalysis
import SparsityCore
import SparsityIO
import SparsityNN
import SparsityReport

enum DemoReportComparison {
  private static func names(_ runs: [DemoRun]) -> [String] { runs.map(\.recipe.name) }

  /// The comparison table, what its columns mean, and the techniques.
  static func table(_ result: DemoResult) -> ReportSection {
    let runs = result.runs
    let widths = ([result.data.train.featureCount] + result.scale.layers + [result.data.train.classCount]).map(
      String.init
    ).joined(separator: "-")
    var section = ReportSection("One network, \(widths), trained \(runs.count) ways")
    section.paragraph(
      "Every row trains the same network (ReLU hidden layers; the autoencoder row has its own encoder) for \(result.scale.epochs) epochs with Adam "
        + "(unless noted), seed \(result.scale.seed), the same data split and initialization. Each row is one way the seed note names to get sparsity."
    )
    var techniques = DataTable(columns: [.init("model"), .init("technique"), .init("how")])
    for run in runs { techniques.append([run.recipe.name, run.recipe.technique, run.recipe.command(result.scale)]) }
    section.table(techniques)
    let numeric = DemoTable.columns.dropFirst().map { DataTable.Column($0, .number) }
    var table = DataTable(columns: [.init("model")] + numeric)
    for run in runs { table.append(DemoTable.cells(run)) }
    section.table(table)
    section.paragraph(
      "gap: train − test accuracy in percentage points (one test image = \(String(format: "%.2f", 100 / Double(result.data.test.sampleCount))) points). "
        + "act zeros: exactly-zero activations, mean over the hidden layers. |a|≤0.05: near zeros (sigmoid units are never exactly zero). "
        + "active/input: units with |a| > 0.05 per image, mean over the hidden layers, out of the layer's units. dead: hidden units never above 0.05 "
        + "on the test images. selectivity: mean class selectivity of the units active on at least 2% of the test images. zero weights: exact zeros among all Linear weights. "
        + "MACs left: multiply-adds with both a nonzero input and a nonzero weight, as a share of the dense count. speedup b1: the compiled model "
        + "(fastest kernel per layer, chosen by timing) against dense OpenBLAS, one image at a time.")
    return section
  }

  /// Accuracy against skipped work, the per-model bars, and the training curves.
  static func charts(_ result: DemoResult) -> ReportSection {
    let runs = result.runs.filter { $0.run.test != nil }
    var section = ReportSection("What the table shows")
    section.figure(
      ScatterPlot(
        title: "Test accuracy against skippable work", xAxis: Axis("multiply-adds that involve a zero", unit: "%"),
        yAxis: Axis("test accuracy", unit: "%"),
        points: runs.map {
          ScatterPoint(
            x: (1 - ($0.work?.fraction ?? 1)) * 100, y: ($0.run.test?.accuracy ?? .nan) * 100, label: $0.recipe.name)
        },
        frontier: .bothHigher),
      caption:
        "One point per model. The dashed line joins the Pareto frontier: the models no other model beats on both skippable work and accuracy."
    )
    bars(runs, into: &section)
    curves(result, into: &section)
    return section
  }

  /// One bar chart per model-level figure: speedup, active units, selectivity, gap.
  static func bars(_ runs: [DemoRun], into section: inout ReportSection) {
    func bar(_ title: String, _ axis: Axis, _ values: [Double?], caption: String) {
      section.figure(
        BarChart(
          title: title, categories: names(runs), categoryTitle: "model", yAxis: axis,
          series: [BarSeries(title, values: values.map { $0 ?? .nan })]),
        caption: caption)
    }
    bar(
      "Batch-1 speedup of the compiled model", Axis("dense time / compiled time", unit: "×", includesZero: true),
      runs.map { $0.batchOne?.speedup },
      caption:
        "Above 1: the compiled model (zero-skipping kernels where they are faster) beats dense OpenBLAS on the same inputs."
    )
    bar(
      "Active units per image", Axis("units with |a| > 0.05, mean over hidden layers", includesZero: true),
      runs.map(\.activeUnitsPerInput),
      caption: "Fewer active units per input: a sparser, more readable code.")
    bar(
      "Class selectivity of the hidden units", Axis("mean selectivity index", range: 0...1),
      runs.map(\.meanSelectivity),
      caption:
        "(μ_max − μ_rest) / (μ_max + μ_rest) of each unit's mean activation per class, averaged over the units active on at least 2% of the test images (rarer units score 1 by construction; Morcos et al. 2018)."
    )
    bar(
      "Generalization gap", Axis("train − test accuracy", unit: "points", includesZero: true),
      runs.map(\.run.gapPoints),
      caption: "The overfitting: how much better each model does on images it was trained on.")
  }

  /// Validation accuracy and activation sparsity per epoch, one line per model.
  static func curves(_ result: DemoResult, into section: inout ReportSection) {
    let accuracy = result.runs.enumerated().map { i, run in
      LineSeries(
        run.recipe.name, y: run.run.history.map { $0.validationAccuracy * 100 }, dashed: i >= ChartPalette.colors.count)
    }
    section.figure(
      LineChart(
        title: "Validation accuracy per epoch", xAxis: Axis("epoch"), yAxis: Axis("validation accuracy", unit: "%"),
        series: accuracy),
      caption:
        "Measured on the \(result.data.validation.sampleCount) validation images after each epoch (the autoencoder row: its linear classifier's epochs)."
    )
    let sparsity = result.runs.enumerated().compactMap { i, run -> LineSeries? in
      let values = run.run.history.map { report -> Double in
        let layers = report.layers.compactMap(\.activationSparsity)
        return layers.isEmpty ? .nan : layers.reduce(0, +) / Double(layers.count) * 100
      }
      return values.allSatisfy(\.isNaN)
        ? nil : LineSeries(run.recipe.name, y: values, dashed: i >= ChartPalette.colors.count)
    }
    section.figure(
      LineChart(
        title: "Activation sparsity per epoch", xAxis: Axis("epoch"),
        yAxis: Axis("exact zeros, validation images", unit: "%", range: 0...100), series: sparsity),
      caption: "Mean over the hidden layers of the exactly-zero activations on the validation images, after each epoch."
    )
  }

  /// The sparsest accurate model analysed as `sparsity analyze --report` does.
  static func inside(_ run: DemoRun, data: PreparedData) -> [ReportSection] {
    guard let analysis = run.analysis else { return [] }
    let subject = AnalyzeSubject(
      path: run.recipe.name,
      data: AnalyzeData(
        dataset: data.test, source: .digits,
        imageShape: data.test.imageShape ?? ImageShape.square(featureCount: data.test.featureCount)),
      model: ModelFile(network: run.model), analysis: analysis)
    var intro = ReportSection("Inside \(run.recipe.name), the sparsest accurate model")
    intro.paragraph(
      "The units of each hidden layer on the \(analysis.samples) test images: how often each fires, how many fire per image, how tied each is "
        + "to one digit, and the images that drive the most selective units. A unit is active when |a| > \(DemoRun.epsilon). "
        + "The same analysis of any saved model: sparsity analyze MODEL --report DIR.")
    var sections = [intro]
    for layer in analysis.activations {
      sections.append(
        AnalyzeReport.layerSection(layer, subject: subject, title: "Layer \(layer.layerIndex!): \(layer.name)"))
    }
    sections.append(AnalyzeReport.weightSection(subject))
    return sections
  }
}
