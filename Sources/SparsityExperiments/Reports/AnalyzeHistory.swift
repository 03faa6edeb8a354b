// The training history a model file carries, as charts for the `analyze` report.

import SparsityNN
import SparsityReport

enum AnalyzeHistory {
  /// Accuracy and activation sparsity per epoch from the model record's history; nil when it
  /// holds no epochs.
  static func section(_ epochs: [EpochReport]) -> ReportSection? {
    guard !epochs.isEmpty else { return nil }
    let x = epochs.map { Double($0.epoch) }
    var section = ReportSection("Training history")
    section.paragraph("From the model file's metadata: \(epochs.count) epochs of sparsity train.")
    let accuracy = [
      LineSeries("validation", x: x, y: epochs.map { $0.validationAccuracy * 100 }),
      LineSeries("train", x: x, y: epochs.map { $0.trainAccuracy * 100 }),
    ]
    section.figure(
      LineChart(
        title: "Accuracy per epoch", xAxis: Axis("epoch"), yAxis: Axis("accuracy", unit: "%"), series: accuracy),
      caption: "Train and validation accuracy after each epoch.")
    let sparsity = layerSeries(epochs, x: x)
    if !sparsity.isEmpty {
      section.figure(
        LineChart(
          title: "Activation sparsity per epoch", xAxis: Axis("epoch"),
          yAxis: Axis("exact zeros", unit: "%", range: 0...100), series: sparsity),
        caption: "Fraction of exactly-zero outputs of each activation layer on the validation data, after each epoch.")
    }
    return section
  }

  /// One series per activation layer: its activation sparsity in percent per epoch.
  static func layerSeries(_ epochs: [EpochReport], x: [Double]) -> [LineSeries] {
    epochs[0].layers.compactMap { layer -> LineSeries? in
      guard layer.activationSparsity != nil else { return nil }
      let y = epochs.map { epoch -> Double in
        (epoch.layers.first { $0.index == layer.index }?.activationSparsity).map { $0 * 100 } ?? .nan
      }
      return LineSeries("#\(layer.index) \(layer.name)", x: x, y: y)
    }
  }
}
