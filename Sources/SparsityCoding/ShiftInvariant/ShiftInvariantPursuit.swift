import Foundation
import SparsityCore

/// Matching pursuit of a whole signal over every shift of K unit-norm atoms of length L: the
/// shift-invariant sparse code ("spikegram") of Smith and Lewicki,
///
///     x[n] ~= sum_s a_s h_{k_s}[n - t_s],
///
/// found greedily: with r the residual (initially x) and c[k, t] = <r[t ..< t + L], h_k> the
/// correlation of r with atom k shifted to t (t = 0 ... N - L, atoms wholly inside the signal),
/// each step picks (k, t) = argmax |c[k, t]|, records the spike (k, t, a = c[k, t]), and
/// subtracts a h_k at t from r, which lowers ||r||^2 by exactly a^2. The correlations are
/// computed once by overlap-save FFT (`crossCorrelation`) and then updated, not recomputed:
/// the subtraction changes c[j, t + d] only for |d| < L, by -a G[k, j, d] with G the atoms'
/// cross-correlations at every lag (`filterCrossCorrelations`, computed once). That is
/// 2 K (2L - 1) flops a spike; recomputing the window directly would cost L times more
/// (K (2L - 1) L). The correlations are stored shift-major (T x K), so that a spike's update is
/// one contiguous run of (2L - 1) K values; block maxima in a tournament tree
/// (`CorrelationMaxima`) are refreshed in the same pass and find the next argmax without a scan
/// of all K (N - L + 1) correlations. Ties go to the earliest shift, then the lowest atom. A
/// shift may be picked more than once (its amplitudes then add up).
///
/// Speed: for a long signal the correlations do not fit in cache, and each spike's update
/// streams its window (about 8 K L bytes) from memory through one C kernel per instruction set
/// (`subtractScaledReturningMaximumMagnitude`): memory bandwidth, not flops, sets the cost per
/// spike (about 8 us for K = 32, L = 256 on a 60 s signal at 16 kHz, measured on a 2-core Xeon
/// with AVX-512, against about 450 us to recompute the window directly).
///
/// Plain matching pursuit, as Smith and Lewicki use: amplitudes are not refitted by least
/// squares after the pursuit, so a spike placed early keeps its amplitude when later spikes of
/// overlapping atoms explain part of the same waveform (orthogonal matching pursuit would
/// refit; at thousands of spikes per second its cost is not worth it here).
///
/// Precision: correlations are kept in Float and each is updated once per spike within L - 1
/// samples of it; the residual is updated directly, so `ShiftInvariantCode.residual` is exact
/// up to one rounding per update, and its energy is summed again at the end.
///
/// - Complexity: the FFT correlation O(N K log L) once, then O(K L + K blockSize +
///   log(N / blockSize)) per spike; memory K (N - L + 1) floats of correlations
///   (`MemoryEstimate.shiftInvariantPursuit`).
/// Reference: E. Smith and M. S. Lewicki, "Efficient coding of time-relative structure using
/// spikes", Neural Computation 17(1), 2005; "Efficient auditory coding", Nature 439, 2006;
/// S. Mallat and Z. Zhang, "Matching pursuits with time-frequency dictionaries", IEEE Trans.
/// Signal Processing 41(12), 1993.
public struct ShiftInvariantPursuit: Sendable {
  /// The atoms h_k, K x L, unit-norm rows.
  public let atoms: Tensor
  /// G[k, d + L - 1, j] = sum_i h_j[i] h_k[i + d], K x (2L - 1) x K: for a spike of atom k, the
  /// changes of all K correlations at one shift are contiguous.
  let crossCorrelations: Tensor

  /// A pursuit over `atoms` (K x L, K >= 1, each row of unit norm within 1e-3 in squared norm).
  /// - Complexity: O(K^2 L log L) for the atoms' cross-correlations.
  public init(atoms: Tensor) {
    precondition(
      atoms.rank == 2 && atoms.rows >= 1 && atoms.columns >= 1,
      "ShiftInvariantPursuit: atoms must be K x L with K, L >= 1, shape \(atoms.shape)")
    let l = atoms.columns
    for k in 0..<atoms.rows {
      let norm = (0..<l).reduce(0.0) { $0 + Double(atoms.scalars[k * l + $1]) * Double(atoms.scalars[k * l + $1]) }
      precondition(abs(norm - 1) <= 1e-3, "ShiftInvariantPursuit: atom \(k) has squared norm \(norm), not 1")
    }
    self.atoms = atoms
    let (k, lags) = (atoms.rows, 2 * l - 1)
    let g = filterCrossCorrelations(atoms)  // K x K x lags
    var transposed = Tensor(zeros: [k, lags, k])
    for a in 0..<k {
      for j in 0..<k {
        for d in 0..<lags { transposed.scalars[(a * lags + d) * k + j] = g.scalars[(a * k + j) * lags + d] }
      }
    }
    crossCorrelations = transposed
  }

  /// The number of atoms K.
  public var atomCount: Int { atoms.rows }
  /// The atom length L.
  public var atomLength: Int { atoms.columns }

  /// The spikes of `signal` until `rule` says stop.
  /// - Complexity: see the type's summary; check `MemoryEstimate.shiftInvariantPursuit` first
  ///   for long signals.
  public func encode(_ signal: [Float], stoppingAt rule: PursuitStoppingRule) -> ShiftInvariantCode {
    var code = encodeInPickOrder(signal, stoppingAt: rule)
    code.spikes.sort { ($0.time, $0.atom) < ($1.time, $1.atom) }
    return code
  }

  /// `encode` with the spikes in the order they were picked.
  func encodeInPickOrder(_ signal: [Float], stoppingAt rule: PursuitStoppingRule) -> ShiftInvariantCode {
    let (k, l, n) = (atomCount, atomLength, signal.count)
    let signalEnergy = signal.reduce(0.0) { $0 + Double($1) * Double($1) }
    var residual = signal
    guard n >= l else {
      return ShiftInvariantCode(
        spikes: [], residual: residual, signalEnergy: signalEnergy, residualEnergy: signalEnergy, stopReason: .exhausted
      )
    }
    var correlations = crossCorrelation(signal, filters: atoms, layout: .shiftsByFilters)
    var state = PursuitState(
      atoms: k, length: l, outputs: n - l + 1, signalEnergy: signalEnergy,
      limit: rule.spikeLimit?.count(signalLength: n) ?? n,
      rule: rule)
    correlations.scalars.withUnsafeMutableBufferPointer { c in
      residual.withUnsafeMutableBufferPointer { r in
        atoms.scalars.withUnsafeBufferPointer { h in
          crossCorrelations.scalars.withUnsafeBufferPointer { g in
            state.run(c.baseAddress!, r.baseAddress!, atoms: h.baseAddress!, crossCorrelations: g.baseAddress!)
          }
        }
      }
    }
    let residualEnergy = residual.reduce(0.0) { $0 + Double($1) * Double($1) }
    return ShiftInvariantCode(
      spikes: state.spikes, residual: residual, signalEnergy: signalEnergy, residualEnergy: residualEnergy,
      stopReason: state.stopReason)
  }
}

/// The loop of one `encode` call.
private struct PursuitState {
  let atoms: Int
  let length: Int
  /// T = N - L + 1 shifts.
  let outputs: Int
  let signalEnergy: Double
  let limit: Int
  let rule: PursuitStoppingRule
  /// The residual energy at which `rule`'s signal-to-residual target is met (-1: no target).
  let targetEnergy: Double
  var residualEnergy: Double
  var spikes: [Spike] = []
  var stopReason = PursuitStopReason.exhausted

  init(atoms: Int, length: Int, outputs: Int, signalEnergy: Double, limit: Int, rule: PursuitStoppingRule) {
    (self.atoms, self.length, self.outputs, self.signalEnergy) = (atoms, length, outputs, signalEnergy)
    (self.limit, self.rule, residualEnergy) = (limit, rule, signalEnergy)
    targetEnergy = rule.signalToResidualDecibels.map { signalEnergy * Foundation.pow(10, -$0 / 10) } ?? -1
  }

  /// Why to stop before the next spike, whose |correlation| would be `largest`; nil to go on.
  func stop(largest: Float) -> PursuitStopReason? {
    if spikes.count >= limit { return rule.spikeLimit == nil ? .exhausted : .spikeLimit }
    if residualEnergy <= targetEnergy { return .signalToResidualRatio }
    if let threshold = rule.correlationThreshold, largest < threshold { return .correlationThreshold }
    return largest > 0 ? nil : .exhausted
  }

  /// Picks, records and subtracts spikes until a criterion holds. c is T x K, r has N samples,
  /// h is K x L, g is K x (2L - 1) x K.
  mutating func run(
    _ c: UnsafeMutablePointer<Float>, _ r: UnsafeMutablePointer<Float>, atoms h: UnsafePointer<Float>,
    crossCorrelations g: UnsafePointer<Float>
  ) {
    var maxima = CorrelationMaxima(c, rows: outputs, columns: atoms)
    let (l, lags) = (length, 2 * length - 1)
    while true {
      if let reason = stop(largest: maxima.maximum) {
        stopReason = reason
        return
      }
      let (t, k) = maxima.argmax(c)
      let a = c[t * atoms + k]
      spikes.append(Spike(atom: k, time: t, amplitude: a))
      residualEnergy -= Double(a) * Double(a)
      let atom = h + k * l
      for i in 0..<l { r[t + i] -= a * atom[i] }
      // c[t + d, j] -= a G[k, d, j] for the shifts t + d in 0..<T: one contiguous run.
      let (lo, hi) = (Swift.max(0, t - (l - 1)), Swift.min(outputs, t + l))
      maxima.subtract(a, g + (k * lags + lo - t + l - 1) * atoms, rows: lo..<hi, from: c)
    }
  }
}
