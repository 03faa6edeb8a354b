// The ways of training that `sparsity demo` compares: one row of its table each.

import SparsityNN

/// One way to induce sparsity (or none): one row of the demo's table. A classifier row is a
/// typed `TrainingRecipe`, so that its `sparsity train` command can be printed and rerun by hand.
public struct DemoRecipe: Sendable {
  /// How the model is trained.
  public enum Kind: Sendable {
    /// A classifier trained end to end, as `sparsity train` trains it.
    case classifier(TrainingRecipe)
    /// A sigmoid sparse autoencoder with a KL target (unsupervised), then a softmax classifier
    /// on its frozen codes.
    case sparseAutoencoder(hidden: Int, kl: KLSparsity, learningRate: Float)
  }

  /// Short name for tables, e.g. "activation L1".
  public var name: String
  /// The seed note's technique this row stands for.
  public var technique: String
  public var kind: Kind

  public init(name: String, technique: String, kind: Kind) {
    self.name = name
    self.technique = technique
    self.kind = kind
  }

  /// The recipe every classifier row starts from: the digits, the scale's network, epochs and seed.
  public static func shared(_ scale: DemoScale) -> TrainingRecipe {
    var recipe = TrainingRecipe()
    recipe.source = .digits
    recipe.hiddenLayers = scale.layers
    recipe.settings.epochs = scale.epochs
    recipe.settings.seed = scale.seed
    return recipe
  }

  /// A classifier row: the shared recipe changed by `change`.
  static func classifier(
    _ name: String, _ technique: String, _ scale: DemoScale, _ change: (inout TrainingRecipe) -> Void = { _ in }
  ) -> DemoRecipe {
    var recipe = shared(scale)
    change(&recipe)
    return DemoRecipe(name: name, technique: technique, kind: .classifier(recipe))
  }

  /// The demo's rows, in the order printed; the first is the plain network every claim compares against.
  public static func all(_ scale: DemoScale) -> [DemoRecipe] {
    let narrowest = scale.layers.min() ?? 64
    let pruneStart = Swift.max(1, scale.epochs * 3 / 20)
    let pruneEnd = Swift.max(pruneStart + 1, scale.epochs * 3 / 5)
    return [
      classifier("plain ReLU", "ReLU alone: max(0, x) switches units off", scale),
      classifier(
        "L1 on weights",
        "L1 regularization of the weights (proximal; SGD, as Adam's small steps make few exact zeros)", scale
      ) {
        $0.settings.weightL1 = 3e-3
        $0.settings.optimizer = .sgd(momentum: 0.9, nesterov: false)
        $0.settings.learningRate = 0.05
      },
      classifier("activation L1", "sparsity penalty: L1 on ReLU(Wx + b)", scale) { $0.settings.activationL1 = 1e-3 },
      classifier("dropout", "dropout (p = 0.2) after every hidden activation", scale) { $0.dropout = 0.2 },
      classifier(
        "TopK", "k-sparse activations: only the \(narrowest / 16) largest of each layer stay", scale
      ) { $0.activation = .topK(k: Swift.max(1, narrowest / 16)) },
      DemoRecipe(
        name: "sparse autoencoder",
        technique:
          "sparse coding by a sigmoid autoencoder with a KL target rho = 0.05, then a linear classifier on its codes",
        kind: .sparseAutoencoder(
          hidden: scale.autoencoderUnits, kl: KLSparsity(target: 0.05, weight: 0.05), learningRate: 1e-2)),
      classifier(
        "act. L1 + 90% pruned",
        "stronger activation L1 (3e-3) and gradual magnitude pruning to 90% zero weights (Zhu and Gupta)", scale
      ) {
        $0.settings.activationL1 = 3e-3
        $0.settings.pruning = PruningSettings(sparsity: 0.9, startEpoch: pruneStart, endEpoch: pruneEnd)
      },
    ]
  }

  /// The command that reproduces this row (the classifier part, for the autoencoder).
  public func command(_ scale: DemoScale) -> String {
    switch kind {
    case .classifier(let recipe):
      return recipe.commandLine
    case .sparseAutoencoder(let hidden, let kl, let learningRate):
      return
        "64-\(hidden)-sigmoid-64 autoencoder, mean squared error + KL(rho \(kl.target), beta \(kl.weight)), \(scale.autoencoderEpochs) epochs of Adam "
        + "at lr \(learningRate); then Linear(\(hidden), 10) on the frozen codes, \(scale.epochs) epochs at lr \(learningRate) (library: AutoencoderTrainer, then Trainer)"
    }
  }
}
