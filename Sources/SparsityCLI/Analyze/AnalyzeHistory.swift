// The training history a model file carries, as charts for the `analyze` report.

import Foundation
import SparsityReport

enum AnalyzeHistory {
  /// Accuracy and activation sparsity per epoch from the model's `history` metadata (the JSON
  /// `train` writes); nil when the file has none or it holds no epochs.
  static func section(_ json: String?) -> ReportSection? {
    guard let json, let epochs = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]],
      !epochs.isEmpty
    else { return nil }
    let x = epochs.map { Double($0["epoch"] as? Int ?? 0) }
    var section = ReportSection("Training history")
    section.paragraph("From the model file's metadata: \(epochs.count) epochs of sparsity train.")
    let accuracy = ["train_accuracy": "train", "validation_accuracy": "validation"].sorted(by: { $0.key > $1.key }).map
    { key, name in
      LineSeries(name, x: x, y: epochs.map { ($0[key] as? Double).map { $0 * 100 } ?? .nan })
    }
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

  /// One series per activation layer: its `activation_sparsity` in percent per epoch.
  static func layerSeries(_ epochs: [[String: Any]], x: [Double]) -> [LineSeries] {
    let layers = (epochs[0]["layers"] as? [[String: Any]]) ?? []
    return layers.compactMap { layer -> LineSeries? in
      guard let index = layer["index"] as? Int, layer["activation_sparsity"] as? Double != nil else { return nil }
      let y = epochs.map { epoch -> Double in
        let match = (epoch["layers"] as? [[String: Any]])?.first { $0["index"] as? Int == index }
        return (match?["activation_sparsity"] as? Double).map { $0 * 100 } ?? .nan
      }
      return LineSeries("#\(index) \(layer["name"] as? String ?? "")", x: x, y: y)
    }
  }
}
