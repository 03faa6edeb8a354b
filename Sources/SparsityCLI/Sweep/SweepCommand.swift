// `sparsity sweep`: one model per value of one training setting, and a table of what each bought.

import Foundation
import SparsityCore
import SparsityExperiments
import SparsityNN

/// The `sweep` subcommand.
enum SweepCommand {
  static let command = Command(
    name: "sweep",
    summary:
      "train one model per value of --act-l1, --l1, --dropout or TopK K and tabulate accuracy, gap, sparsity, speedup",
    usage: usage, options: options, flags: ["json"], run: run)

  static let options = TrainOptions.optionNames.subtracting(["out"]).union([
    "param", "values", "report", "out-dir", "timing-samples",
  ])

  static let usage = """
    usage: sparsity sweep --param act-l1|l1|dropout|topk --values V1,V2,... [train options]
                          [--report DIR] [--out-dir DIR] [--timing-samples 100] [--json]

    Trains one model per value of one setting, every other setting as given (the options of
    'sparsity train', except --out), with the same seed, initialization and data split:
      --param act-l1   L1 on the activations (--act-l1), e.g. --values 0,1e-4,1e-3,1e-2
      --param l1       L1 on the weights (--l1)
      --param dropout  dropout probability (--dropout), e.g. --values 0,0.2,0.5
      --param topk     K of TopK activations (--activation topk:K), e.g. --values 16,32,64
    Then one row per value:
      test acc, train acc   accuracy on the test part and on the training part (evaluation mode,
                            without the validation part)
      gap                   train - test accuracy, in percentage points (the overfitting)
      act zeros             mean over the activation layers of the fraction of exact zeros on
                            the test data
      dead                  units of the activation layers that are zero on every test input
      zero weights          exact-zero weights over all Linear layers (biases not counted)
      speedup b1            batch-1 time of the Linear layers that read activations (all but the
                            first), dense OpenBLAS sgemv divided by the activation-skipping kernel
                            (which reads only the weight rows of nonzero inputs); both compute W x
                            without bias on the model's own activations for the first
                            --timing-samples test inputs; median of 7 timed samples per side;
                            dense is the faster of OpenBLAS on 1 thread and on all threads
    --report DIR writes DIR/index.html: the table, test accuracy against activation sparsity with
    its Pareto frontier, accuracy, gap, sparsity and speedup per value, and the training curves.
    --out-dir DIR saves each model as DIR/model-PARAM-VALUE.safetensors. --json prints one object.
    """

  /// What was asked: the setting, its values, the other options, where to write.
  struct Request {
    var parameter: SweepParameter
    var values: [SweepParameter.Value]
    var base: TrainingRecipe
    var timingSamples: Int
    var outDirectory: URL?
    var report: URL?
  }

  /// Parses and checks everything before any training; creates --out-dir and --report folders.
  static func parseRequest(_ arguments: Arguments) throws -> Request {
    if !arguments.positionals.isEmpty { throw CLIError.unexpectedArguments(arguments.positionals, command: "sweep") }
    guard let name = arguments.value("param") else {
      throw CLIError.missingArgument("--param act-l1|l1|dropout|topk", command: "sweep")
    }
    guard let parameter = SweepParameter(rawValue: name) else {
      throw CLIError.invalidValue(option: "param", value: name, expected: "one of act-l1, l1, dropout, topk")
    }
    guard let valueText = arguments.value("values") else {
      throw CLIError.missingArgument("--values V1,V2,...", command: "sweep")
    }
    let values = try parameter.values(valueText)
    if arguments.value(parameter.trainOption) != nil {
      throw CLIError.invalidInput(
        "sweep: --\(parameter.trainOption) conflicts with --param \(parameter.rawValue), which sets it for every model")
    }
    let base = try TrainOptions(arguments).recipe
    try parameter.check(values, hiddenLayers: base.hiddenLayers)
    let timingSamples =
      try arguments.value("timing-samples", expected: "a positive integer", { Int($0).flatMap { $0 > 0 ? $0 : nil } })
      ?? 100
    return Request(
      parameter: parameter, values: values, base: base, timingSamples: timingSamples,
      outDirectory: try arguments.value("out-dir").map { try preparedDirectory($0, option: "out-dir") },
      report: try arguments.value("report").map { try preparedDirectory($0, option: "report") })
  }

  static func run(_ arguments: Arguments) throws {
    let request = try parseRequest(arguments)
    let (parameter, base, json) = (request.parameter, request.base, arguments.flag("json"))
    let data = try base.loadData()
    try base.checkSize(inputs: data.train.featureCount, classes: data.train.classCount)
    if !json {
      print(
        "Sweep of --\(parameter.rawValue) over \(request.values.map(\.text).joined(separator: ", ")) on \(base.source): \(data.train.sampleCount) train, \(data.validation.sampleCount) validation, \(data.test.sampleCount) test samples"
      )
    }
    var runs: [SweepRun] = []
    for (i, value) in request.values.enumerated() {
      let recipe = parameter.applied(value, to: base)
      if !json {
        print(
          "[\(i + 1)/\(request.values.count)] --\(parameter.rawValue) \(value.text): \(recipe.architecture(inputs: data.train.featureCount, classes: data.train.classCount))"
        )
      }
      let progress = BatchProgress(enabled: !json)
      let (run, model) = SweepRun.train(
        value, recipe: recipe, data: data, timingSamples: request.timingSamples, onBatch: progress.update
      ) { report in
        progress.clear()
        if !json { print("  " + TrainingReportText.epochLine(report, epochs: recipe.settings.epochs)) }
      }
      if !json { print("  " + SweepText.summaryLine(run)) }
      if let directory = request.outDirectory, run.divergedEpoch == nil {
        let file = directory.appendingPathComponent("model-\(parameter.rawValue)-\(value.text).safetensors")
        let record = ModelRecord(
          settings: recipe.settings, data: recipe.dataRecord(scaler: data.scaler), history: run.history)
        try ModelFile(network: model, record: record).write(to: file)
      }
      runs.append(run)
    }
    let sweep = SweepResult(parameter: parameter, recipe: base, data: data, runs: runs)
    print(json ? try SweepJSON.result(sweep).text : "\n" + SweepText.table(sweep))
    if let report = request.report {
      let index = try SweepReport.write(sweep, to: report)
      if !json { print("Report: \(index.relativePath)") }
    }
  }

  /// `path` as a directory URL, created when missing; throws naming the option when it is a file
  /// or cannot be created (before any training, not after).
  static func preparedDirectory(_ path: String, option: String) throws -> URL {
    let url = URL(fileURLWithPath: path)
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else {
        throw CLIError.invalidValue(option: option, value: path, expected: "a directory (a file of that name exists)")
      }
      guard FileManager.default.isWritableFile(atPath: url.path) else {
        throw CLIError.invalidValue(option: option, value: path, expected: "a writable directory")
      }
      return url
    }
    do {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    } catch {
      throw CLIError.invalidValue(
        option: option, value: path, expected: "a directory that can be created (\(error.localizedDescription))")
    }
    return url
  }
}
