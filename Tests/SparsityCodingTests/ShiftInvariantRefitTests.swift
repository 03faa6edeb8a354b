import Foundation
import SparsityCore
import Testing

@testable import SparsityCoding

@Suite struct ShiftInvariantRefitTests {
  /// Two unit-norm atoms of 32 samples: a Hann-windowed 3-cycle and 5-cycle sine.
  static let atoms: Tensor = {
    let l = 32
    let rows = [3.0, 5.0].map { cycles -> [Float] in
      let raw = (0..<l).map { i -> Double in
        let phase = 2 * Double.pi * Double(i) / Double(l)
        return (0.5 - 0.5 * cos(phase)) * sin(cycles * phase)
      }
      let norm = raw.reduce(0) { $0 + $1 * $1 }.squareRoot()
      return raw.map { Float($0 / norm) }
    }
    return Tensor(rows: rows)
  }()

  /// Overlapping spikes with wrong amplitudes get the exact ones back: CG on the normal
  /// equations of 4 unknowns converges in at most 4 iterations in exact arithmetic, so the 8 leave
  /// only rounding (bounded here by 1e-4 for amplitudes near 1 and a well-conditioned Phi).
  @Test func refitRecoversTheAmplitudesOfOverlappingSpikes() {
    let truth = [
      Spike(atom: 0, time: 10, amplitude: 1), Spike(atom: 1, time: 18, amplitude: -0.7),
      Spike(atom: 0, time: 30, amplitude: 0.5), Spike(atom: 1, time: 70, amplitude: 0.9),
    ]
    let x = ShiftInvariantCode.synthesize(truth, atoms: Self.atoms, length: 120)
    let guessed = truth.map { Spike(atom: $0.atom, time: $0.time, amplitude: $0.amplitude * 0.6) }
    let rebuilt = ShiftInvariantCode.synthesize(guessed, atoms: Self.atoms, length: 120)
    let residual = zip(x, rebuilt).map { $0 - $1 }
    let code = ShiftInvariantCode(
      spikes: guessed, residual: residual, signalEnergy: x.reduce(0) { $0 + Double($1 * $1) },
      residualEnergy: residual.reduce(0) { $0 + Double($1 * $1) }, stopReason: .spikeLimit)
    let refit = code.refitted(atoms: Self.atoms)
    for (found, planted) in zip(refit.spikes, truth) {
      #expect(found.atom == planted.atom && found.time == planted.time)
      #expect(abs(found.amplitude - planted.amplitude) < 1e-4, "\(found) vs \(planted)")
    }
    #expect(refit.residualEnergy < 1e-8 * refit.signalEnergy)
    // reconstruction + residual is still the signal.
    let back = zip(refit.reconstruction(atoms: Self.atoms), refit.residual).map { $0 + $1 }
    #expect(zip(back, x).allSatisfy { abs($0 - $1) < 1e-5 })
  }

  /// On a pursuit's code of a signal with noise the refit never raises the residual energy.
  @Test func refitNeverRaisesTheResidual() {
    var random = Xoshiro256StarStar(seed: 3)
    let signal = (0..<2000).map { _ in Float.random(in: -1...1, using: &random) }
    let code = ShiftInvariantPursuit(atoms: Self.atoms).encode(signal, stoppingAt: .spikes(.total(150)))
    let refit = code.refitted(atoms: Self.atoms)
    #expect(refit.residualEnergy <= code.residualEnergy * (1 + 1e-6))
    #expect(refit.spikes.map(\.time) == code.spikes.map(\.time))
  }
}
