// What a training benchmark measured: the network, the setting and each epoch's throughput.

import SparsityCore

/// The samples per second of each timed epoch of a `TrainingBenchmark` and their median, with
/// what they were measured on. As JSON (`sparsity bench training --json`): `{"architecture",
/// "batch", "samples", "threads", "samples_per_second", "median_samples_per_second"}`.
public struct TrainingBenchmarkResult: Sendable, Encodable {
  /// The network's layer widths, e.g. `784-512-512-10`.
  public var architecture: String
  /// The mini-batch size.
  public var batchSize: Int
  /// Samples per epoch.
  public var samples: Int
  /// The threads the kernels ran on.
  public var threads: Int
  /// Samples per second of each timed epoch.
  public var samplesPerSecond: [Double]

  /// A result of the given parts.
  public init(architecture: String, batchSize: Int, samples: Int, threads: Int, samplesPerSecond: [Double]) {
    self.architecture = architecture
    self.batchSize = batchSize
    self.samples = samples
    self.threads = threads
    self.samplesPerSecond = samplesPerSecond
  }

  /// The median of `samplesPerSecond`: the figure compared with PyTorch.
  public var medianSamplesPerSecond: Double { MedianTimer.median(samplesPerSecond) }

  private enum CodingKeys: String, CodingKey {
    case architecture, samples, threads
    case batchSize = "batch"
    case samplesPerSecond = "samples_per_second"
    case medianSamplesPerSecond = "median_samples_per_second"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(architecture, forKey: .architecture)
    try container.encode(batchSize, forKey: .batchSize)
    try container.encode(samples, forKey: .samples)
    try container.encode(threads, forKey: .threads)
    try container.encode(samplesPerSecond, forKey: .samplesPerSecond)
    try container.encode(medianSamplesPerSecond, forKey: .medianSamplesPerSecond)
  }
}
