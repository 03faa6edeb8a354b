// `sparsity analyze`: what a trained network's sparsity is, layer by layer, on its test data.

import Foundation
import SparsityAnalysis
import SparsityCore
import SparsityExperiments
import SparsityIO
import SparsityNN

/// The `analyze` subcommand.
enum AnalyzeCommand {
  static let epsilon = Option<Float>(
    "epsilon", "E", expected: "a finite number >= 0", default: "1e-6",
    help: "near-zero threshold: |a| <= E is near zero, |a| > E active", parse: Parse.nonNegativeFloat)
  static let top = Option<Int>(
    "top", "N", expected: "an integer in 0...1000", default: "5",
    help: "inputs listed per unit (and per channel): those that activate it most",
    parse: { Int($0).flatMap { (0...1000).contains($0) ? $0 : nil } })
  static let imageShape = Option<ImageShape?>(
    "image-shape", "ROWSxCOLUMNS|none",
    expected: "ROWSxCOLUMNS, two positive sizes whose product fits in 64 bits (e.g. 28x28), or none",
    help: "the inputs' image shape, none for no images (default: the data's, else square for a square feature count)",
    parse: parseImageShape)
  static let json = Flag("json", help: "print everything as one JSON object instead of the summary")
  static let report = Option<String>(
    "report", "DIR", help: "also write an HTML report (index.html and PNG images) to DIR")

  static let command = Command(
    name: "analyze",
    summary: "per-layer activation sparsity, dead / always-on units, class selectivity, top inputs, weight histograms",
    positionals: [ModelOptions.model],
    options: ModelOptions.dataOptions(split: true) + [epsilon.spec, top.spec, imageShape.spec, json.spec, report.spec],
    description: """
      Runs the model over the test part of its data (the split and feature scaling `train` used,
      read from the model file, as `eval` does; MNIST's own test set) and reports, per activation
      layer and for the input itself:
        - exact zeros and near zeros (|a| <= --epsilon);
        - active units per input (L0: units with |a| > epsilon), mean and median;
        - each unit's firing rate (fraction of inputs where |a| > epsilon), dead units (never
          active) and always-on units (active on every input);
        - class selectivity (mu_max - mu_rest) / (mu_max + mu_rest) of each unit's mean positive
          activation per class (Morcos et al. 2018; 1 = driven by one class only, undefined for
          dead units) and its preferred class;
        - the --top inputs that activate each unit most (among those where it is active), as
          row indices of the analysed test part;
      and per Linear and Conv2d layer the weight sparsity (exact zeros, |w| <= epsilon,
      |w| < 1e-3) and the magnitude histogram. For convolutional networks also, per channel of
      every activation layer whose output is an image: the share of exact zeros over inputs and
      pixels, dead channels (active on no pixel of any input), the firing rate (inputs on which
      the channel is active somewhere), the class selectivity of its spatial mean and the inputs
      with its largest values; and the orientation tuning of the first activation layer after the
      first convolution: each unit's response to gratings and bars at 12 orientations drawn in
      the data's 1st and 99th percentile values, its preferred orientation, its OSI and the
      vertical-line units. Printed as a summary, or as one JSON object with --json, and with
      --report also as an HTML report. Image data (digits, MNIST, square feature counts, or
      --image-shape) is shown as images.
      """, run: run)

  static func run(_ arguments: Arguments) throws {
    let epsilon = try arguments.value(Self.epsilon, default: 1e-6)
    let top = try arguments.value(Self.top, default: 5)
    let directory = try arguments.value(report)
    if let directory { _ = try OutputPath.checkReportDirectory(directory, option: report.name) }
    let (path, model) = try ModelOptions.read(arguments)
    let data = try AnalyzeData.load(
      model: model, path: path, overrides: try DataOverrides(arguments, record: model.record),
      imageShape: try arguments.value(imageShape))
    let analysis = NetworkAnalysis.analyze(
      network: model.network, features: data.dataset.features, labels: data.dataset.labels,
      classes: data.dataset.classCount,
      settings: .init(epsilon: epsilon, topInputs: top))
    let subject = AnalyzeSubject(path: path, data: data, model: model, analysis: analysis)
    if let directory { try AnalyzeReport.write(subject, to: URL(fileURLWithPath: directory)) }
    if arguments.flag(json) {
      print(try JSONValue(encoding: subject).text)
    } else {
      print(AnalyzeText.summary(subject))
      if let directory { print("Report written to \(directory)/index.html") }
    }
  }

  /// `ROWSxCOLUMNS` with both positive and a product that fits in `Int`, or `none` (no images);
  /// nil for anything else.
  static func parseImageShape(_ text: String) -> ImageShape?? {
    if text == "none" { return .some(nil) }
    let parts = text.split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
    guard parts.count == 2, let rows = parts[0], let columns = parts[1], rows > 0, columns > 0,
      !rows.multipliedReportingOverflow(by: columns).overflow
    else { return nil }
    return ImageShape(rows: rows, columns: columns)
  }
}
