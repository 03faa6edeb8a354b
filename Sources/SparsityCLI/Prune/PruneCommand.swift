// `sparsity prune`: magnitude-prune a saved model, optionally fine-tune it, and save it.

import SparsityExperiments
import Foundation
import SparsityCore
import SparsityNN

/// The `prune` subcommand.
enum PruneCommand {
  static let sparsity = Option<Double>(
    "sparsity", "S", expected: PruneOptions.sparsityExpected, required: true,
    help:
      "the fraction of the weights pruned: the floor(S * N) of smallest |w| become exactly 0, ties going to the earlier weight; optional with --pattern, which it then prunes further when above 1 - N/M",
    parse: PruneOptions.parseSparsity)
  static let scope = Option<PruningScope>(
    "scope", "global|layer", expected: PruneOptions.scopeExpected, default: "global",
    help: "global ranks the weights of all layers together, layer prunes S of every layer",
    parse: PruneOptions.parseScope)
  static let pattern = Option<PruningPattern>(
    "pattern", "N:M", expected: PruneOptions.patternExpected,
    help: "keep at most N nonzeros in every M consecutive inputs of each unit (2:4: half)",
    parse: PruneOptions.parsePattern)
  static let fineTuneEpochs = Option<Int>(
    "fine-tune-epochs", "N", expected: "a non-negative integer", default: "0",
    help: "train N more epochs with the pruned weights held at exactly 0", parse: Parse.nonNegativeInteger)
  /// Read by `TrainOptions` as its --seed: the same values, another meaning.
  static let seed = Option<UInt64>(
    "seed", "S", expected: "a non-negative integer", default: "0",
    help: "the seed of fine-tuning's shuffling and dropout (the split is the model's)", parse: Parse.seed)
  /// Checked by `TrainOptions` as its --out.
  static let out = Option<String>(
    "out", "PRUNED.safetensors", required: true,
    help: "write the pruned model: the input's names and metadata, with the pruning recorded")
  static let json = Flag(
    "json",
    help:
      "print one object: the pruning (sparsity, scope, pattern, accuracies), samples, layers (weight sparsity before and after) and the fine-tuning history"
  )

  static let command = Command(
    name: "prune", summary: "magnitude-prune a model's Linear weights (global, per layer or N:M), optionally fine-tune",
    positionals: [ModelOptions.model],
    options: [sparsity.spec, scope.spec, pattern.spec, fineTuneEpochs.spec] + ModelOptions.dataOptions(split: false)
      + [ModelOptions.testFraction.spec] + TrainOptions.fineTuningOptions + [seed.spec, out.spec, json.spec],
    description: """
      One-shot magnitude pruning of every Linear weight matrix (biases are never pruned), then,
      with --fine-tune-epochs, training with the pruned weights held at exactly 0 (the training
      options below apply; the data split and scaling saved in the model are reused). Prints every
      layer's weight sparsity before and after and, when a data set is known (--data or the
      model's metadata), the test accuracy before pruning, after pruning and after fine-tuning.
      The output keeps the input's names and metadata and records the pruning in the training
      metadata, so `sparsity eval` and PyTorch load it as before.
      """, run: run)

  static func run(_ arguments: Arguments) throws {
    let request = try PruneRequest(arguments)
    let (path, file) = try ModelOptions.read(arguments)
    let data = try PruneData.load(
      arguments, model: file, file: path, required: request.fineTuneEpochs > 0)
    let json = arguments.flag(Self.json)
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
    pattern = try arguments.value(PruneCommand.pattern, default: .unstructured)
    let sparsity = try arguments.value(PruneCommand.sparsity)
    guard sparsity != nil || pattern != .unstructured else {
      throw CLIError.missingArgument("--sparsity S (or --pattern N:M)", command: "prune")
    }
    self.sparsity = sparsity ?? 0
    scope = try arguments.value(PruneCommand.scope, default: .global)
    fineTuneEpochs = try arguments.value(PruneCommand.fineTuneEpochs, default: 0)
    training = try TrainOptions(arguments)
    output = try arguments.required(PruneCommand.out, command: "prune")
  }

  /// E.g. `90% global unstructured`, or `2:4` for N:M alone.
  var description: String {
    sparsity == 0 && pattern != .unstructured ? "\(pattern)" : "\(PruneSummary.percent(sparsity)) \(scope) \(pattern)"
  }
}
