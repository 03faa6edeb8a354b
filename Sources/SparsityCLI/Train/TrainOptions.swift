// Parsing the options of `sparsity train` into a data source, an architecture and settings.

import Foundation
import SparsityCore
import SparsityIO
import SparsityExperiments
import SparsityNN

/// The options of `sparsity train`, parsed into a `TrainingRecipe` and an output path.
struct TrainOptions {
  var recipe = TrainingRecipe()
  var output: String?

  static let optionNames: Set<String> = Set<String>([
    "data", "label-column", "layers", "activation", "dropout", "l1", "l1-mode", "weight-decay", "act-l1", "kl",
    "epochs", "batch", "optimizer", "lr", "momentum", "schedule", "seed", "validation", "test-fraction", "patience",
    "scaling", "out",
  ]).union(PruneOptions.trainOptionNames)

  init(_ arguments: Arguments) throws {
    let labelColumn = try arguments.value("label-column", expected: "an integer column index", { Int($0) }) ?? -1
    if let data = arguments.value("data") { recipe.source = try DatasetSource(parsing: data, labelColumn: labelColumn) }
    if let layers = try arguments.value(
      "layers", expected: "a comma-separated list of widths from 1 to 1048576", Self.widths)
    {
      recipe.hiddenLayers = layers
    }
    if let activation = try arguments.value(
      "activation", expected: "relu, leaky_relu[:SLOPE], sigmoid or topk:K", Self.activation)
    {
      recipe.activation = activation
    }
    recipe.dropout =
      try arguments.value(
        "dropout", expected: "a probability in [0, 1)", { Float($0).flatMap { (0..<1).contains($0) ? $0 : nil } }) ?? 0
    try parseRegularization(arguments)
    try parseOptimization(arguments)
    recipe.settings.pruning = try PruneOptions.training(arguments, epochs: recipe.settings.epochs)
    recipe.testFraction =
      try arguments.value("test-fraction", expected: "a fraction in (0, 1)", Self.openFraction) ?? recipe.testFraction
    if let scaling = try arguments.value("scaling", expected: "unit, standardize or none", Self.scaling) {
      recipe.scaling = scaling
    }
    output = arguments.value("out")
    try checkOutputPath()
    try recipe.checkActivation()
  }

  /// Fails before training, not after, when --out cannot be written.
  private func checkOutputPath() throws {
    guard let output else { return }
    let expected = "a file path in an existing, writable directory"
    guard !output.isEmpty else { throw CLIError.invalidValue(option: "out", value: output, expected: expected) }
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), isDirectory.boolValue {
      throw CLIError.invalidValue(option: "out", value: output, expected: expected + " (it is a directory)")
    }
    let directory = URL(fileURLWithPath: output).deletingLastPathComponent().path
    guard FileManager.default.isWritableFile(atPath: directory) else {
      throw CLIError.invalidValue(option: "out", value: output, expected: expected + " (\(directory) is not)")
    }
  }

  private mutating func parseRegularization(_ arguments: Arguments) throws {
    let nonNegative = { (text: String) -> Float? in Float(text).flatMap { $0 >= 0 && $0.isFinite ? $0 : nil } }
    recipe.settings.weightL1 = try arguments.value("l1", expected: "a non-negative number", nonNegative) ?? 0
    if let mode = try arguments.value(
      "l1-mode", expected: "prox or grad", { ["prox": WeightL1.Mode.proximal, "grad": .subgradient][$0] })
    {
      recipe.settings.weightL1Mode = mode
    }
    recipe.settings.weightDecay =
      try arguments.value("weight-decay", expected: "a non-negative number", nonNegative) ?? 0
    recipe.settings.activationL1 = try arguments.value("act-l1", expected: "a non-negative number", nonNegative) ?? 0
    recipe.settings.klSparsity = try arguments.value(
      "kl", expected: "RHO:BETA with 0 < RHO < 1 and finite BETA >= 0",
      { text in
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Float($0) }
        guard parts.count == 2, let rho = parts[0], let beta = parts[1], rho > 0, rho < 1, beta >= 0, beta.isFinite
        else { return nil }
        return KLSparsity(target: rho, weight: beta)
      })
  }

  private mutating func parseOptimization(_ arguments: Arguments) throws {
    let positive = { (text: String) -> Int? in Int(text).flatMap { $0 > 0 ? $0 : nil } }
    recipe.settings.epochs =
      try arguments.value("epochs", expected: "a positive integer", positive) ?? recipe.settings.epochs
    recipe.settings.batchSize =
      try arguments.value("batch", expected: "a positive integer", positive) ?? recipe.settings.batchSize
    recipe.settings.learningRate =
      try arguments.value(
        "lr", expected: "a positive number", { Float($0).flatMap { $0 > 0 && $0.isFinite ? $0 : nil } })
      ?? recipe.settings.learningRate
    let momentum =
      try arguments.value(
        "momentum", expected: "a number in [0, 1)", { Float($0).flatMap { (0..<1).contains($0) ? $0 : nil } }) ?? 0.9
    if arguments.value("optimizer") == "sgd-nesterov" && momentum == 0 {
      throw CLIError.invalidValue(
        option: "momentum", value: "0", expected: "positive for sgd-nesterov (Nesterov momentum needs momentum)")
    }
    if let optimizer = try arguments.value(
      "optimizer", expected: "adam, adamw[:DECAY], sgd or sgd-nesterov", { Self.optimizer($0, momentum: momentum) })
    {
      recipe.settings.optimizer = optimizer
    }
    if let schedule = try arguments.value(
      "schedule", expected: "constant, step:EVERY:FACTOR or cosine[:MIN]",
      { Self.schedule($0, epochs: recipe.settings.epochs) })
    {
      recipe.settings.schedule = schedule
    }
    recipe.settings.seed = try arguments.value("seed", expected: "a non-negative integer", { UInt64($0) }) ?? 0
    recipe.settings.validationFraction =
      try arguments.value("validation", expected: "a fraction in (0, 1)", Self.openFraction)
      ?? recipe.settings.validationFraction
    recipe.settings.earlyStoppingPatience = try arguments.value("patience", expected: "a positive integer", positive)
  }

  static func widths(_ text: String) -> [Int]? {
    let values = text.split(separator: ",", omittingEmptySubsequences: false).map {
      Int($0.trimmingCharacters(in: .whitespaces))
    }
    return values.isEmpty || values.contains(where: { $0 == nil || $0! <= 0 || $0! > 1 << 20 })
      ? nil : values.compactMap { $0 }
  }

  static func openFraction(_ text: String) -> Double? { Double(text).flatMap { $0 > 0 && $0 < 1 ? $0 : nil } }

  /// The activation a `--activation` token names, in the layer-token grammar of architectures
  /// (`ModelArchitecture.layer`); nil for other tokens (sizes, dropout) and malformed ones.
  static func activation(_ text: String) -> ModelArchitecture.LayerSpec? {
    guard case .success(let layer) = ModelArchitecture.layer(text) else { return nil }
    switch layer {
    case .relu, .sigmoid, .leakyReLU, .topK: return layer
    case .linear, .dropout: return nil
    }
  }

  static func optimizer(_ text: String, momentum: Float) -> OptimizerKind? {
    let parts = text.split(separator: ":").map(String.init)
    switch parts.first {
    case "adam" where parts.count == 1: return .adam
    case "adamw" where parts.count == 1: return .adamW(weightDecay: 0.01)
    case "adamw" where parts.count == 2:
      return Float(parts[1]).flatMap { $0 >= 0 && $0.isFinite ? .adamW(weightDecay: $0) : nil }
    case "sgd" where parts.count == 1: return .sgd(momentum: momentum, nesterov: false)
    case "sgd-nesterov" where parts.count == 1: return .sgd(momentum: momentum, nesterov: true)
    default: return nil
    }
  }

  static func schedule(_ text: String, epochs: Int) -> LearningRateSchedule? {
    let parts = text.split(separator: ":").map(String.init)
    switch parts.first {
    case "constant" where parts.count == 1: return .constant
    case "cosine" where parts.count <= 2:
      let minimum = parts.count == 2 ? Float(parts[1]) : 0
      return minimum.flatMap { $0 >= 0 && $0.isFinite ? .cosine(totalEpochs: epochs, minimum: $0) : nil }
    case "step" where parts.count == 3:
      guard let every = Int(parts[1]), every > 0, let factor = Float(parts[2]), factor > 0, factor.isFinite else {
        return nil
      }
      return .step(every: every, factor: factor)
    default: return nil
    }
  }

  static func scaling(_ text: String) -> FeatureScaling?? {
    switch text {
    case "unit": return .some(.unitRange)
    case "standardize": return .some(.standardize)
    case "none": return .some(nil)
    default: return nil
    }
  }
}
