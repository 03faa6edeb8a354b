import Foundation
import SparsityCore

/// One event of a shift-invariant code: atom `atom` scaled by `amplitude`, placed to start at
/// sample `time`.
public struct Spike: Sendable, Equatable, Hashable {
  /// The atom's row in the K x L atom matrix.
  public var atom: Int
  /// The first sample the shifted atom covers (0 ... N - L).
  public var time: Int
  /// The atom's weight.
  public var amplitude: Float

  /// A spike of `atom` at `time` with weight `amplitude`.
  public init(atom: Int, time: Int, amplitude: Float) {
    self.atom = atom
    self.time = time
    self.amplitude = amplitude
  }
}

/// Why a `ShiftInvariantPursuit` stopped.
public enum PursuitStopReason: Sendable, Equatable {
  /// The spike limit was reached.
  case spikeLimit
  /// The residual energy fell to the target signal-to-residual ratio.
  case signalToResidualRatio
  /// The largest |correlation| of the residual with a shifted atom fell below the threshold.
  case correlationThreshold
  /// No shifted atom correlates with the residual any more (the largest |correlation| is 0 or
  /// the signal is shorter than an atom), or, without a spike limit, N spikes were placed.
  case exhausted
}

/// A signal x of N samples written as a sum of shifted, scaled atoms (a "spikegram"):
///
///     x[n] = sum_s amplitude_s h_{atom_s}[n - time_s] + residual[n].
public struct ShiftInvariantCode: Sendable {
  /// The spikes, sorted by time, then atom.
  public var spikes: [Spike]
  /// x minus the sum of the spikes' shifted atoms, N samples.
  public var residual: [Float]
  /// ||x||^2, in Double.
  public var signalEnergy: Double
  /// ||residual||^2, in Double, summed from `residual` at the end.
  public var residualEnergy: Double
  /// Why the pursuit stopped.
  public var stopReason: PursuitStopReason

  /// A code from its parts.
  public init(
    spikes: [Spike], residual: [Float], signalEnergy: Double, residualEnergy: Double, stopReason: PursuitStopReason
  ) {
    self.spikes = spikes
    self.residual = residual
    self.signalEnergy = signalEnergy
    self.residualEnergy = residualEnergy
    self.stopReason = stopReason
  }

  /// 10 log10(||x||^2 / ||residual||^2) in decibels: +infinity for an exact code, 0 for none.
  public var signalToResidualRatio: Double {
    if residualEnergy == 0 { return signalEnergy == 0 ? 0 : .infinity }
    return 10 * log10(signalEnergy / residualEnergy)
  }

  /// The sum of the spikes' shifted atoms: x minus the residual. O(spikes L).
  public func reconstruction(atoms: Tensor) -> [Float] {
    Self.synthesize(spikes, atoms: atoms, length: residual.count)
  }

  /// The signal sum_s amplitude_s h_{atom_s}[n - time_s] of `length` samples, from `atoms`
  /// (K x L); every spike must fit: 0 <= time and time + L <= length.
  /// - Complexity: O(spikes L).
  public static func synthesize(_ spikes: [Spike], atoms: Tensor, length: Int) -> [Float] {
    precondition(atoms.rank == 2, "ShiftInvariantCode.synthesize: atoms must be K x L, shape \(atoms.shape)")
    let (k, l) = (atoms.rows, atoms.columns)
    var out = [Float](repeating: 0, count: length)
    for spike in spikes {
      precondition(
        spike.atom >= 0 && spike.atom < k && spike.time >= 0 && spike.time + l <= length,
        "ShiftInvariantCode.synthesize: \(spike) does not fit \(k) atoms of \(l) samples in \(length)")
      for i in 0..<l { out[spike.time + i] += spike.amplitude * atoms.scalars[spike.atom * l + i] }
    }
    return out
  }
}
