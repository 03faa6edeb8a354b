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

  static let command = Command(
    name: "train",
    summary: "train a network with L1 / activation L1 / KL / dropout / TopK and watch its sparsity per epoch",
    options: TrainOptions.recipeOptions + [TrainOptions.out.spec, json.spec],
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
      fitted on the training part.
      """, run: run)

  static func run(_ arguments: Arguments) throws {
    let options = try TrainOptions(arguments)
    let recipe = options.recipe
    let json = arguments.flag(Self.json)
    let data = try recipe.loadData()
    try recipe.checkSize(
      inputs: data.train.featureCount, classes: data.train.classCount, image: data.train.imageShape)
    Warning.print(recipe.longRunWarning(on: data))
    let architecture = recipe.architecture(for: data.train)
    if !json {
      print(
        "Training \(architecture) on \(recipe.source): \(data.train.sampleCount) train, \(data.validation.sampleCount) validation, \(data.test.sampleCount) test samples"
      )
      print("Settings: " + recipe.settings.summary.map { "\($0) \($1)" }.joined(separator: ", "))
    }
    let progress = BatchProgress(enabled: !json)
    let (model, history, diverged) = recipe.train(on: data, onBatch: progress.update) { report in
      progress.clear()
      if !json { print(TrainingReportText.epochLine(report, epochs: recipe.settings.epochs)) }
    }
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
  }
}
