// How large the demo's networks and runs are, and the data they run on.

import SparsityIO

/// How large the demo's networks and runs are: the full demo, or a quick one for tests.
public struct DemoScale: Sendable {
  public var layers = [1024, 1024]
  public var epochs = 20
  public var seed: UInt64 = 0
  public var autoencoderUnits = 256
  /// Epochs of the autoencoder: sigmoid codes become sparse slowly.
  public var autoencoderEpochs = 100
  /// Dictionary learning on the digits: atoms and epochs.
  public var atoms = 100
  public var dictionaryEpochs = 30
  /// Batch sizes of the compiled-inference benchmark of the sparsest accurate model.
  public var benchmarkBatches = [1, 64]
  /// Samples per timing in the benchmarks.
  public var timingSamples = 9

  /// The full demo: 64-1024-1024-10, 20 epochs.
  public init() {}

  public init(
    layers: [Int], epochs: Int, seed: UInt64, autoencoderUnits: Int, autoencoderEpochs: Int, atoms: Int,
    dictionaryEpochs: Int, benchmarkBatches: [Int], timingSamples: Int
  ) {
    self.layers = layers
    self.epochs = epochs
    self.seed = seed
    self.autoencoderUnits = autoencoderUnits
    self.autoencoderEpochs = autoencoderEpochs
    self.atoms = atoms
    self.dictionaryEpochs = dictionaryEpochs
    self.benchmarkBatches = benchmarkBatches
    self.timingSamples = timingSamples
  }

  /// Small enough to finish in seconds: for tests and a first look.
  public static let quick = DemoScale(
    layers: [64, 64], epochs: 3, seed: 0, autoencoderUnits: 32, autoencoderEpochs: 5, atoms: 16, dictionaryEpochs: 1,
    benchmarkBatches: [1, 8], timingSamples: 3)
}

extension DemoScale {
  /// The data every row of the demo trains and is measured on: the embedded digits split with
  /// `seed` into 20% test and, of the rest, 10% validation, scaled to [0, 1] on the training part.
  /// - Throws: `DatasetError` when the embedded digits cannot be read.
  public func loadData() throws -> PreparedData {
    try PreparedData.load(.digits, testFraction: 0.2, validationFraction: 0.1, seed: seed, scaling: .unitRange)
  }

  /// The batch sizes the sparsest accurate model is timed at besides batch 1, at which every row
  /// is timed.
  public var extraBenchmarkBatches: [Int] { benchmarkBatches.filter { $0 != 1 } }
}
