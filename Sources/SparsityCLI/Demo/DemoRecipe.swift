// The ways of training that `sparsity demo` compares: one row of its table each.

import Foundation
import SparsityCore
import SparsityNN

/// One way to induce sparsity (or none), written as the `sparsity train` flags that reproduce
/// it, so that every row of the demo's table can be rerun by hand.
struct DemoRecipe {
  /// How the model is trained.
  enum Kind {
    /// A classifier trained end to end with `sparsity train` and these flags.
    case classifier
    /// A sigmoid sparse autoencoder with a KL target (unsupervised), then a softmax classifier
    /// on its frozen codes.
    case sparseAutoencoder(hidden: Int, kl: KLSparsity, learningRate: Float)
  }

  /// Short name for tables, e.g. "activation L1".
  var name: String
  /// The seed note's technique this row stands for.
  var technique: String
  /// Flags added to the shared `train` flags (empty for the plain network).
  var flags: [String]
  var kind: Kind = .classifier

  /// The shared flags: the network, data and training length of every classifier row.
  static func sharedFlags(_ scale: DemoScale) -> [String] {
    [
      "--data", "digits", "--layers", scale.layers.map(String.init).joined(separator: ","), "--epochs",
      "\(scale.epochs)", "--seed", "\(scale.seed)",
    ]
  }

  /// The demo's rows, in the order printed.
  static func all(_ scale: DemoScale) -> [DemoRecipe] {
    let narrowest = scale.layers.min() ?? 64
    let pruneStart = Swift.max(1, scale.epochs * 3 / 20)
    let pruneEnd = Swift.max(pruneStart + 1, scale.epochs * 3 / 5)
    return [
      DemoRecipe(name: "plain ReLU", technique: "ReLU alone: max(0, x) switches units off", flags: []),
      DemoRecipe(
        name: "L1 on weights",
        technique: "L1 regularization of the weights (proximal; SGD, as Adam's small steps make few exact zeros)",
        flags: ["--l1", "3e-3", "--optimizer", "sgd", "--lr", "0.05"]),
      DemoRecipe(
        name: "activation L1", technique: "sparsity penalty: L1 on ReLU(Wx + b)", flags: ["--act-l1", "1e-3"]),
      DemoRecipe(
        name: "dropout", technique: "dropout (p = 0.2) after every hidden activation", flags: ["--dropout", "0.2"]),
      DemoRecipe(
        name: "TopK", technique: "k-sparse activations: only the \(narrowest / 16) largest of each layer stay",
        flags: ["--activation", "topk:\(Swift.max(1, narrowest / 16))"]),
      DemoRecipe(
        name: "sparse autoencoder",
        technique:
          "sparse coding by a sigmoid autoencoder with a KL target rho = 0.05, then a linear classifier on its codes",
        flags: [],
        kind: .sparseAutoencoder(
          hidden: scale.autoencoderUnits, kl: KLSparsity(target: 0.05, weight: 0.05), learningRate: 1e-2)),
      DemoRecipe(
        name: "act. L1 + 90% pruned",
        technique: "stronger activation L1 (3e-3) and gradual magnitude pruning to 90% zero weights (Zhu and Gupta)",
        flags: ["--act-l1", "3e-3", "--prune", "0.9", "--prune-start", "\(pruneStart)", "--prune-end", "\(pruneEnd)"]),
    ]
  }

  /// The command that reproduces this row (the classifier part, for the autoencoder).
  func command(_ scale: DemoScale) -> String {
    switch kind {
    case .classifier:
      return (["sparsity", "train"] + Self.sharedFlags(scale) + flags).joined(separator: " ")
    case .sparseAutoencoder(let hidden, let kl, let learningRate):
      return
        "64-\(hidden)-sigmoid-64 autoencoder, mean squared error + KL(rho \(kl.target), beta \(kl.weight)), \(scale.autoencoderEpochs) epochs of Adam "
        + "at lr \(learningRate); then Linear(\(hidden), 10) on the frozen codes, \(scale.epochs) epochs at lr \(learningRate) (library: AutoencoderTrainer, then Trainer)"
    }
  }

  /// The `train` options of this row.
  /// - Throws: `CLIError` if the flags do not parse (a programming error in `all`).
  func trainOptions(_ scale: DemoScale) throws -> TrainOptions {
    try TrainOptions(
      Arguments(Self.sharedFlags(scale) + flags, command: "demo", options: TrainOptions.optionNames, flags: []))
  }
}

/// How large the demo's networks and runs are: the full demo, or a quick one for tests.
struct DemoScale {
  var layers = [1024, 1024]
  var epochs = 20
  var seed: UInt64 = 0
  var autoencoderUnits = 256
  /// Epochs of the autoencoder: sigmoid codes become sparse slowly.
  var autoencoderEpochs = 100
  /// Dictionary learning on the digits: atoms and epochs.
  var atoms = 100
  var dictionaryEpochs = 30
  /// Batch sizes of the compiled-inference benchmark of the sparsest accurate model.
  var benchmarkBatches = [1, 64]
  /// Samples per timing in the benchmarks.
  var timingSamples = 9

  /// Small enough to finish in seconds: for tests and a first look.
  static let quick = DemoScale(
    layers: [64, 64], epochs: 3, seed: 0, autoencoderUnits: 32, autoencoderEpochs: 5, atoms: 16, dictionaryEpochs: 1,
    benchmarkBatches: [1, 8], timingSamples: 3)
}
