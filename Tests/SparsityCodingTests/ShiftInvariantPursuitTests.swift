import Foundation
import SparsityCore
import Testing

@testable import SparsityCoding

/// Matching pursuit over shifted atoms on planted signals, against a Double twin, and its
/// stopping rules. Atoms: `ShiftInvariantFixture.soundAtoms` (gammatones and chirps, L = 128).
@Suite struct ShiftInvariantPursuitTests {
  static let l = 128
  static let atoms = ShiftInvariantFixture.soundAtoms(length: l)
  static let u = 0x1p-24

  /// Starts at least 2L - 1 apart: every window of L samples meets at most one planted spike, so
  /// the correlation at a planted (k, t) is its amplitude a and anywhere else at most
  /// mu |a| with mu = max over (j, d) != (k, 0) of |<h_k, h_j shifted by d>| < 1: each step
  /// finds the largest remaining planted spike exactly and removes it. So the pursuit returns
  /// every planted spike once, exactly in time and atom, with amplitudes off only by the
  /// correlation's rounding (its FFT bound times ||x||, Cauchy-Schwarz per block).
  @Test func recoversSeparatedSpikesExactly() {
    let planted = ShiftInvariantFixture.plantedSpikes(count: 24, atoms: 5, length: Self.l, gaps: 255...400, seed: 1)
    let x = ShiftInvariantCode.synthesize(planted.spikes, atoms: Self.atoms, length: planted.signalLength)
    let code = ShiftInvariantPursuit(atoms: Self.atoms).encode(x, stoppingAt: .spikes(.total(24)))
    #expect(code.stopReason == .spikeLimit)
    #expect(code.spikes.map(\.time) == planted.spikes.map(\.time))
    #expect(code.spikes.map(\.atom) == planted.spikes.map(\.atom))
    let norm = x.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    let factor = ShiftInvariantFixture.correlationErrorFactor(signalLength: x.count, filters: 5, length: Self.l)
    for (found, truth) in zip(code.spikes, planted.spikes) {
      #expect(abs(Double(found.amplitude - truth.amplitude)) <= factor * norm, "\(found) vs \(truth)")
    }
    #expect(code.residualEnergy <= 1e-6 * code.signalEnergy)
  }

  /// Spikes closer than 2L - 1 (windows that straddle two or three spikes; with gaps below L
  /// the atoms themselves overlap), all of amplitude +-2. With I_s = sum_{s' != s} |a_s'|
  /// |<phi_s, phi_s'>| (the coherence-weighted interference at spike s) and
  /// F = max over unplanted (j, t) of sum_s |a_s| |<psi_{j,t}, phi_s>|, at every step the
  /// correlation at a remaining planted spike is within I_s + drift of a_s, one at a removed
  /// spike is at most 2 I_s + 2 drift, and one elsewhere at most F + drift (removed spikes leave
  /// errors smaller than their amplitudes). So when m = min_s (|a_s| - I_s) - drift exceeds
  /// both F + drift and 2 max I + 3 drift, each of |S| steps picks a new planted spike, exactly
  /// in time and atom, with |a' - a_s| <= I_s + drift. The test checks this condition on its
  /// fixture (drift: the FFT correlation's error plus at most three updates per correlation,
  /// see `ShiftInvariantPursuitTwinTests`), then the recovery.
  @Test(arguments: [128...200, 100...127])
  func recoversCloseSpikesUnderCoherenceCondition(gaps: ClosedRange<Int>) {
    var planted = ShiftInvariantFixture.plantedSpikes(count: 20, atoms: 5, length: Self.l, gaps: gaps, seed: 2)
    for i in planted.spikes.indices { planted.spikes[i].amplitude = planted.spikes[i].amplitude < 0 ? -2 : 2 }
    let (spikes, atoms) = (planted.spikes, Self.atoms)
    let x = ShiftInvariantCode.synthesize(spikes, atoms: atoms, length: planted.signalLength)
    let interference = spikes.map { s in
      spikes.filter { $0 != s }.reduce(0.0) { $0 + 2 * abs(ShiftInvariantFixture.inner(s, $1, atoms: atoms)) }
    }
    var unplanted = 0.0
    for t in 0...(x.count - Self.l) {
      for j in 0..<5 where !spikes.contains(where: { $0.time == t && $0.atom == j }) {
        let probe = Spike(atom: j, time: t, amplitude: 1)
        let sum = spikes.reduce(0.0) { $0 + 2 * abs(ShiftInvariantFixture.inner(probe, $1, atoms: atoms)) }
        unplanted = max(unplanted, sum)
      }
    }
    let norm = x.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    let epsC = ShiftInvariantFixture.correlationErrorFactor(signalLength: x.count, filters: 5, length: Self.l)
    let epsG = ShiftInvariantFixture.correlationErrorFactor(blockSize: 256, length: Self.l)
    let drift = epsC * norm + 3 * (Self.u * norm + (2 * Self.u + epsG) * 2)
    let m = 2 - interference.max()! - drift
    let condition = m > unplanted + drift && m > 2 * interference.max()! + 3 * drift
    #expect(condition, "fixture: m \(m), F \(unplanted), drift \(drift)")
    let code = ShiftInvariantPursuit(atoms: atoms).encode(x, stoppingAt: .spikes(.total(spikes.count)))
    #expect(code.spikes.map(\.time) == spikes.map(\.time))
    #expect(code.spikes.map(\.atom) == spikes.map(\.atom))
    for (index, (found, truth)) in zip(code.spikes, spikes).enumerated() {
      #expect(abs(Double(found.amplitude - truth.amplitude)) <= interference[index] + drift, "\(found) vs \(truth)")
    }
  }

  /// The sum of the spikes' atoms plus the residual is the signal, up to one rounding per
  /// subtraction; the tracked residual energy is ||x||^2 - sum a^2 (exact for MP in exact
  /// arithmetic) up to the correlations' rounding.
  @Test func reconstructionPlusResidualIsTheSignal() {
    var generator = Xoshiro256StarStar(seed: 3)
    let x = (0..<4000).map { _ in generator.normal() }
    let code = ShiftInvariantPursuit(atoms: Self.atoms).encode(x, stoppingAt: .spikes(.total(300)))
    #expect(code.spikes.count == 300)
    #expect(zip(code.spikes, code.spikes.dropFirst()).allSatisfy { ($0.time, $0.atom) <= ($1.time, $1.atom) })
    let back = code.reconstruction(atoms: Self.atoms)
    let norm = code.signalEnergy.squareRoot()
    let mismatch = (0..<x.count).reduce(0.0) { $0 + pow(Double(back[$1] + code.residual[$1]) - Double(x[$1]), 2) }
    let rounding = code.spikes.reduce(0.0) { $0 + 2 * Self.u * (norm + Double(abs($1.amplitude))) }
    #expect(mismatch.squareRoot() <= rounding)
    #expect(code.residualEnergy < code.signalEnergy)
  }

  @Test func edgeCases() {
    let pursuit = ShiftInvariantPursuit(atoms: Self.atoms)
    let short = [Float](repeating: 1, count: Self.l - 1)
    let none = pursuit.encode(short, stoppingAt: .spikes(.total(5)))
    #expect(none.spikes.isEmpty && none.stopReason == .exhausted && none.residual == short)
    let silent = pursuit.encode([Float](repeating: 0, count: 1000), stoppingAt: .spikes(.total(5)))
    #expect(silent.spikes.isEmpty && silent.stopReason == .exhausted && silent.signalToResidualRatio == 0)
    #expect(SpikeLimit.perSecond(250, sampleRate: 16_000).count(signalLength: 32_000) == 500)
  }

  /// Each criterion stops the pursuit when it should: a spike rate, a correlation threshold (the
  /// largest |correlation| of the returned residual, recomputed in Double, is below it up to the
  /// maintained correlations' drift), and a signal-to-residual target.
  @Test func stoppingRules() {
    var generator = Xoshiro256StarStar(seed: 4)
    let x = (0..<16_000).map { _ in generator.normal() }
    let pursuit = ShiftInvariantPursuit(atoms: Self.atoms)
    let rated = pursuit.encode(x, stoppingAt: .spikes(.perSecond(40, sampleRate: 16_000)))
    #expect(rated.spikes.count == 40 && rated.stopReason == .spikeLimit)

    let thresholded = pursuit.encode(x, stoppingAt: PursuitStoppingRule(correlationThreshold: 2))
    #expect(thresholded.stopReason == .correlationThreshold)
    let remaining = crossCorrelationReference(thresholded.residual, filters: Self.atoms).scalars.map { abs($0) }.max()!
    let drift = ShiftInvariantPursuitTwinTests.drift(
      norm: thresholded.signalEnergy.squareRoot(), picks: thresholded.spikes.count, length: x.count)
    #expect(Double(remaining) < 2 + drift)
    #expect(thresholded.spikes.allSatisfy { abs($0.amplitude) >= 2 - Float(drift) })

    let targeted = pursuit.encode(x, stoppingAt: PursuitStoppingRule(signalToResidualDecibels: 1))
    #expect(targeted.stopReason == .signalToResidualRatio)
    let targetDrift = ShiftInvariantPursuitTwinTests.drift(
      norm: targeted.signalEnergy.squareRoot(), picks: targeted.spikes.count, length: x.count)
    let norm = targeted.signalEnergy.squareRoot()
    // |true - tracked energy| <= 2 sum |a| drift; the stored residual's rounding adds 2 ||x|| times its norm bound.
    let slack = targeted.spikes.reduce(0.0) {
      $0 + 2 * Double(abs($1.amplitude)) * targetDrift + 2 * norm * 2 * Self.u * (norm + Double(abs($1.amplitude)))
    }
    #expect(targeted.residualEnergy <= targeted.signalEnergy * pow(10, -0.1) + slack)
  }

  /// The memory estimate is led by the K (N - L + 1) correlations and overflows for absurd sizes.
  @Test func memoryEstimate() {
    let estimate = MemoryEstimate.shiftInvariantPursuit(samples: 960_000, atoms: 32, atomLength: 256, spikes: 120_000)
    let bytes = estimate.bytes ?? 0
    #expect(bytes >= 4 * 32 * (960_000 - 255) && bytes < 2 * 4 * 32 * 960_000)
    #expect(
      MemoryEstimate.shiftInvariantPursuit(samples: Int.max / 2, atoms: 64, atomLength: 256, spikes: 0).overflowed)
  }
}
