// `sparsity train`: train a ReLU network with the seed's sparsity techniques and watch its sparsity.

import Foundation
import SparsityCore
import SparsityExperiments
import SparsityIO
import SparsityNN

/// The `train` subcommand.
enum TrainCommand {
  static let command = Command(
    name: "train",
    summary: "train a network with L1 / activation L1 / KL / dropout / TopK and watch its sparsity per epoch",
    usage: usage, options: TrainOptions.optionNames, flags: ["json"], run: run)

  static let usage = """
    usage: sparsity train [--data digits|mnist:DIR|csv:FILE|npy:X.npy,y.npy] [--label-column N]
                          [--layers 256,128] [--activation relu|leaky_relu:0.01|sigmoid|topk:K]
                          [--dropout P] [--l1 L] [--l1-mode prox|grad] [--weight-decay L]
                          [--act-l1 L] [--kl RHO:BETA] [--epochs 20] [--batch 64]
                          [--optimizer adam|adamw[:DECAY]|sgd|sgd-nesterov] [--momentum 0.9]
                          [--lr 1e-3] [--schedule constant|step:EVERY:FACTOR|cosine[:MIN]]
                          [--seed 0] [--validation 0.1] [--test-fraction 0.2] [--patience N]
                          [--scaling unit|standardize|none] [--out model.safetensors] [--json]
                          [--prune S [--prune-start E1] [--prune-end E2] [--prune-scope global|layer]
                           [--prune-pattern N:M] [--prune-every STEPS|epoch]]

    Trains a classifier: per hidden width a Linear layer, the activation and (with --dropout) a
    Dropout layer, then a Linear layer to the classes; softmax cross-entropy. Sparsity techniques:
      --l1 L          L1 on the weights; prox (default) soft-thresholds after each step and makes
                      exact zeros, grad adds the subgradient L*sign(w)
      --act-l1 L      L1 on the outputs of the ReLU-family layers (the seed's sparsity penalty)
      --kl RHO:BETA   KL-divergence target mean activation RHO with weight BETA (sigmoid units)
      --dropout P     inverted dropout after each activation
      --activation topk:K   keep the K largest activations of each sample
      --prune S       gradual magnitude pruning of the Linear weights (never biases) to sparsity S
                      (Zhu and Gupta's cubic schedule), rising over epochs E1..E2 (default 1 to
                      3/4 of --epochs; E2 already reaches S), every 10 steps by default; the
                      masks then stay fixed and later epochs fine-tune. --prune-scope global
                      (default) ranks all layers together, layer prunes S of each layer;
                      --prune-pattern 2:4 keeps at most 2 of every 4 consecutive inputs per unit
    Every epoch prints loss, train and validation accuracy, and for every layer the activation
    sparsity (exact zeros on the validation data), dead units and weight sparsity. The data is
    split (seeded) into train and test (--test-fraction; MNIST has its own test set), then
    --validation of the training part is held out. Features are scaled to [0, 1] by default,
    fitted on the training part. --out writes the model as safetensors (PyTorch state-dict
    names, architecture, settings, scaling and history in the metadata).
    """

  static func run(_ arguments: Arguments) throws {
    if !arguments.positionals.isEmpty { throw CLIError.unexpectedArguments(arguments.positionals, command: "train") }
    let options = try TrainOptions(arguments)
    let recipe = options.recipe
    let json = arguments.flag("json")
    let data = try recipe.loadData()
    try recipe.checkSize(inputs: data.train.featureCount, classes: data.train.classCount)
    let architecture = recipe.architecture(inputs: data.train.featureCount, classes: data.train.classCount)
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
        "train: training diverged: the loss became NaN or infinite in epoch \(epoch); try a smaller --lr (now \(recipe.settings.learningRate))"
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
      let record = ModelRecord(
        settings: recipe.settings, data: recipe.dataRecord(scaler: data.scaler), history: history)
      try ModelFile(network: model, record: record).write(to: URL(fileURLWithPath: output))
      if !json { print("Saved \(output)") }
    }
  }
}
