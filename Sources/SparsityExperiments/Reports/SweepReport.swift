// `sparsity sweep --report DIR`: the sweep as an offline HTML page with its table and charts.

import Foundation
import SparsityBench
import SparsityCore
import SparsityNN
import SparsityReport

/// The report of `sparsity sweep`: the settings and table, test accuracy against activation
/// sparsity, accuracy, gap, sparsity and speedup per value, and the training curves.
public enum SweepReport {
  /// Writes DIR/index.html and returns its URL.
  /// - Throws: `ReportError` naming the directory or file that could not be written.
  public static func write(_ sweep: SweepResult, to directory: URL) throws -> URL {
    try ReportWriter.write(document(sweep), to: directory)
  }

  /// The page: settings and table, accuracy against sparsity, metrics per value, training curves.
  public static func document(_ sweep: SweepResult) -> ReportDocument {
    let name = "--\(sweep.parameter.rawValue)"
    var report = ReportDocument(
      title: "Sweep of \(name) on \(sweep.recipe.source)",
      introduction: "One model per value of \(name), every other setting the same (seed, initialization, data split). "
        + "Accuracies, sparsity and dead units are measured on the \(sweep.data.test.sampleCount) test samples after training, "
        + "train accuracy on the \(sweep.data.train.sampleCount) training samples, both in evaluation mode.")
    report.append(results(sweep))
    report.append(tradeOff(sweep))
    report.append(perValue(sweep))
    report.append(curves(sweep))
    return report
  }

  private static func labels(_ sweep: SweepResult) -> [String] { sweep.runs.map(\.value.text) }
  private static func slots(_ sweep: SweepResult) -> [Double] { sweep.runs.indices.map(Double.init) }
  private static func percent(_ values: [Double?]) -> [Double] { values.map { ($0 ?? .nan) * 100 } }

  /// Settings and the table.
  static func results(_ sweep: SweepResult) -> ReportSection {
    var section = ReportSection("Results")
    let architecture = sweep.runs.first.map { "\($0.architecture)" } ?? "-"
    let description = MachineDescription.current
    let machine =
      "\(description.processor), \(description.cores) cores, \(description.kernelThreads) threads; \(description.blas)"
    section.keyValues(
      [
        ("swept", "--\(sweep.parameter.rawValue) = \(labels(sweep).joined(separator: ", "))"),
        ("network", architecture),
        (
          "data",
          "\(sweep.recipe.source): \(sweep.data.train.sampleCount) train, \(sweep.data.validation.sampleCount) validation, \(sweep.data.test.sampleCount) test samples"
        ),
      ]
        + sweep.recipe.settings.summary.map { ($0.replacingOccurrences(of: "_", with: " "), $1) }
        + [("machine", machine)])
    var table = DataTable(columns: [
      .init(sweep.parameter.rawValue), .init("test accuracy (%)", .number), .init("train accuracy (%)", .number),
      .init("gap (points)", .number), .init("activation zeros (%)", .number), .init("dead units", .number),
      .init("zero weights (%)", .number), .init("batch-1 speedup", .number),
    ])
    for run in sweep.runs { table.append(SweepTable.cells(run).map { $0.replacingOccurrences(of: "%", with: "") }) }
    section.table(table)
    section.paragraph(
      "gap = train − test accuracy in percentage points. Activation zeros: mean over the activation layers of the fraction of "
        + "exactly-zero outputs. Batch-1 speedup: time of the Linear layers that read activations with dense OpenBLAS sgemv "
        + "(the faster of 1 thread and all threads) divided by the activation-skipping kernel, one input at a time, median of 7 samples "
        + "each, on the first test inputs; above 1 means skipping zeros is faster.")
    return section
  }

  /// Test accuracy against activation sparsity, with the Pareto frontier.
  static func tradeOff(_ sweep: SweepResult) -> ReportSection {
    var section = ReportSection("Accuracy against sparsity")
    let points = sweep.runs.map { run in
      ScatterPoint(
        x: (run.activationSparsity ?? .nan) * 100, y: (run.test?.accuracy ?? .nan) * 100, label: run.value.text)
    }
    section.figure(
      ScatterPlot(
        title: "Test accuracy against activation sparsity", xAxis: Axis("activation zeros, test data", unit: "%"),
        yAxis: Axis("test accuracy", unit: "%"), points: points, frontier: .bothHigher),
      caption:
        "Each point is one model, labelled with its --\(sweep.parameter.rawValue). The dashed line joins the Pareto frontier: "
        + "the models that no other model beats on both sparsity and accuracy.")
    return section
  }

  /// Accuracy and gap, sparsity, speedup per value.
  static func perValue(_ sweep: SweepResult) -> ReportSection {
    var section = ReportSection("Per value of --\(sweep.parameter.rawValue)")
    let x = Axis("--\(sweep.parameter.rawValue)", scale: .categories(labels(sweep)))
    section.figure(
      LineChart(
        title: "Accuracy", xAxis: x, yAxis: Axis("accuracy", unit: "%"),
        series: [
          LineSeries("train", x: slots(sweep), y: percent(sweep.runs.map { $0.train?.accuracy })),
          LineSeries("test", x: slots(sweep), y: percent(sweep.runs.map { $0.test?.accuracy }), dashed: true),
        ]),
      caption: "Train and test accuracy after training (evaluation mode).")
    section.figure(
      LineChart(
        title: "Generalization gap", xAxis: x, yAxis: Axis("train − test accuracy", unit: "points", includesZero: true),
        series: [LineSeries("gap", x: slots(sweep), y: sweep.runs.map { $0.gapPoints ?? .nan })]),
      caption: "The overfitting: how much better the model does on data it was trained on.")
    section.figure(
      LineChart(
        title: "Sparsity", xAxis: x, yAxis: Axis("zeros", unit: "%", range: 0...100),
        series: [
          LineSeries("activations (test data)", x: slots(sweep), y: percent(sweep.runs.map(\.activationSparsity))),
          LineSeries("weights", x: slots(sweep), y: percent(sweep.runs.map(\.weightSparsity)), dashed: true),
        ]),
      caption:
        "Exactly-zero activations (mean over the activation layers) and exactly-zero weights (all Linear layers).")
    section.figure(
      LineChart(
        title: "Batch-1 speedup of activation skipping", xAxis: x,
        yAxis: Axis("dense time / skipping time", unit: "x", includesZero: true),
        series: [
          LineSeries("speedup", x: slots(sweep), y: sweep.runs.map { $0.timing?.speedup ?? .nan }),
          LineSeries("same speed (1x)", x: slots(sweep), y: sweep.runs.map { _ in 1 }, dashed: true, color: "#888888"),
        ]),
      caption:
        "Above 1: skipping the zero activations is faster than dense OpenBLAS sgemv on the same layers and inputs. "
        + "Timings are wall-clock on the machine above and vary with its load.")
    return section
  }

  /// Validation accuracy and activation sparsity per epoch, one line per value.
  static func curves(_ sweep: SweepResult) -> ReportSection {
    var section = ReportSection("Training curves")
    let accuracy = sweep.runs.enumerated().map { i, run in
      LineSeries(
        run.value.text, y: run.history.map { $0.validationAccuracy * 100 }, dashed: i >= ChartPalette.colors.count)
    }
    section.figure(
      LineChart(
        title: "Validation accuracy per epoch", xAxis: Axis("epoch"), yAxis: Axis("validation accuracy", unit: "%"),
        series: accuracy),
      caption:
        "One line per value of --\(sweep.parameter.rawValue), measured on the \(sweep.data.validation.sampleCount) validation samples after each epoch."
    )
    let sparsity = sweep.runs.map { run in
      LineSeries(
        run.value.text,
        y: run.history.map { report in
          let values = report.layers.compactMap(\.activationSparsity)
          return values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) * 100
        })
    }
    section.figure(
      LineChart(
        title: "Activation sparsity per epoch", xAxis: Axis("epoch"),
        yAxis: Axis("activation zeros, validation data", unit: "%", range: 0...100), series: sparsity),
      caption: "Mean over the activation layers of the fraction of exactly-zero outputs on the validation samples.")
    return section
  }
}
