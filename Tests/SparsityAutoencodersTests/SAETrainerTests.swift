import Foundation
import SparsityCore
import Testing

@testable import SparsityAutoencoders

/// The fused step (backward pass and Adam update latent by latent) against the unfused
/// reference, and its independence from the thread count.
@Suite struct SAETrainerTests {
  static let (rows, inputs, latents) = (40, 24, 96)

  static let objectives: [SAEObjective] = [
    .topK(k: 4), .batchTopK(k: 3), .l1(coefficient: 0.05), .jumpReLU(coefficient: 0.02, bandwidth: 0.05),
  ]

  /// A trainer on seeded rows whose dead window is one batch, so AuxK runs from the second step.
  static func trainer(_ objective: SAEObjective) -> (SAETrainer, [[Float]]) {
    var generator = Xoshiro256StarStar(seed: 11)
    let batches = (0..<4).map { _ in (0..<(rows * inputs)).map { _ in generator.normal() + 0.5 } }
    var settings = SAETrainingSettings(objective: objective, latents: latents)
    settings.batchSize = rows
    settings.learningRate = 1e-2
    settings.deadWindow = rows
    settings.initialThreshold = 0.05
    settings.seed = 3
    let sample = Tensor(shape: [rows, inputs], scalars: batches[0])
    let trainer = SAETrainer(settings: settings, sample: sample, meanSquaredNorm: 2, rowsPerEpoch: 4 * rows)
    return (trainer, batches)
  }

  static func run(_ trainer: inout SAETrainer, _ batches: [[Float]], fused: Bool) -> [SAEBatchLoss] {
    batches.map { batch in
      var batch = batch
      return batch.withUnsafeMutableBufferPointer {
        fused
          ? trainer.step($0.baseAddress!, rows: rows, totalSteps: 8)
          : trainer.referenceStep($0.baseAddress!, rows: rows, totalSteps: 8)
      }
    }
  }

  /// The two paths make the same operations in the same order except two sums (W_encᵀ ∂L/∂b_enc
  /// by blocks of latents against BLAS's gemv, and the L1 term's row norms), whose roundings
  /// (relative 2^-24 per term over at most 96 terms) change an Adam step of at most η = 1e-2 by
  /// far less than 1e-5 over four steps; a wrong gradient term would move parameters by about η.
  @Test(arguments: objectives)
  func fusedStepMatchesTheUnfusedReference(objective: SAEObjective) {
    var (fused, batches) = Self.trainer(objective)
    var reference = fused
    let fusedLosses = Self.run(&fused, batches, fused: true)
    let referenceLosses = Self.run(&reference, batches, fused: false)
    let (a, b) = (fused.parameters, reference.parameters)
    for (name, x, y) in [
      ("W_enc", a.encoder, b.encoder), ("W_dec", a.decoder, b.decoder), ("b_enc", a.encoderBias, b.encoderBias),
      ("b_dec", a.decoderBias, b.decoderBias), ("log θ", a.logThresholds, b.logThresholds),
    ] {
      let worst = zip(x, y).map { abs($0 - $1) }.max() ?? 0
      #expect(worst <= 1e-5, "\(objective) \(name): parameters differ by \(worst)")
    }
    for (f, r) in zip(fusedLosses, referenceLosses) {
      #expect(abs(f.total - r.total) <= 1e-5 * abs(r.total), "\(objective): loss \(f.total) against \(r.total)")
    }
    if objective.usesAuxK { #expect(fusedLosses.last!.auxFVU > 0, "\(objective): AuxK never ran") }
    #expect(a.decoder != SAETrainerTests.trainer(objective).0.parameters.decoder, "\(objective): nothing was learned")
  }

  /// Shapes small enough for one BLAS call (so the encoder's product is split the same way on any
  /// thread count) and latents in several blocks of the fused pass: the same bits on one thread
  /// and on all of them.
  @Test(arguments: objectives)
  func fusedStepGivesTheSameBitsOnAnyThreadCount(objective: SAEObjective) {
    var (threaded, batches) = Self.trainer(objective)
    var single = threaded
    #expect(Self.latents > 2 * SAEGradient.updateBlock)
    let threadedLosses = Self.run(&threaded, batches, fused: true)
    let singleLosses = Parallel.withThreadCount(1) { Self.run(&single, batches, fused: true) }
    #expect(threaded.parameters == single.parameters, "\(objective)")
    #expect(threadedLosses == singleLosses, "\(objective)")
  }

  /// Each latent's threshold sits halfway between its ⌈rows · l0 / latents⌉-th largest
  /// pre-activation on the sample and the next, so each latent fires on exactly that many sample
  /// rows and the initial L0 is latents · rank / rows.
  @Test func thresholdsFromTheDataStartAtTheRequestedL0() {
    var generator = Xoshiro256StarStar(seed: 5)
    let sample = Tensor(
      shape: [Self.rows, Self.inputs], scalars: (0..<(Self.rows * Self.inputs)).map { _ in generator.normal() })
    var settings = SAETrainingSettings(objective: .jumpReLU(coefficient: 0.01, bandwidth: 0.01), latents: Self.latents)
    settings.initialL0 = 6
    settings.normalizesInputs = false
    let trainer = SAETrainer(settings: settings, sample: sample, meanSquaredNorm: 1, rowsPerEpoch: Self.rows)
    let rank = Int((Double(Self.rows) * 6 / Double(Self.latents)).rounded(.up))
    let codes = trainer.autoencoder.encode(sample)
    #expect(Double(codes.nonzeroCount) / Double(Self.rows) == Double(Self.latents * rank) / Double(Self.rows))
    var firing = [Int](repeating: 0, count: Self.latents)
    for j in codes.columnIndices { firing[Int(j)] += 1 }
    #expect(firing.allSatisfy { $0 == rank }, "firing counts \(Set(firing))")
  }
}

/// Runs that cannot give a model: a diverging one stops, and an FVU without variance is undefined.
@Suite struct SAETrainingFaultTests {
  /// A learning rate of 1e30 overflows the parameters within a few steps: the run throws
  /// `diverged` at the first non-finite loss instead of returning a model.
  @Test func aDivergingRunStops() throws {
    var generator = Xoshiro256StarStar(seed: 2)
    let rows = Tensor(shape: [64, 6], scalars: (0..<384).map { _ in generator.normal() })
    var settings = SAETrainingSettings(objective: .topK(k: 2), latents: 8)
    settings.learningRate = 1e30
    settings.batchSize = 16
    settings.epochs = 2
    var source = InMemoryBatchSource(rows, seed: 1)
    #expect {
      _ = try SAETraining.train(settings, source: &source, heldOut: Tensor?.none)
    } throws: { error in
      guard case .diverged(let step, let loss) = error as? SAETrainingError else { return false }
      return step > 1 && !loss.isFinite
    }
  }

  /// Training on rows that do not vary reports no training FVU (nil), not 0.
  @Test func constantRowsHaveNoTrainingFVU() throws {
    let rows = Tensor(repeating: 0.5, shape: [32, 6])
    var settings = SAETrainingSettings(objective: .topK(k: 2), latents: 8)
    settings.batchSize = 16
    settings.epochs = 1
    var source = InMemoryBatchSource(rows, seed: 1)
    let result = try SAETraining.train(settings, source: &source, heldOut: Tensor?.none)
    #expect(result.epochs.count == 1 && result.epochs[0].trainingFVU == nil)
  }

  /// Rows that are all the same have no variance: the FVU is NaN and says it is undefined,
  /// while the MSE stays what it is.
  @Test func constantRowsHaveNoFVU() throws {
    var generator = Xoshiro256StarStar(seed: 3)
    let autoencoder = SparseAutoencoder(
      encoder: Tensor(shape: [4, 3], scalars: (0..<12).map { _ in generator.normal() }), encoderBias: [0, 0, 0, 0],
      decoder: Tensor(shape: [4, 3], scalars: (0..<12).map { _ in generator.normal() }), decoderBias: [0, 0, 0],
      activation: .topK(1))
    let rows = Tensor(repeating: 1, shape: [10, 3])
    let evaluation = try SAEEvaluation.evaluate(autoencoder, on: rows)
    #expect(evaluation.fvu.isNaN && evaluation.meanSquaredError > 0)
    #expect(evaluation.fvuText == "undefined (the rows do not vary)")
    let varied = try SAEEvaluation.evaluate(autoencoder, on: Tensor(rows: [[1, 2, 3], [0, 1, -1]]))
    #expect(varied.fvu.isFinite && varied.fvuText == String(format: "%.4f", varied.fvu))
  }
}
