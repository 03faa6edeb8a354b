import Foundation
import SparsityCore
import SparsityIO
import SparsityNN

/// Training throughput of an MLP on synthetic data: the figure compared with PyTorch by
/// `bench/train_speed.py`.
///
/// The network is Linear-ReLU layers of `hiddenLayers` widths and a final Linear to `classes`,
/// trained with Adam (learning rate 1e-3) and softmax cross-entropy on `samples` random normal
/// inputs with random labels, `epochs` times; one warm-up epoch of 20 batches comes first. The
/// figure is the median of the epochs' samples per second (training steps only, no evaluation).
public struct TrainingBenchmark: Sendable {
  public var inputs = 784
  public var hiddenLayers = [512, 512]
  public var classes = 10
  public var batchSize = 128
  public var samples = 60_000
  public var epochs = 3
  public var seed: UInt64 = 0

  public init() {}

  /// The memory of the run: the random data (and the warm-up's copy of its first batches), the
  /// labels, and the training (`MemoryEstimate.training`).
  public var memoryEstimate: MemoryEstimate {
    .floats(samples, inputs) + .floats(Swift.min(samples, 20 * batchSize), inputs) + .bytes(samples, 16)
      + .training(widths: [inputs] + hiddenLayers + [classes], batchSize: batchSize)
  }

  /// Throws unless the run fits in memory.
  /// - Throws: `MemoryBudgetError.insufficient` naming the options that size it.
  public func checkMemory() throws(MemoryBudgetError) {
    try MemoryBudget.check(
      memoryEstimate,
      for: "bench training --samples \(samples) --inputs \(inputs) --layers "
        + hiddenLayers.map(String.init).joined(separator: ",") + " --batch \(batchSize)")
  }

  /// Runs the benchmark: the samples per second of each timed epoch, `onEpoch(epoch, rate)`
  /// called as each ends.
  public func run(onEpoch: (Int, Double) -> Void = { _, _ in }) -> TrainingBenchmarkResult {
    var generator = Xoshiro256StarStar(seed: seed)
    let features = Tensor.normal(shape: [samples, inputs], using: &generator)
    let labels = (0..<samples).map { _ in Int(generator.next(upperBound: UInt64(classes))) }
    let data = LabeledDataset(features: features, labels: labels, classCount: classes, name: "synthetic")
    var layers: [Layer] = []
    var width = inputs
    for hidden in hiddenLayers {
      layers.append(Linear(width, hidden, using: &generator))
      layers.append(ReLU())
      width = hidden
    }
    layers.append(Linear(width, classes, using: &generator))
    let model = Sequential(inputFeatures: inputs, layers)
    var settings = TrainingSettings()
    settings.batchSize = batchSize
    settings.optimizer = .adam
    settings.seed = seed
    let trainer = Trainer(model: model, settings: settings)
    _ = trainer.trainEpoch(data.subset(Array(0..<Swift.min(samples, 20 * batchSize))), learningRate: 1e-3)
    let rates = (1...Swift.max(1, epochs)).map { epoch in
      let started = Date()
      _ = trainer.trainEpoch(data, learningRate: 1e-3)
      let rate = Double(samples) / Date().timeIntervalSince(started)
      onEpoch(epoch, rate)
      return rate
    }
    return TrainingBenchmarkResult(
      architecture: architecture, batchSize: batchSize, samples: samples, threads: Parallel.threadCount,
      samplesPerSecond: rates)
  }

  /// "784-512-512-10".
  public var architecture: String { ([inputs] + hiddenLayers + [classes]).map(String.init).joined(separator: "-") }
}
