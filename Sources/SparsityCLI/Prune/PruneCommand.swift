// `sparsity prune`: magnitude-prune a saved model, optionally fine-tune it, and save it.

import Foundation
import SparsityCore
import SparsityExperiments
import SparsityIO
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
    name: "prune",
    summary: "magnitude-prune a model's Linear and Conv2d weights (global, per layer or N:M), optionally fine-tune",
    positionals: [ModelOptions.model],
    options: [sparsity.spec, scope.spec, pattern.spec, fineTuneEpochs.spec] + ModelOptions.dataOptions(split: false)
      + [ModelOptions.testFraction.spec] + TrainOptions.fineTuningOptions + [seed.spec, out.spec, json.spec],
    description: """
      One-shot magnitude pruning of every Linear weight matrix and Conv2d filter (biases are never pruned), then,
      with --fine-tune-epochs, training with the pruned weights held at exactly 0 (the training
      options below apply; the data split and scaling saved in the model are reused). Prints every
      layer's weight sparsity before and after and, when a data set is known (--data or the
      model's metadata), the test accuracy before pruning, after pruning and after fine-tuning.
      The output keeps the input's names and metadata and records the pruning in the training
      metadata, so `sparsity eval` and PyTorch load it as before.
      """, run: run)

  static func run(_ arguments: Arguments) throws {
    let request = try Self.request(arguments)
    try OutputPath.checkFile(request.output, option: Self.out.name)
    let (path, file) = try ModelOptions.read(arguments)
    let data = try PruneData.load(
      arguments, model: file, file: path, required: request.fineTuneEpochs > 0)
    let json = arguments.flag(Self.json)
    let progress = BatchProgress(enabled: !json)
    try request.checkBatches(file.network, data: data)
    let summary = request.run(file.network, input: path, data: data, onBatch: progress.update) { report in
      progress.clear()
      if !json { print("fine-tune " + TrainingReportText.epochLine(report, epochs: request.fineTuneEpochs)) }
    }
    if let epoch = summary.divergedEpoch {
      throw CLIError.invalidInput(
        "prune: fine-tuning diverged: the loss became NaN or infinite in epoch \(epoch); try a smaller --lr (now \(request.fineTuning.learningRate)); nothing was written to \(request.output)"
      )
    }
    try summary.pruned(file).write(to: URL(fileURLWithPath: request.output))
    print(json ? try JSONValue(encoding: summary).text : summary.text)
  }

  /// What the options ask for; the fine-tuning settings and the checked --out are parsed as
  /// `train` parses them.
  static func request(_ arguments: Arguments) throws -> PruneRequest {
    let pattern = try arguments.value(PruneCommand.pattern, default: .unstructured)
    let sparsity = try arguments.value(PruneCommand.sparsity)
    guard sparsity != nil || pattern != .unstructured else {
      throw CLIError.missingArgument("--sparsity S (or --pattern N:M)", command: "prune")
    }
    let scope = try arguments.value(PruneCommand.scope, default: .global)
    let fineTuneEpochs = try arguments.value(PruneCommand.fineTuneEpochs, default: 0)
    let training = try TrainOptions(arguments)
    return PruneRequest(
      sparsity: sparsity ?? 0, scope: scope, pattern: pattern, fineTuneEpochs: fineTuneEpochs,
      fineTuning: training.recipe.settings, output: try arguments.required(PruneCommand.out, command: "prune"))
  }
}
