// The memory shift-invariant coding and learning allocate, estimated before anything is
// allocated (`MemoryBudget.check` refuses what cannot fit).

import SparsityCore

extension MemoryEstimate {
  /// What `ShiftInvariantPursuit.encode` allocates for a signal of `samples` samples (N) over
  /// `atoms` atoms (K) of `atomLength` samples (L), placing up to `spikes` spikes: the
  /// correlations K (N - L + 1) (by far the largest part), the residual (N), the atoms' cross-
  /// correlations K x K x (2L - 1), the block maxima, the spikes (24 bytes each, twice while they
  /// are sorted), and the overlap-save filter spectra and per-core block buffers.
  public static func shiftInvariantPursuit(samples: Int, atoms: Int, atomLength: Int, spikes: Int) -> MemoryEstimate {
    let shifts = Swift.max(0, samples - atomLength + 1)
    let lags = Swift.max(1, 2 * atomLength - 1)
    var total = floats(atoms, shifts) + floats(samples) + floats(atoms, atoms, lags) + bytes(shifts / 32 + 2, 8)
    total += bytes(spikes, 48)
    let method = CorrelationMethod.cheapest(signalLength: samples, filterCount: atoms, filterLength: atomLength)
    if case .overlapSave(let blockSize) = method {
      total += floats(atoms, blockSize + 2) + floats(3 * blockSize + 4) * Parallel.threadCount
    }
    return total
  }
}
