// A whole sparse-autoencoder training run: statistics pass, epochs of steps, metrics per epoch.
import Foundation
import SparsityCore

/// What one epoch of training did, and the held-out metrics after it.
public struct SAEEpochReport: Equatable, Sendable, Encodable {
  /// The epoch, from 0.
  public var epoch: Int
  /// Means over the epoch's steps of the batch losses (`SAEBatchLoss`); the FVU over the
  /// steps whose rows vary (nil when none did, where it is undefined).
  public var trainingFVU: Double?
  public var auxFVU: Double
  public var l0: Double
  public var sparsityTerm: Double
  /// The fraction of latents dead by the tracker (no firing for the dead window) at the end.
  public var deadFraction: Double
  /// Metrics on the held-out rows after the epoch (nil without held-out rows).
  public var heldOut: SAEEvaluation?
  /// Seconds of training steps in the epoch (reading included, evaluation excluded).
  public var seconds: Double

  private enum CodingKeys: String, CodingKey {
    case epoch
    case trainingFVU = "training_fvu"
    case auxFVU = "aux_fvu"
    case l0
    case sparsityTerm = "sparsity_term"
    case deadFraction = "dead_fraction"
    case heldOut = "held_out"
    case seconds
  }
}

/// The outcome of `SAETraining.train`.
public struct SAETrainingResult: Sendable {
  /// The trained autoencoder, for raw rows.
  public var autoencoder: SparseAutoencoder
  /// One report per epoch.
  public var epochs: [SAEEpochReport]
  /// The factor rows were scaled by while training.
  public var inputScale: Float
  /// Dead latents by the tracker at the end.
  public var deadLatents: [Int32]
  /// Seconds of the whole run but the held-out evaluations: the statistics pass, the
  /// initialization (geometric median) and every epoch, reading included.
  public var trainingSeconds: Double
  /// Training steps taken.
  public var steps: Int
}

/// Trains a sparse autoencoder on a source of batches (`SAEBatchSource`), evaluating it on
/// held-out rows after every epoch.
public enum SAETraining {
  /// The steps a run takes: ⌈rows / batch⌉ per epoch.
  public static func totalSteps(rows: Int, settings: SAETrainingSettings) -> Int {
    settings.epochs * ((rows + settings.batchSize - 1) / settings.batchSize)
  }

  /// Trains with `settings` on `source`: one pass for the mean squared norm and the
  /// geometric-median sample (the first rows of epoch 0's order), then `settings.epochs`
  /// epochs. `started` gets the first pass's mean squared norm before the first step (so a
  /// fault in the data, found by that pass, comes before anything is reported); `report` gets
  /// each epoch's report; `stepDone(step, totalSteps, loss)` each step's.
  /// - Throws: what the source or the held-out set throws.
  public static func train(
    _ settings: SAETrainingSettings, source: inout some SAEBatchSource, heldOut: (some SAERowSet)?,
    started: (Double) -> Void = { _ in }, report: (SAEEpochReport) -> Void = { _ in },
    stepDone: (Int, Int, SAEBatchLoss) -> Void = { _, _, _ in }
  ) throws -> SAETrainingResult {
    let (d, rows) = (source.columns, source.rowCount)
    precondition(rows > 0, "SAETraining: no training rows")
    let clock = DispatchTime.now().uptimeNanoseconds
    var evaluationNanoseconds: UInt64 = 0
    var batch = [Float](repeating: 0, count: settings.batchSize * d)
    let (sample, meanSquaredNorm) = try statistics(&source, batch: &batch, sampleRows: settings.medianSampleRows)
    var trainer = SAETrainer(settings: settings, sample: sample, meanSquaredNorm: meanSquaredNorm, rowsPerEpoch: rows)
    started(meanSquaredNorm)
    let total = totalSteps(rows: rows, settings: settings)
    var reports = [SAEEpochReport]()
    for epoch in 0..<settings.epochs {
      let started = DispatchTime.now().uptimeNanoseconds
      try source.startEpoch(epoch)
      var losses = EpochLosses()
      while true {
        let count = try batch.withUnsafeMutableBufferPointer {
          try source.next(into: $0.baseAddress!, capacity: settings.batchSize)
        }
        guard count > 0 else { break }
        let loss = batch.withUnsafeMutableBufferPointer {
          trainer.step($0.baseAddress!, rows: count, totalSteps: total)
        }
        try SAETraining.checkConverging(loss, step: trainer.steps)
        losses.add(loss)
        stepDone(trainer.steps, total, loss)
      }
      let epochReport = try losses.report(
        epoch: epoch, started: started, trainer: trainer, heldOut: heldOut,
        evaluationNanoseconds: &evaluationNanoseconds)
      reports.append(epochReport)
      report(epochReport)
    }
    return result(of: trainer, epochs: reports, started: clock, evaluationNanoseconds: evaluationNanoseconds)
  }

  /// Throws `SAETrainingError.diverged` when a step's loss is not finite, so a run whose
  /// parameters overflowed stops at once and nothing is written.
  static func checkConverging(_ loss: SAEBatchLoss, step: Int) throws(SAETrainingError) {
    guard loss.total.isFinite else { throw .diverged(step: step, loss: loss.total) }
  }

  /// The outcome of a run that began at `clock` (uptime nanoseconds), its evaluations' time left out.
  static func result(
    of trainer: SAETrainer, epochs: [SAEEpochReport], started clock: UInt64, evaluationNanoseconds: UInt64
  )
    -> SAETrainingResult
  {
    let elapsed = DispatchTime.now().uptimeNanoseconds - clock - evaluationNanoseconds
    return SAETrainingResult(
      autoencoder: trainer.autoencoder, epochs: epochs, inputScale: trainer.inputScale,
      deadLatents: trainer.deadLatents, trainingSeconds: Double(elapsed) / 1e9, steps: trainer.steps)
  }

  /// One pass over the source (epoch 0's order): the mean squared row norm, and the first
  /// `sampleRows` rows as the sample that initializes b_dec.
  static func statistics(_ source: inout some SAEBatchSource, batch: inout [Float], sampleRows: Int) throws -> (
    Tensor, Double
  ) {
    let d = source.columns
    let (sample, squares, rows) = try sourceStatistics(&source, batch: &batch, sampleRows: sampleRows)
    return (Tensor(shape: [sample.count / Swift.max(1, d), d], scalars: sample), squares / Double(Swift.max(1, rows)))
  }

  /// One pass over a source (epoch 0's order): its first `sampleRows` rows, Σ ||x||² and its rows.
  static func sourceStatistics(_ source: inout some SAEBatchSource, batch: inout [Float], sampleRows: Int) throws
    -> ([Float], Double, Int)
  {
    let d = source.columns
    let capacity = batch.count / Swift.max(1, d)
    try source.startEpoch(0)
    var sample = [Float]()
    var (squares, rows) = (0.0, 0)
    while true {
      let count = try batch.withUnsafeMutableBufferPointer {
        try source.next(into: $0.baseAddress!, capacity: capacity)
      }
      guard count > 0 else { break }
      for e in 0..<(count * d) { squares += Double(batch[e]) * Double(batch[e]) }
      let wanted = Swift.min(count, sampleRows - sample.count / Swift.max(1, d))
      if wanted > 0 { sample.append(contentsOf: batch[0..<(wanted * d)]) }
      rows += count
    }
    return (sample, squares, rows)
  }
}

/// The sums over an epoch's steps of their losses, and the epoch's report from them.
struct EpochLosses {
  var fvu = 0.0
  var fvuSteps = 0
  var aux = 0.0
  var l0 = 0.0
  var sparsity = 0.0
  var steps = 0

  mutating func add(_ loss: SAEBatchLoss) {
    (aux, l0, sparsity, steps) = (aux + loss.auxFVU, l0 + loss.l0, sparsity + loss.sparsityTerm, steps + 1)
    if loss.rowsVary { (fvu, fvuSteps) = (fvu + loss.fvu, fvuSteps + 1) }
  }

  /// The report of an epoch that began at `started` (uptime nanoseconds): the steps' mean
  /// losses, and the held-out metrics when there are held-out rows (the seconds they take are
  /// added to `evaluationNanoseconds`, not to the epoch's).
  func report(
    epoch: Int, started: UInt64, trainer: SAETrainer, heldOut: (some SAERowSet)?,
    evaluationNanoseconds: inout UInt64
  ) throws -> SAEEpochReport {
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    let count = Double(Swift.max(1, steps))
    let evaluationStart = DispatchTime.now().uptimeNanoseconds
    let evaluation = try heldOut.map { try SAEEvaluation.evaluate(trainer.autoencoder, on: $0) }
    evaluationNanoseconds += DispatchTime.now().uptimeNanoseconds - evaluationStart
    return SAEEpochReport(
      epoch: epoch, trainingFVU: fvuSteps > 0 ? fvu / Double(fvuSteps) : nil, auxFVU: aux / count, l0: l0 / count,
      sparsityTerm: sparsity / count,
      deadFraction: Double(trainer.deadLatents.count) / Double(trainer.settings.latents), heldOut: evaluation,
      seconds: seconds)
  }
}
