// Shift-invariant coding of whole sounds as `sparsity spikegram` runs it: learning the atoms,
// coding each signal, and measuring it against the STFT with as many coefficients.

import Foundation
import SparsityCoding
import SparsityCore
import SparsityIO

/// The settings of `sparsity spikegram`: the atoms learned (when they are) and the spike budget.
public struct SpikegramSettings: Equatable, Sendable {
  /// K, the atoms learned.
  public var atoms = 64
  /// L, samples per atom.
  public var atomLength = 256
  /// Learning iterations, each coding `segments` random segments of `segmentLength` samples.
  public var iterations = 200
  /// Segments coded per learning iteration.
  public var segments = 8
  /// Samples per learning segment (shorter signals are coded whole).
  public var segmentLength = 8000
  /// Spikes per second of sound, in learning and in coding.
  public var spikesPerSecond = 1000.0
  /// Stop coding earlier when the signal-to-residual ratio reaches this many decibels.
  public var targetDecibels: Double?
  /// The seed of every random choice of the learning.
  public var seed: UInt64 = 0
  /// After the pursuit, refit the spikes' amplitudes by least squares
  /// (`ShiftInvariantCode.refitted(atoms:iterations:)`).
  public var refit = true

  /// The defaults of `sparsity spikegram`.
  public init() {}

  /// The pursuit's stopping rule at `sampleRate`.
  public func stoppingRule(sampleRate: Int) -> PursuitStoppingRule {
    PursuitStoppingRule(
      spikeLimit: .perSecond(spikesPerSecond, sampleRate: Double(sampleRate)), signalToResidualDecibels: targetDecibels)
  }

  /// Throws unless at most one spike per sample is asked for at `sampleRate` (beyond that the
  /// pursuit only picks the same places again, and an iteration of learning took minutes).
  public func checkSpikeRate(sampleRate: Int) throws(ExperimentError) {
    guard spikesPerSecond <= Double(sampleRate) else {
      throw .invalidSetting(
        option: "spikes-per-second", value: String(format: "%g", spikesPerSecond),
        expected: "at most the sample rate, \(sampleRate) per second (one spike per sample)")
    }
  }

  /// The warning for learning with these settings at `sampleRate` when it would take more than a
  /// day (`LongRunWarning`): per iteration, each segment's correlations with every atom (an FFT
  /// of about 12 multiply-adds per sample, atom and doubling of the block) and each spike's
  /// update of 2L - 1 correlations of every atom.
  public func longRunWarning(sampleRate: Int) -> String? {
    let samples = Double(segments) * Double(Swift.max(segmentLength, atomLength))
    let spikes = Swift.min(samples, samples * spikesPerSecond / Double(sampleRate))
    let perIteration =
      samples * Double(atoms) * 12 * log2(Double(Swift.max(2, 4 * atomLength)))
      + spikes * Double(atoms) * Double(2 * atomLength - 1)
    return LongRunWarning.message(
      "spikegram --iterations \(iterations) --kernels \(atoms) --kernel-length \(atomLength)",
      multiplyAdds: perIteration * Double(iterations))
  }

  /// The learner's settings at `sampleRate` (least-squares atom updates, centered atoms, unused
  /// atoms resampled, initialized from windowed segments of the sound).
  public func learning(sampleRate: Int) -> ShiftInvariantLearningSettings {
    ShiftInvariantLearningSettings(
      atoms: atoms, atomLength: atomLength, segmentLength: Swift.max(segmentLength, atomLength),
      segmentsPerIteration: segments, iterations: iterations, stoppingRule: stoppingRule(sampleRate: sampleRate),
      seed: seed)
  }
}

/// The shift-invariant code of one signal and how good it is.
public struct SpikegramCode: Sendable {
  /// The file the signal came from.
  public var file: String
  /// The code: spikes sorted by time, and the residual.
  public var code: ShiftInvariantCode
  /// The reconstruction from the spikes.
  public var reconstruction: [Float]
}

/// Learning, coding and measuring shift-invariant codes of sounds.
public enum Spikegram {
  /// Atoms learned on `signals` at `sampleRate` with `settings`; `progress(iteration, of, SNR dB)`.
  /// - Throws: `MemoryBudgetError` when an iteration cannot fit in memory;
  ///   `ExperimentError.unusableData` when no signal is as long as an atom.
  public static func learn(
    _ signals: [[Float]], sampleRate: Int, settings: SpikegramSettings,
    progress: (Int, Int, Double) -> Void = { _, _, _ in }
  ) throws -> Tensor {
    try settings.checkSpikeRate(sampleRate: sampleRate)
    guard signals.contains(where: { $0.count >= settings.atomLength }) else {
      throw ExperimentError.unusableData(
        "spikegram --learn: no sound is as long as an atom (\(settings.atomLength) samples)")
    }
    let learning = settings.learning(sampleRate: sampleRate)
    let perSegment = learning.stoppingRule.spikeLimit?.count(signalLength: learning.segmentLength) ?? 0
    try MemoryBudget.check(
      .shiftInvariantLearning(learning, spikesPerSegment: perSegment),
      for: "spikegram --kernels \(settings.atoms) --kernel-length \(settings.atomLength)")
    let learner = ShiftInvariantLearner(settings: learning)
    learner.initialize(from: signals)
    for done in 0..<learning.iterations {
      let iteration = learner.step(signals)
      progress(done + 1, learning.iterations, iteration.signalToResidualDecibels)
    }
    return learner.atoms
  }

  /// The codes of `signals` (from `files`) over `atoms`.
  /// - Throws: `MemoryBudgetError` when a signal's pursuit cannot fit in memory.
  public static func code(
    _ signals: [[Float]], files: [String], atoms: Tensor, sampleRate: Int, settings: SpikegramSettings
  ) throws -> [SpikegramCode] {
    try settings.checkSpikeRate(sampleRate: sampleRate)
    let pursuit = ShiftInvariantPursuit(atoms: atoms)
    let rule = settings.stoppingRule(sampleRate: sampleRate)
    return try zip(signals, files).map { signal, file in
      let spikes = rule.spikeLimit?.count(signalLength: signal.count) ?? signal.count
      try MemoryBudget.check(
        .shiftInvariantPursuit(samples: signal.count, atoms: atoms.rows, atomLength: atoms.columns, spikes: spikes),
        for: "spikegram: coding '\(file)' (\(signal.count) samples) over \(atoms.rows) atoms of \(atoms.columns)")
      let pursued = pursuit.encode(signal, stoppingAt: rule)
      let code = settings.refit ? pursued.refitted(atoms: atoms) : pursued
      return SpikegramCode(file: file, code: code, reconstruction: code.reconstruction(atoms: atoms))
    }
  }

  /// The frame lengths the STFT baseline tries.
  public static let stftFrameLengths = [128, 256, 512, 1024]

  /// The STFT baseline of shift-invariant coding: each signal rebuilt from as many complex STFT
  /// coefficients as it has spikes, the largest over the whole signal, with the frame length of
  /// `stftFrameLengths` that gives the best SNR over all signals (frames every half frame,
  /// periodic sqrt-Hann, which reconstructs exactly with every coefficient). A complex
  /// coefficient counts as one, as a spike does, though it holds two numbers (a spike holds an
  /// atom number, a time and one amplitude).
  /// - Returns: the rebuilt signals, their SNR in dB over all signals, and the frame length.
  public static func stftBaseline(_ signals: [[Float]], spikeCounts: [Int]) -> (
    signals: [[Float]], decibels: Double, frameLength: Int
  ) {
    let original = signals.flatMap { $0 }
    var best: (signals: [[Float]], decibels: Double, frameLength: Int) = (signals.map { _ in [] }, -.infinity, 0)
    for length in stftFrameLengths {
      let stft = STFT.perfectReconstruction(frameLength: length)
      let rebuilt = zip(signals, spikeCounts).map { signal, count in
        stft.reconstruction(of: signal, keeping: .total(count))
      }
      let decibels = SignalToNoise.decibels(signal: original, approximation: rebuilt.flatMap { $0 })
      if decibels > best.decibels || best.frameLength == 0 { best = (rebuilt, decibels, length) }
    }
    return best
  }

  /// The signal SNR of shift-invariant codes at each rate of `rates` (spikes per second) and of
  /// the STFT baseline with the same number of coefficients, over all `signals`.
  public static func curve(
    _ signals: [[Float]], atoms: Tensor, sampleRate: Int, rates: [Double], refit: Bool = true
  ) -> SNRCurve {
    let pursuit = ShiftInvariantPursuit(atoms: atoms)
    let original = signals.flatMap { $0 }
    var learned: [Double] = []
    var reference: [Double] = []
    for rate in rates {
      let rule = PursuitStoppingRule.spikes(.perSecond(rate, sampleRate: Double(sampleRate)))
      let codes = signals.map { signal in
        let code = pursuit.encode(signal, stoppingAt: rule)
        return refit ? code.refitted(atoms: atoms) : code
      }
      let coded = codes.flatMap { $0.reconstruction(atoms: atoms) }
      learned.append(SignalToNoise.decibels(signal: original, approximation: coded))
      reference.append(stftBaseline(signals, spikeCounts: codes.map(\.spikes.count)).decibels)
    }
    return SNRCurve(
      budget: "coefficients per second", baseline: "STFT, largest complex coefficients (best frame length)",
      counts: rates,
      learned: learned, reference: reference)
  }
}
