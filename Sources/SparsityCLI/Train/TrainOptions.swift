// The options of `sparsity train`, declared once and parsed into a data source, an architecture
// and settings; `sweep` takes them all but --out, `prune` those of fine-tuning.

import Foundation
import SparsityCore
import SparsityExperiments
import SparsityIO
import SparsityNN

/// The options of `sparsity train`, parsed into a `TrainingRecipe` and an output path.
struct TrainOptions {
  var recipe = TrainingRecipe()
  var output: String?

  // MARK: - The data

  static let data = Option<String>("data", "SOURCE", default: "digits", help: "the data: \(DatasetSource.forms)")
  static let labelColumn = Option<Int>(
    "label-column", "N", expected: "an integer column index",
    help: "the label column of a CSV source (default: the last)", parse: { Int($0) })
  static let testFraction = Option<Double>(
    "test-fraction", "F", expected: "a fraction in (0, 1)", default: "0.2",
    help: "the fraction of the data held out for testing, except MNIST, which has its own test set",
    parse: Parse.openFraction)
  static let validation = Option<Double>(
    "validation", "F", expected: "a fraction in (0, 1)", default: "0.1",
    help: "the fraction of the training part held out for validation after every epoch", parse: Parse.openFraction)
  static let scaling = Option<FeatureScaling?>(
    "scaling", "unit|standardize|none", expected: "unit, standardize or none", default: "unit",
    help: "the feature scaling, fitted on the training part: unit to [0, 1], standardize to mean 0 and variance 1",
    parse: parseScaling)

  // MARK: - The network

  static let layers = Option<[Int]>(
    "layers", "W1,W2,...", expected: "a comma-separated list of widths from 1 to 1048576", default: "256,128",
    help: "the widths of the hidden layers", parse: parseWidths)
  static let activation = Option<ModelArchitecture.LayerSpec>(
    "activation", "relu|leaky_relu[:SLOPE]|sigmoid|topk:K", expected: "relu, leaky_relu[:SLOPE], sigmoid or topk:K",
    default: "relu",
    help:
      "the activation after each hidden Linear layer; leaky_relu's SLOPE is 0.01 if omitted, topk:K keeps the K largest activations of each sample",
    parse: parseActivation)
  static let architecture = Option<[ModelArchitecture.LayerSpec]>(
    "arch", "LAYER,LAYER,...",
    expected: "a comma-separated list of layer tokens, e.g. conv:32:3x3,relu,maxpool:2,flatten,128,relu",
    help:
      "the hidden layers as a list (instead of --layers, --activation and --dropout): conv:C:KxK[:sS][:pP][:dD][:gG], maxpool:K, avgpool:K, gap, flatten, bn, dropout2d:P, topk:K[:channel|:position], res(...), sizes and activations as in architectures; images come from the data (digits 1x8x8, MNIST 1x28x28, NPY N,C,H,W); the Linear to the classes is added",
    parse: { try? ModelArchitecture.layers(parsing: $0) })
  static let dropout = Option<Float>(
    "dropout", "P", expected: "a probability in [0, 1)", default: "0",
    help: "inverted dropout with probability P after each activation",
    parse: { Float($0).flatMap { (0..<1).contains($0) ? $0 : nil } })

  // MARK: - Regularization

  static let l1 = Option<Float>(
    "l1", "L", expected: "a non-negative number", default: "0", help: "L1 on the weights, L * sum |w|",
    parse: Parse.nonNegativeFloat)
  static let l1Mode = Option<WeightL1.Mode>(
    "l1-mode", "prox|grad", expected: "prox or grad", default: "prox",
    help:
      "how --l1 acts: prox soft-thresholds the weights after each step and makes exact zeros, grad adds the subgradient L*sign(w)",
    parse: { ["prox": .proximal, "grad": .subgradient][$0] })
  static let weightDecay = Option<Float>(
    "weight-decay", "L", expected: "a non-negative number", default: "0", help: "L2 on the weights, L/2 * sum w^2",
    parse: Parse.nonNegativeFloat)
  static let activationL1 = Option<Float>(
    "act-l1", "L", expected: "a non-negative number", default: "0",
    help: "L1 on the outputs of the ReLU-family layers (the seed's sparsity penalty)", parse: Parse.nonNegativeFloat)
  static let kl = Option<KLSparsity>(
    "kl", "RHO:BETA", expected: "RHO:BETA with 0 < RHO < 1 and finite BETA >= 0",
    help: "KL-divergence sparsity: target mean activation RHO with weight BETA (sigmoid units)", parse: parseKL)

  // MARK: - Optimization

  static let epochs = Option<Int>(
    "epochs", "N", expected: "a positive integer", default: "20", help: "the number of training epochs",
    parse: Parse.positiveInteger)
  static let batch = Option<Int>(
    "batch", "N", expected: "a positive integer", default: "64", help: "the mini-batch size",
    parse: Parse.positiveInteger)
  /// The optimizer as a function of `--momentum`.
  static let optimizer = Option<@Sendable (_ momentum: Float) -> OptimizerKind>(
    "optimizer", "adam|adamw[:DECAY]|sgd|sgd-nesterov", expected: "adam, adamw[:DECAY], sgd or sgd-nesterov",
    default: "adam", help: "the optimizer; adamw's decoupled weight decay DECAY is 0.01 if omitted",
    parse: parseOptimizer)
  static let momentum = Option<Float>(
    "momentum", "M", expected: "a number in [0, 1)", default: "0.9", help: "the momentum of sgd and sgd-nesterov",
    parse: { Float($0).flatMap { (0..<1).contains($0) ? $0 : nil } })
  static let learningRate = Option<Float>(
    "lr", "LR", expected: "a positive number", default: "1e-3", help: "the learning rate", parse: Parse.positiveFloat)
  /// The schedule as a function of `--epochs`.
  static let schedule = Option<@Sendable (_ epochs: Int) -> LearningRateSchedule>(
    "schedule", "constant|step:EVERY:FACTOR|cosine[:MIN]", expected: "constant, step:EVERY:FACTOR or cosine[:MIN]",
    default: "constant",
    help:
      "the learning-rate schedule: step multiplies the rate by FACTOR every EVERY epochs, cosine anneals it over --epochs down to MIN, 0 if omitted",
    parse: parseSchedule)
  static let patience = Option<Int>(
    "patience", "N", expected: "a positive integer",
    help:
      "stop when the validation loss has not improved for N epochs, and keep the best weights (default: never stop early)",
    parse: Parse.positiveInteger)
  static let seed = Option<UInt64>(
    "seed", "S", expected: "a non-negative integer", default: "0",
    help: "the seed of the data split, initialization, shuffling and dropout", parse: Parse.seed)

  // MARK: - The output

  static let out = Option<String>(
    "out", "MODEL.safetensors",
    help:
      "write the model as safetensors: PyTorch state-dict names, and the architecture, settings, scaling and history in the metadata"
  )

  /// Everything that makes a `TrainingRecipe`: the options of `train` but --out and --json, and
  /// those of `sweep` but its own; in the order `TrainingRecipe.arguments` writes them.
  static let recipeOptions: [OptionSpec] =
    [data.spec, labelColumn.spec, layers.spec, activation.spec, dropout.spec, architecture.spec]
    + [l1.spec, l1Mode.spec, weightDecay.spec, activationL1.spec, kl.spec]
    + [
      epochs.spec, batch.spec, optimizer.spec, momentum.spec, learningRate.spec, schedule.spec, seed.spec,
      validation.spec, patience.spec,
    ] + [testFraction.spec, scaling.spec] + PruneOptions.gradual

  /// The options `prune` takes for fine-tuning (it declares its own --seed and --out).
  static let fineTuningOptions: [OptionSpec] = [
    l1.spec, l1Mode.spec, weightDecay.spec, activationL1.spec, batch.spec, optimizer.spec, momentum.spec,
    learningRate.spec,
  ]

  /// Reads the options; those a command does not declare (`sweep` has no --out, `prune` no
  /// --layers) keep the defaults of `train`.
  init(_ arguments: Arguments) throws {
    let labelColumn = try arguments.value(Self.labelColumn, default: -1)
    if let data = try arguments.value(Self.data) {
      recipe.source = try DatasetSource(parsing: data, labelColumn: labelColumn)
    }
    recipe.hiddenLayers = try arguments.value(Self.layers, default: recipe.hiddenLayers)
    recipe.activation = try arguments.value(Self.activation, default: recipe.activation)
    recipe.dropout = try arguments.value(Self.dropout, default: 0)
    if let text = arguments.text(Self.architecture) {
      // The grammar's own message names the token or limit at fault.
      do { _ = try ModelArchitecture.layers(parsing: text) } catch {
        throw CLIError.invalidValue(
          option: Self.architecture.name, value: text, expected: "\(Self.architecture.expected) (\(error.detail))")
      }
    }
    recipe.hiddenArchitecture = try arguments.value(Self.architecture)
    try parseRegularization(arguments)
    try parseOptimization(arguments)
    recipe.settings.pruning = try PruneOptions.training(arguments, epochs: recipe.settings.epochs)
    recipe.testFraction = try arguments.value(Self.testFraction, default: recipe.testFraction)
    recipe.scaling = try arguments.value(Self.scaling, default: recipe.scaling)
    output = try arguments.value(Self.out)
    if let output { try OutputPath.checkFile(output, option: Self.out.name) }
    try recipe.checkActivation()
  }

  private mutating func parseRegularization(_ arguments: Arguments) throws {
    recipe.settings.weightL1 = try arguments.value(Self.l1, default: 0)
    recipe.settings.weightL1Mode = try arguments.value(Self.l1Mode, default: recipe.settings.weightL1Mode)
    recipe.settings.weightDecay = try arguments.value(Self.weightDecay, default: 0)
    recipe.settings.activationL1 = try arguments.value(Self.activationL1, default: 0)
    recipe.settings.klSparsity = try arguments.value(Self.kl)
  }

  private mutating func parseOptimization(_ arguments: Arguments) throws {
    recipe.settings.epochs = try arguments.value(Self.epochs, default: recipe.settings.epochs)
    recipe.settings.batchSize = try arguments.value(Self.batch, default: recipe.settings.batchSize)
    recipe.settings.learningRate = try arguments.value(Self.learningRate, default: recipe.settings.learningRate)
    let momentum = try arguments.value(Self.momentum, default: 0.9)
    if let optimizer = try arguments.value(Self.optimizer)?(momentum) {
      if case .sgd(_, nesterov: true) = optimizer, momentum == 0 {
        throw CLIError.invalidValue(
          option: Self.momentum.name, value: "0",
          expected: "positive for sgd-nesterov (Nesterov momentum needs momentum)")
      }
      recipe.settings.optimizer = optimizer
    }
    if let schedule = try arguments.value(Self.schedule)?(recipe.settings.epochs) {
      recipe.settings.schedule = schedule
    }
    recipe.settings.seed = try arguments.value(Self.seed, default: 0)
    recipe.settings.validationFraction = try arguments.value(
      Self.validation, default: recipe.settings.validationFraction)
    recipe.settings.earlyStoppingPatience = try arguments.value(Self.patience)
  }
}
