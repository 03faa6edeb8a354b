// `sparsity train`: train a ReLU network with the seed's sparsity techniques and watch its sparsity.

import Foundation
import SparsityCore
import SparsityExperiments
import SparsityIO
import SparsityNN

/// The `train` subcommand.
enum TrainCommand {
  static let json = Flag(
    "json",
    help:
      "print one object: test accuracy, loss, layers (as 'sparsity eval --json') and history (one object per epoch)")
  static let parts = Option<Int>(
    "parts", "P", expected: "an integer from 1 to 4096", default: "the number of processes (1 without mpirun)",
    help:
      "cut each batch into P parts whose gradients are added in part order: the same P gives the same network on any number of MPI processes (sparsity-mpi); bn normalizes each part with its own statistics",
    parse: { Int($0).flatMap { (1...4096).contains($0) ? $0 : nil } })

  static let command = Command(
    name: "train",
    summary: "train a network with L1 / activation L1 / KL / dropout / TopK and watch its sparsity per epoch",
    options: TrainOptions.recipeOptions + [TrainOptions.out.spec, parts.spec, json.spec],
    description: """
      Trains a classifier: per hidden width a Linear layer, the activation and (with --dropout) a
      Dropout layer, then a Linear layer to the classes; softmax cross-entropy. The sparsity
      techniques are --l1 and --act-l1 (L1 on the weights and on the activations), --kl (a target
      mean activation), --dropout, --activation topk:K and --prune (gradual magnitude pruning of
      the weights, whose sparsity rises from 0 at --prune-start to S at --prune-end).
      Every epoch prints loss, train and validation accuracy, and for every layer the activation
      sparsity (exact zeros on the validation data), dead units and weight sparsity. The data is
      split (seeded) into train and test (--test-fraction; MNIST has its own test set), then
      --validation of the training part is held out. Features are scaled to [0, 1] by default,
      fitted on the training part. Under mpirun (sparsity-mpi), every process loads the data and
      computes its share of each batch's parts (--parts); rank 0 alone prints and writes --out.
      """, run: run)

  static func run(_ arguments: Arguments) throws {
    let options = try TrainOptions(arguments)
    var recipe = options.recipe
    let json = arguments.flag(Self.json)
    let partCount = try arguments.value(parts) ?? (Processes.count > 1 ? Processes.count : nil)
    recipe.settings.parts = partCount
    if let partCount, partCount > recipe.settings.batchSize {
      throw CLIError.invalidValue(
        option: "parts", value: "\(partCount)",
        expected: "at most the batch size (\(recipe.settings.batchSize)): every part needs rows")
    }
    let reduction = Processes.reduction
    let leader = reduction.isLeader
    let data = try recipe.loadData()
    try recipe.checkSize(
      inputs: data.train.featureCount, classes: data.train.classCount, image: data.train.imageShape,
      localParts: partCount.map { reduction.localParts(total: $0).count } ?? 0)
    try recipe.checkBatches(on: data)
    if leader { Warning.print(recipe.longRunWarning(on: data)) }
    let architecture = recipe.architecture(for: data.train)
    if !json && leader {
      print(
        "Training \(architecture) on \(recipe.source): \(data.train.sampleCount) train, \(data.validation.sampleCount) validation, \(data.test.sampleCount) test samples"
      )
      print("Settings: " + recipe.settings.summary.map { "\($0) \($1)" }.joined(separator: ", "))
    }
    let progress = BatchProgress(enabled: !json && leader)
    let epochDone = { (report: EpochReport) in
      progress.clear()
      if !json && leader { print(TrainingReportText.epochLine(report, epochs: recipe.settings.epochs)) }
    }
    let (model, history, diverged) = try recipe.train(
      on: data, reduction: reduction, onBatch: progress.update, onEpoch: epochDone)
    guard leader else { return }
    if let epoch = diverged {
      throw CLIError.invalidInput(
        "train: training diverged: the loss became NaN or infinite in epoch \(epoch); "
          + data.divergenceAdvice(learningRate: recipe.settings.learningRate)
          + (options.output.map { "; nothing was written to \($0)" } ?? ""))
    }
    let test = Evaluation.of(model, features: data.test.features, labels: data.test.labels)
    let layers = NetworkSparsity.measure(model, features: data.test.features)
    if json {
      print(try JSONValue(encoding: TestReport(evaluation: test, layers: layers, history: history)).text)
    } else {
      print(TrainingReportText.final(test: test, layers: layers, samples: data.test.sampleCount))
    }
    if let output = options.output {
      try recipe.modelFile(model, data: data, history: history).write(to: URL(fileURLWithPath: output))
      if !json { print("Saved \(output)") }
    }
    let batch = max(1, min(recipe.settings.batchSize, data.train.sampleCount))
    let steps = history.count * ((data.train.sampleCount + batch - 1) / batch)
    let gradient = model.parameters.reduce(0) { $0 + $1.value.count }
    if !json, let line = Processes.communication(steps: steps, gradientValues: gradient) { print(line) }
  }
}
