// `sparsity prune`: magnitude-prune a saved model, optionally fine-tune it, and save it.

import SparsityExperiments
import Foundation
import SparsityCore
import SparsityNN

/// The `prune` subcommand.
enum PruneCommand {
  static let command = Command(
    name: "prune", summary: "magnitude-prune a model's Linear weights (global, per layer or N:M), optionally fine-tune",
    usage: usage, options: optionNames, flags: ["json"], run: run)

  static let optionNames: Set<String> = [
    "sparsity", "scope", "pattern", "fine-tune-epochs", "data", "label-column", "architecture", "test-fraction",
    "lr", "batch", "seed", "optimizer", "momentum", "act-l1", "l1", "l1-mode", "weight-decay", "out",
  ]

  static let usage = """
    usage: sparsity prune MODEL.safetensors --sparsity S [--scope global|layer] [--pattern N:M]
                          [--fine-tune-epochs N] [--data SOURCE] [--label-column N]
                          [--architecture ARCH] [--test-fraction F]
                          [--lr 1e-3] [--batch 64] [--seed S] [--optimizer adam|adamw[:DECAY]|sgd|sgd-nesterov]
                          [--momentum 0.9] [--act-l1 L] [--l1 L] [--l1-mode prox|grad] [--weight-decay L]
                          --out PRUNED.safetensors [--json]

    One-shot magnitude pruning of every Linear weight matrix (biases are never pruned): the
    floor(S * N) weights of smallest |w| become exactly 0. --scope global (default) ranks the
    weights of all layers together, layer prunes S of every layer. --pattern N:M keeps at most N
    nonzeros in every M consecutive inputs of each unit (2:4: half); --sparsity is then optional
    and prunes further by magnitude when above 1 - N/M. Ties go to the earlier weight.
    --fine-tune-epochs N trains N more epochs with the pruned weights held at exactly 0 (the
    usual training flags apply; the data split, scaling and seed saved in the model are reused).
    Prints every layer's weight sparsity before and after and, when a data set is known (--data
    or the model's metadata), the test accuracy before pruning, after pruning and after
    fine-tuning. The output keeps the input's names and metadata and records the pruning in the
    training metadata, so `sparsity eval` and PyTorch load it as before.
    """

  static func run(_ arguments: Arguments) throws {
    guard let path = arguments.positionals.first else {
      throw CLIError.missingArgument("MODEL.safetensors", command: "prune")
    }
    if arguments.positionals.count > 1 {
      throw CLIError.unexpectedArguments(Array(arguments.positionals.dropFirst()), command: "prune")
    }
    let request = try PruneRequest(arguments)
    let architecture = try arguments.value("architecture").map { text throws in try ModelArchitecture(parsing: text) }
    let file = try ModelFile.read(contentsOf: URL(fileURLWithPath: path), architecture: architecture)
    let data = try PruneData.load(
      arguments, record: file.record, model: file.network, file: path, required: request.fineTuneEpochs > 0)
    let json = arguments.flag("json")
    var summary = PruneSummary(request: request, input: path, before: PruneSummary.weightSparsity(of: file.network))
    summary.samples = data?.test.sampleCount
    summary.accuracyBefore = data.map {
      Evaluation.of(file.network, features: $0.test.features, labels: $0.test.labels).accuracy
    }
    Pruner(model: file.network, scope: request.scope, pattern: request.pattern).prune(toSparsity: request.sparsity)
    summary.accuracyPruned = data.map {
      Evaluation.of(file.network, features: $0.test.features, labels: $0.test.labels).accuracy
    }
    if let data, request.fineTuneEpochs > 0 {
      summary.history = try fineTune(file.network, request: request, data: data, json: json)
      summary.accuracyAfter =
        Evaluation.of(file.network, features: data.test.features, labels: data.test.labels).accuracy
    }
    summary.after = PruneSummary.weightSparsity(of: file.network)
    var record = file.record
    record.pruning = summary.record
    let pruned = ModelFile(network: file.network, record: record)
    try pruned.write(to: URL(fileURLWithPath: request.output))
    print(json ? try summary.json().text : summary.text)
  }

  /// Trains `network` for the requested epochs with the pruning masks held fixed.
  ///
  /// The trainer's own one-shot pruning at its first step recomputes the same masks: the weights
  /// pruned above are exactly 0 and rank first.
  static func fineTune(_ network: Sequential, request: PruneRequest, data: PreparedData, json: Bool) throws
    -> [EpochReport]
  {
    var settings = request.training.recipe.settings
    settings.epochs = request.fineTuneEpochs
    settings.pruning = .oneShot(sparsity: request.sparsity, scope: request.scope, pattern: request.pattern)
    let trainer = Trainer(model: network, settings: settings)
    let progress = BatchProgress(enabled: !json)
    let history = trainer.fit(train: data.train, validation: data.validation, onBatch: progress.update) { report in
      progress.clear()
      if !json { print("fine-tune " + TrainingReportText.epochLine(report, epochs: settings.epochs)) }
    }
    if let epoch = trainer.divergedEpoch {
      throw CLIError.invalidInput(
        "prune: fine-tuning diverged: the loss became NaN or infinite in epoch \(epoch); try a smaller --lr (now \(settings.learningRate)); nothing was written to \(request.output)"
      )
    }
    return history
  }
}

/// What `sparsity prune` was asked to do.
struct PruneRequest {
  var sparsity: Double
  var scope: PruningScope
  var pattern: PruningPattern
  var fineTuneEpochs: Int
  var output: String
  /// The fine-tuning settings and the checked --out, parsed as `train` parses them.
  var training: TrainOptions

  init(_ arguments: Arguments) throws {
    pattern =
      try arguments.value("pattern", expected: PruneOptions.patternExpected, PruneOptions.pattern) ?? .unstructured
    let sparsity = try arguments.value("sparsity", expected: PruneOptions.sparsityExpected, PruneOptions.sparsity)
    guard sparsity != nil || pattern != .unstructured else {
      throw CLIError.missingArgument("--sparsity S (or --pattern N:M)", command: "prune")
    }
    self.sparsity = sparsity ?? 0
    scope = try arguments.value("scope", expected: PruneOptions.scopeExpected, PruneOptions.scope) ?? .global
    fineTuneEpochs =
      try arguments.value(
        "fine-tune-epochs", expected: "a non-negative integer", { Int($0).flatMap { $0 >= 0 ? $0 : nil } }) ?? 0
    training = try TrainOptions(arguments)
    guard let output = training.output else {
      throw CLIError.missingArgument("--out PRUNED.safetensors", command: "prune")
    }
    self.output = output
  }

  /// E.g. `90% global unstructured`, or `2:4` for N:M alone.
  var description: String {
    sparsity == 0 && pattern != .unstructured ? "\(pattern)" : "\(PruneSummary.percent(sparsity)) \(scope) \(pattern)"
  }
}
