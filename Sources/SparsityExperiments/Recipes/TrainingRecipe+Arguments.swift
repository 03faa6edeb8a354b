// The `sparsity train` flags that reproduce a recipe, so every row of a table can be rerun by hand.

import SparsityIO
import SparsityNN

extension TrainingRecipe {
  /// The `sparsity train` arguments that give this recipe: `--data` always, then a flag for
  /// every value that differs from the defaults (`TrainingRecipe()`), in the order of
  /// `sparsity help train`. Numbers are written so that they parse back to the same value.
  public var arguments: [String] {
    let defaults = TrainingRecipe()
    var flags = ["--data", source.description]
    if case .csv(_, let labelColumn) = source, labelColumn != -1 { flags += ["--label-column", "\(labelColumn)"] }
    if hiddenLayers != defaults.hiddenLayers {
      flags += ["--layers", hiddenLayers.map(String.init).joined(separator: ",")]
    }
    if activation != defaults.activation { flags += ["--activation", activation.token] }
    if dropout != defaults.dropout { flags += ["--dropout", "\(dropout)"] }
    if let hidden = hiddenArchitecture { flags += ["--arch", hidden.map(\.token).joined(separator: ",")] }
    flags += regularizationArguments(defaults.settings)
    flags += optimizationArguments(defaults.settings)
    if testFraction != defaults.testFraction { flags += ["--test-fraction", "\(testFraction)"] }
    if scaling != defaults.scaling { flags += ["--scaling", scaling.map(Self.scalingName) ?? "none"] }
    if let pruning = settings.pruning { flags += Self.pruningArguments(pruning, epochs: settings.epochs) }
    if let parts = settings.parts { flags += ["--parts", "\(parts)"] }
    return flags
  }

  /// The command line, `sparsity train ...`.
  public var commandLine: String { (["sparsity", "train"] + arguments).joined(separator: " ") }

  private func regularizationArguments(_ defaults: TrainingSettings) -> [String] {
    var flags = [String]()
    if settings.weightL1 != defaults.weightL1 { flags += ["--l1", "\(settings.weightL1)"] }
    if settings.weightL1Mode != defaults.weightL1Mode { flags += ["--l1-mode", "grad"] }
    if settings.weightDecay != defaults.weightDecay { flags += ["--weight-decay", "\(settings.weightDecay)"] }
    if settings.activationL1 != defaults.activationL1 { flags += ["--act-l1", "\(settings.activationL1)"] }
    if let kl = settings.klSparsity { flags += ["--kl", "\(kl.target):\(kl.weight)"] }
    return flags
  }

  private func optimizationArguments(_ defaults: TrainingSettings) -> [String] {
    var flags = [String]()
    if settings.epochs != defaults.epochs { flags += ["--epochs", "\(settings.epochs)"] }
    if settings.batchSize != defaults.batchSize { flags += ["--batch", "\(settings.batchSize)"] }
    if settings.optimizer != defaults.optimizer {
      switch settings.optimizer {
      case .adam: flags += ["--optimizer", "adam"]
      case .adamW(let decay): flags += ["--optimizer", "adamw:\(decay)"]
      case .sgd(let momentum, let nesterov):
        flags += ["--optimizer", nesterov ? "sgd-nesterov" : "sgd"]
        if momentum != 0.9 { flags += ["--momentum", "\(momentum)"] }
      }
    }
    if settings.learningRate != defaults.learningRate { flags += ["--lr", "\(settings.learningRate)"] }
    switch settings.schedule {
    case .constant: break
    case .step(let every, let factor): flags += ["--schedule", "step:\(every):\(factor)"]
    case .cosine(_, let minimum): flags += ["--schedule", minimum == 0 ? "cosine" : "cosine:\(minimum)"]
    }
    if settings.seed != defaults.seed { flags += ["--seed", "\(settings.seed)"] }
    if settings.validationFraction != defaults.validationFraction {
      flags += ["--validation", "\(settings.validationFraction)"]
    }
    if let patience = settings.earlyStoppingPatience { flags += ["--patience", "\(patience)"] }
    return flags
  }

  private static func pruningArguments(_ pruning: PruningSettings, epochs: Int) -> [String] {
    var flags = [String]()
    if pruning.sparsity > 0 { flags += ["--prune", "\(pruning.sparsity)"] }
    if pruning.pattern != .unstructured { flags += ["--prune-pattern", pruning.pattern.description] }
    if pruning.sparsity > 0 {
      if pruning.scope != .global { flags += ["--prune-scope", pruning.scope.description] }
      if pruning.startEpoch != 1 { flags += ["--prune-start", "\(pruning.startEpoch)"] }
      if pruning.endEpoch != Swift.max(pruning.startEpoch, (3 * epochs + 3) / 4) {
        flags += ["--prune-end", "\(pruning.endEpoch)"]
      }
      switch pruning.frequency {
      case .everyEpoch: flags += ["--prune-every", "epoch"]
      case .everySteps(let steps) where steps != 10: flags += ["--prune-every", "\(steps)"]
      case .everySteps: break
      }
    }
    return flags
  }

  /// `unit` or `standardize`, as `--scaling` takes them.
  static func scalingName(_ scaling: FeatureScaling) -> String {
    switch scaling {
    case .unitRange, .fixedRange: return "unit"
    case .standardize: return "standardize"
    }
  }
}
