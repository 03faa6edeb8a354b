// `sparsity analyze`: what a trained network's sparsity is, layer by layer, on its test data.

import Foundation
import SparsityAnalysis
import SparsityCore
import SparsityNN

/// The `analyze` subcommand.
enum AnalyzeCommand {
  static let command = Command(
    name: "analyze",
    summary: "per-layer activation sparsity, dead / always-on units, class selectivity, top inputs, weight histograms",
    usage: usage,
    options: [
      "data", "label-column", "architecture", "test-fraction", "seed", "scaling", "epsilon", "top", "report",
      "image-shape",
    ],
    flags: ["json"], run: run)

  static let usage = """
    usage: sparsity analyze MODEL.safetensors [--data digits|mnist:DIR|csv:FILE|npy:X.npy,y.npy]
                            [--label-column N] [--architecture ARCH] [--test-fraction F] [--seed S]
                            [--scaling unit|standardize|none] [--epsilon 1e-6] [--top 5]
                            [--image-shape ROWSxCOLUMNS|none] [--json] [--report DIR]

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
    and per Linear layer the weight sparsity (exact zeros, |w| <= epsilon, |w| < 1e-3) and the
    magnitude histogram. The default output is a terminal summary; --json prints everything
    as one object; --report DIR writes an HTML report (index.html and PNG images) to DIR.
    Image data (digits, MNIST, square feature counts, or --image-shape) is shown as images.
    """

  static func run(_ arguments: Arguments) throws {
    guard let path = arguments.positionals.first else {
      throw CLIError.missingArgument("MODEL.safetensors", command: "analyze")
    }
    if arguments.positionals.count > 1 {
      throw CLIError.unexpectedArguments(Array(arguments.positionals.dropFirst()), command: "analyze")
    }
    let epsilon =
      try arguments.value(
        "epsilon", expected: "a finite number >= 0", { Float($0).flatMap { $0.isFinite && $0 >= 0 ? $0 : nil } })
      ?? 1e-6
    let top =
      try arguments.value(
        "top", expected: "an integer in 0...1000", { Int($0).flatMap { (0...1000).contains($0) ? $0 : nil } }) ?? 5
    let architecture = try arguments.value("architecture").map { text throws in try ModelArchitecture(parsing: text) }
    let model = try ModelFile.read(contentsOf: URL(fileURLWithPath: path), architecture: architecture)
    let data = try AnalyzeData.load(arguments, model: model, path: path)
    let analysis = NetworkAnalysis.analyze(
      network: model.network, features: data.dataset.features, labels: data.dataset.labels,
      classes: data.dataset.classCount,
      settings: .init(epsilon: epsilon, topInputs: top))
    let subject = AnalyzeSubject(path: path, data: data, model: model, analysis: analysis)
    if let directory = arguments.value("report") {
      try AnalyzeReport.write(subject, to: URL(fileURLWithPath: directory))
    }
    if arguments.flag("json") {
      print(AnalyzeJSON.document(subject).text)
    } else {
      print(AnalyzeText.summary(subject))
      if let directory = arguments.value("report") { print("Report written to \(directory)/index.html") }
    }
  }
}

/// What the text, JSON and HTML outputs describe: the model, its data and the analysis.
struct AnalyzeSubject {
  /// The model file as named on the command line.
  var path: String
  var data: AnalyzeData
  var model: ModelFile
  var analysis: NetworkAnalysis
}
