// Training with every batch cut into parts, one shard of the training rows per part, so that
// processes (MPI ranks) can each code their own parts and read only their own shards.
import Foundation
import SparsityCore

extension SAETraining {
  /// Trains with each batch cut into `parts` parts: part p of every batch is the next
  /// `BatchParts.range(p, of: parts, count: batchSize).count` rows of shard p's own shuffled stream
  /// (`sources[i]` streams the shard of part `reduction.localParts(total: parts)[i]`, and
  /// `shardRows[p]` is the row count of every part's shard). The statistics pass adds the
  /// shards' squared norms in part order, and the geometric-median sample takes each shard's
  /// first rows in part order; each step is `SAETrainer.step(parts:of:reduction:totalSteps:)`.
  /// An epoch has as many steps as the largest shard needs; a shard that runs out gives no
  /// rows to the last steps. The run, its model and its reports are then the same, bit for bit,
  /// for any way of dealing the parts out to processes (`LocalPartReduction`: all here).
  ///
  /// `heldOut` rows are evaluated after each epoch where given (the leader alone, usually).
  /// - Throws: `SAETrainingError.cannotTrainInParts` for a batch with fewer rows
  ///   than parts; what the sources, the held-out set or the reduction throw.
  public static func train(
    _ settings: SAETrainingSettings, parts: Int, shardRows: [Int], columns d: Int, sources: inout [some SAEBatchSource],
    reduction: some PartReduction, heldOut: (some SAERowSet)?, started: (Double) -> Void = { _ in },
    report: (SAEEpochReport) -> Void = { _ in }, stepDone: (Int, Int, SAEBatchLoss) -> Void = { _, _, _ in }
  ) throws -> SAETrainingResult {
    guard parts >= 1, settings.batchSize >= parts, shardRows.count == parts else {
      throw SAETrainingError.cannotTrainInParts(
        "a batch of \(settings.batchSize) rows cannot be cut into \(parts) parts of at least one row")
    }
    let local = reduction.localParts(total: parts)
    precondition(sources.count == local.count, "SAETraining: \(sources.count) sources for parts \(local)")
    let partBatch = (0..<parts).map { BatchParts.range($0, of: parts, count: settings.batchSize).count }
    let rows = shardRows.reduce(0, +)
    let clock = DispatchTime.now().uptimeNanoseconds
    var evaluationNanoseconds: UInt64 = 0
    // The statistics pass: Σ ||x||² and rows per part, and each part's share of the sample.
    var statistics = [Double]()
    var samples = [[Float]]()
    for (i, part) in local.enumerated() {
      precondition(sources[i].columns == d, "SAETraining: a source of \(sources[i].columns) columns, not \(d)")
      var batch = [Float](repeating: 0, count: partBatch[part] * Swift.max(1, d))
      let share = BatchParts.range(part, of: parts, count: settings.medianSampleRows).count
      let (sample, squares, count) = try sourceStatistics(&sources[i], batch: &batch, sampleRows: share)
      statistics += [squares, Double(count)]
      samples.append(sample)
    }
    let totals = try reduction.orderedSum(statistics, count: 2, parts: parts)
    let sample = try reduction.gatherParts(samples, parts: parts).flatMap { $0 }
    guard d > 0, sample.count >= d else { throw SAETrainingError.cannotTrainInParts("the shards hold no rows") }
    // The parts' batches, allocated once (pointers: the step reads several at a time).
    let buffers = local.map { UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(1, partBatch[$0] * d)) }
    defer { for buffer in buffers { buffer.deallocate() } }
    let meanSquaredNorm = totals[0] / Swift.max(1, totals[1])
    var trainer = SAETrainer(
      settings: settings, sample: Tensor(shape: [sample.count / d, d], scalars: sample),
      meanSquaredNorm: meanSquaredNorm, rowsPerEpoch: rows)
    started(meanSquaredNorm)
    let stepsPerEpoch = (0..<parts).map { (shardRows[$0] + partBatch[$0] - 1) / partBatch[$0] }.max() ?? 0
    let total = settings.epochs * stepsPerEpoch
    var reports = [SAEEpochReport]()
    for epoch in 0..<settings.epochs {
      let epochStart = DispatchTime.now().uptimeNanoseconds
      for i in sources.indices { try sources[i].startEpoch(epoch) }
      var losses = EpochLosses()
      for _ in 0..<stepsPerEpoch {
        var counts = [Int]()
        for (i, part) in local.enumerated() {
          counts.append(try sources[i].next(into: buffers[i], capacity: partBatch[part]))
        }
        let loss = try trainer.step(
          parts: zip(buffers, counts).map { (rows: $0, count: $1) }, of: parts, reduction: reduction, totalSteps: total)
        try SAETraining.checkConverging(loss, step: trainer.steps)
        losses.add(loss)
        stepDone(trainer.steps, total, loss)
      }
      let epochReport = try losses.report(
        epoch: epoch, started: epochStart, trainer: trainer, heldOut: heldOut,
        evaluationNanoseconds: &evaluationNanoseconds)
      reports.append(epochReport)
      report(epochReport)
    }
    return result(of: trainer, epochs: reports, started: clock, evaluationNanoseconds: evaluationNanoseconds)
  }
}

/// Why a training run cannot start.
public enum SAETrainingError: Error, Equatable, CustomStringConvertible {
  /// The run cannot be cut into parts (`SAETraining.train(_:parts:...)`): why.
  case cannotTrainInParts(String)
  /// The loss of step `step` (counted from 1) is not finite: the learning rate is too large
  /// for the data, or the data's scale overflows single precision.
  case diverged(step: Int, loss: Double)

  public var description: String {
    switch self {
    case .cannotTrainInParts(let why): "cannot train with the batch cut into parts: \(why)"
    case .diverged(let step, let loss):
      "training diverged: the loss is \(loss) at step \(step); try a smaller learning rate (nothing was written)"
    }
  }
}
