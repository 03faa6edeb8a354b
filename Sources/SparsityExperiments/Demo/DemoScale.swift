// How large the demo's networks and runs are, and the data they run on.

import SparsityIO
import SparsityNN

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
  /// The convolutional network's hidden layers on the 1x8x8 digits (a Linear to the classes
  /// follows) and its epochs.
  public var convolutionLayers = Self.layers(
    "conv:32:3x3:p1,relu,maxpool:2,conv:64:3x3:p1,relu,maxpool:2,flatten,128,relu")
  public var convolutionEpochs = 30

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

  /// The layers of `text`, a constant of this file.
  private static func layers(_ text: String) -> [ModelArchitecture.LayerSpec] {
    do { return try ModelArchitecture.layers(parsing: text) } catch { preconditionFailure("DemoScale: \(error)") }
  }

  /// Small enough to finish in seconds: for tests and a first look.
  public static let quick: DemoScale = {
    var scale = DemoScale(
      layers: [64, 64], epochs: 3, seed: 0, autoencoderUnits: 32, autoencoderEpochs: 5, atoms: 16, dictionaryEpochs: 1,
      benchmarkBatches: [1, 8], timingSamples: 3)
    scale.convolutionLayers = layers("conv:4:3x3:p1,relu,maxpool:2,flatten,16,relu")
    scale.convolutionEpochs = 3
    return scale
  }()
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
