// What `sparsity sae` runs, as a library: training on activation files with a held-out part,
// evaluation and encoding of files by a saved autoencoder.
import Foundation
import SparsityAutoencoders
import SparsityCore
import SparsityIO

/// Where held-out rows come from.
public enum SAEHeldOut: Equatable, Sendable {
  /// The last fraction of the training files' rows (0 < fraction < 1).
  case fraction(Double)
  /// The last `rows` rows of the training files.
  case rows(Int)
  /// Other files, all their rows.
  case files([URL])
  /// No held-out rows.
  case none
}

/// A sparse-autoencoder training run on activation files.
public struct SAETrainingJob: Sendable {
  /// The activation files (`.npy` or `.safetensors`), one data set.
  public var files: [URL]
  /// The tensor read from `.safetensors` files (nil: each file's only matrix).
  public var tensor: String?
  /// Where the held-out rows come from.
  public var heldOut: SAEHeldOut
  /// How to train.
  public var settings: SAETrainingSettings
  /// The directory the autoencoder is written to.
  public var output: URL

  /// A job training on `files` with `settings`, writing to `output`.
  public init(files: [URL], tensor: String?, heldOut: SAEHeldOut, settings: SAETrainingSettings, output: URL) {
    self.files = files
    self.tensor = tensor
    self.heldOut = heldOut
    self.settings = settings
    self.output = output
  }

  /// The data sets and ranges the job trains and evaluates on.
  public struct Data: Sendable {
    public var training: ActivationDataset
    public var trainingRows: Range<Int>
    public var heldOut: ActivationRows?
  }

  /// Opens the files (headers only), splits the rows and checks that training fits in memory.
  /// - Throws: `ActivationDataError` for a file that cannot be used, `ExperimentError` when
  ///   the split leaves no training rows or the held-out files' width differs,
  ///   `MemoryBudgetError` when training would not fit.
  public func data() throws -> Data {
    switch settings.objective {
    case .topK(let k), .batchTopK(let k):
      guard k <= settings.latents else {
        throw ExperimentError.invalidSetting(
          option: "kind", value: settings.objective.description,
          expected: "k at most the \(settings.latents) latents (--latents)")
      }
    case .l1, .jumpReLU: break
    }
    let dataset = try ActivationDataset(contentsOf: files, tensor: tensor)
    let split: ActivationSplit
    var heldOutRows: ActivationRows?
    switch heldOut {
    case .fraction(let fraction): split = ActivationSplit(rows: dataset.rows, heldOutFraction: fraction)
    case .rows(let rows):
      guard rows < dataset.rows else {
        throw ExperimentError.invalidSetting(
          option: "held-out", value: "\(rows)", expected: "fewer rows than the data's \(dataset.rows)")
      }
      split = ActivationSplit(rows: dataset.rows, heldOutRows: rows)
    case .files(let urls):
      let other = try ActivationDataset(contentsOf: urls, tensor: tensor)
      guard other.columns == dataset.columns else {
        throw ExperimentError.unusableData(
          "\(urls[0].relativePath): rows of \(other.columns) values, but the training data has \(dataset.columns)")
      }
      guard other.rows > 0 else { throw ExperimentError.unusableData("\(urls[0].relativePath): no rows to hold out") }
      heldOutRows = ActivationRows(other)
      split = ActivationSplit(rows: dataset.rows, heldOutRows: 0)
    case .none: split = ActivationSplit(rows: dataset.rows, heldOutRows: 0)
    }
    guard split.training.count > 0 else {
      throw ExperimentError.unusableData("\(files[0].relativePath): no training rows left after the held-out split")
    }
    try MemoryBudget.check(
      Self.memoryEstimate(latents: settings.latents, inputs: dataset.columns, batch: settings.batchSize),
      for:
        "a sparse autoencoder of \(settings.latents) latents over \(dataset.columns) inputs, batch \(settings.batchSize)"
    )
    if heldOutRows == nil && !split.heldOut.isEmpty { heldOutRows = ActivationRows(dataset, rows: split.heldOut) }
    return Data(training: dataset, trainingRows: split.training, heldOut: heldOutRows)
  }

  /// The bytes training holds: parameters, gradients and Adam's moments (8 x latents x
  /// inputs), the batch's pre-activations and AuxK's (2 x batch x latents), the batch and
  /// reconstructions, and the shuffle buffer.
  public static func memoryEstimate(latents: Int, inputs: Int, batch: Int) -> MemoryEstimate {
    .floats(8, latents, inputs) + .floats(2, batch, latents) + .floats(4, batch, inputs)
      + .elements([batch, latents], bytes: 8) + ActivationBatches.memoryEstimate(columns: inputs, batchSize: batch)
  }

  /// Trains with each batch cut into `parts` parts (`SAETraining.train(_:parts:...)`): the
  /// training rows split into `parts` contiguous shards, part p of every batch drawn from shard
  /// p's own stream (seed `seed + p`), this process streaming only the shards of its parts
  /// (`reduction.localParts(total:)`). The leader (`reduction.isLeader`) alone evaluates the
  /// held-out rows and writes the autoencoder; the run is the same, bit for bit, however the
  /// parts are dealt out to processes.
  /// - Throws: as `run`, and `SAETrainingError` when the run cannot be cut into parts.
  public func runInParts(
    data: Data, parts: Int, reduction: some PartReduction, started: (Double) -> Void,
    report: (SAEEpochReport) -> Void, stepDone: (Int, Int, SAEBatchLoss) -> Void
  ) throws -> SAETrainingResult {
    let rows = data.trainingRows
    guard parts >= 1, rows.count >= parts, settings.batchSize >= parts else {
      throw ExperimentError.invalidSetting(
        option: "parts", value: "\(parts)",
        expected: "from 1 to the training rows (\(rows.count)) and the batch (\(settings.batchSize))")
    }
    if reduction.isLeader { try data.heldOut?.checkRows() }
    let shards = (0..<parts).map { BatchParts.range($0, of: parts, count: rows.count) }
    let buffer = ActivationBatches.defaultBufferRows(columns: data.training.columns, batchSize: 1) / Swift.max(1, parts)
    var sources = [ActivationBatches]()
    for part in reduction.localParts(total: parts) {
      let batch = Swift.max(1, BatchParts.range(part, of: parts, count: settings.batchSize).count)
      let shard = (rows.lowerBound + shards[part].lowerBound)..<(rows.lowerBound + shards[part].upperBound)
      sources.append(
        try ActivationBatches(
          dataset: data.training, rows: shard, batchSize: batch, seed: settings.seed &+ UInt64(part),
          bufferRows: Swift.max(1, Swift.min(shard.count, Swift.max(batch, buffer)))))
    }
    let result = try SAETraining.train(
      settings, parts: parts, shardRows: shards.map(\.count), columns: data.training.columns, sources: &sources,
      reduction: reduction, heldOut: reduction.isLeader ? data.heldOut : nil, started: started, report: report,
      stepDone: stepDone)
    if reduction.isLeader { try write(result, trainedBy: "sparsity sae train --parts \(parts)", rows: rows.count) }
    return result
  }

  /// Writes the trained autoencoder to `output` with the run's metadata.
  private func write(_ result: SAETrainingResult, trainedBy: String, rows: Int) throws {
    try SAEFiles.write(
      result.autoencoder, to: output,
      metadata: [
        "trained_by": trainedBy, "objective": settings.objective.description,
        "data": files.map(\.relativePath).joined(separator: ","), "training_rows": "\(rows)",
        "normalization_scale_folded": "\(result.inputScale)", "seed": "\(settings.seed)",
      ])
  }

  /// Reads the held-out rows once (a fault in them is found before any training), trains,
  /// evaluates after each epoch, and writes the autoencoder in SAELens's layout.
  /// - Throws: reading errors, `MemoryBudgetError` when training would not fit,
  ///   `SAEFileError` when the output cannot be written.
  public func run(
    data: Data, started: (Double) -> Void, report: (SAEEpochReport) -> Void,
    stepDone: (Int, Int, SAEBatchLoss) -> Void
  ) throws -> SAETrainingResult {
    try data.heldOut?.checkRows()
    var batches = try ActivationBatches(
      dataset: data.training, rows: data.trainingRows, batchSize: settings.batchSize, seed: settings.seed)
    let result = try SAETraining.train(
      settings, source: &batches, heldOut: data.heldOut, started: started, report: report, stepDone: stepDone)
    try write(result, trainedBy: "sparsity sae train", rows: data.trainingRows.count)
    return result
  }
}
