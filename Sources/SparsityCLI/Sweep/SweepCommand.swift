// `sparsity sweep`: one model per value of one training setting, and a table of what each bought.

import Foundation
import SparsityCore
import SparsityExperiments
import SparsityIO
import SparsityNN

/// The `sweep` subcommand.
enum SweepCommand {
  static let parameter = Option<SweepParameter>(
    "param", "act-l1|l1|dropout|topk", expected: "one of act-l1, l1, dropout, topk", required: true,
    help: "the training setting to vary, as listed above", parse: { SweepParameter(rawValue: $0) })
  /// Parsed by the parameter, which knows what its values must be.
  static let values = Option<String>(
    "values", "V1,V2,...", required: true, help: "the values of the setting, one model each")
  static let report = Option<String>(
    "report", "DIR",
    help:
      "write DIR/index.html: the table, test accuracy against activation sparsity with its Pareto frontier, accuracy, gap, sparsity and speedup per value, and the training curves"
  )
  static let outDirectory = Option<String>(
    "out-dir", "DIR", help: "save each model as DIR/model-PARAM-VALUE.safetensors")
  static let timingSamples = Option<Int>(
    "timing-samples", "N", expected: "a positive integer", default: "100",
    help: "the test inputs the speedup is timed on", parse: Parse.positiveInteger)
  static let json = Flag("json", help: "print one object: the parameter, values, settings, sample counts and rows")

  static let command = Command(
    name: "sweep",
    summary:
      "train one model per value of --act-l1, --l1, --dropout or TopK K and tabulate accuracy, gap, sparsity, speedup",
    options: [parameter.spec, values.spec] + TrainOptions.recipeOptions + [
      report.spec, outDirectory.spec, timingSamples.spec, json.spec,
    ],
    description: """
      Trains one model per value of one setting, every other setting as given (the options of
      'sparsity train', except --out), with the same seed, initialization and data split:
        --param act-l1   L1 on the activations (--act-l1), e.g. --values 0,1e-4,1e-3,1e-2
        --param l1       L1 on the weights (--l1)
        --param dropout  dropout probability (--dropout), e.g. --values 0,0.2,0.5
        --param topk     K of TopK activations (--activation topk:K), e.g. --values 16,32,64
      """,
    notes: """
      One row per value:
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
      """, run: run)

  /// What was asked, and where the report goes.
  struct Request {
    var sweep: SweepRequest
    var report: URL?
  }

  /// Parses and checks everything before any training; creates --out-dir and --report folders.
  static func parseRequest(_ arguments: Arguments) throws -> Request {
    let parameter = try arguments.required(Self.parameter, command: "sweep")
    let values = try parameter.values(try arguments.required(Self.values, command: "sweep"))
    if arguments.givenNames.contains(parameter.trainOption) {
      throw CLIError.invalidInput(
        "sweep: --\(parameter.trainOption) conflicts with --param \(parameter.rawValue), which sets it for every model")
    }
    let base = try TrainOptions(arguments).recipe
    try parameter.check(values, hiddenLayers: base.hiddenLayers)
    let sweep = SweepRequest(
      parameter: parameter, values: values, base: base,
      timingSamples: try arguments.value(Self.timingSamples, default: 100),
      outDirectory: try arguments.value(Self.outDirectory).map {
        try OutputPath.directory($0, option: outDirectory.name, extensions: ["safetensors"])
      })
    return Request(
      sweep: sweep,
      report: try arguments.value(Self.report).map { try OutputPath.reportDirectory($0, option: report.name) })
  }

  static func run(_ arguments: Arguments) throws {
    let request = try parseRequest(arguments)
    let (parameter, base, json) = (request.sweep.parameter, request.sweep.base, arguments.flag(Self.json))
    let data = try base.loadData()
    try base.checkSize(
      inputs: data.train.featureCount, classes: data.train.classCount, image: data.train.imageShape)
    let values = request.sweep.values
    for value in values { try parameter.applied(value, to: base).checkBatches(on: data) }
    Warning.print(base.longRunWarning(on: data, runs: values.count, work: "sweep of \(values.count) values"))
    if !json {
      print(
        "Sweep of --\(parameter.rawValue) over \(values.map(\.text).joined(separator: ", ")) on \(base.source): \(data.train.sampleCount) train, \(data.validation.sampleCount) validation, \(data.test.sampleCount) test samples"
      )
    }
    var progress = BatchProgress(enabled: !json)
    var epochs = 0
    let sweep = try request.sweep.run(
      on: data,
      onStart: { i, value, recipe in
        progress = BatchProgress(enabled: !json)
        epochs = recipe.settings.epochs
        if !json {
          print(
            "[\(i + 1)/\(values.count)] --\(parameter.rawValue) \(value.text): \(recipe.architecture(for: data.train))"
          )
        }
      }, onBatch: { progress.update($0, $1) },
      onEpoch: { report in
        progress.clear()
        if !json { print("  " + TrainingReportText.epochLine(report, epochs: epochs)) }
      }, onRun: { run in if !json { print("  " + SweepText.summaryLine(run)) } })
    print(json ? try JSONValue(encoding: sweep).text : "\n" + SweepText.table(sweep))
    if let report = request.report {
      let index = try SweepReport.write(sweep, to: report)
      if !json { print("Report: \(index.relativePath)") }
    }
  }
}
