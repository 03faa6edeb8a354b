// The memory shift-invariant coding and learning allocate, estimated before anything is
// allocated (`MemoryBudget.check` refuses what cannot fit).

import SparsityCore

extension MemoryEstimate {
  /// What `ShiftInvariantPursuit.encode` allocates for a signal of `samples` samples (N) over
  /// `atoms` atoms (K) of `atomLength` samples (L), placing up to `spikes` spikes: the
  /// correlations K (N - L + 1) (by far the largest part), the residual (N), the atoms' cross-
  /// correlations K x K x (2L - 1), the block maxima, the spikes (24 bytes each, twice while they
  /// are sorted), and the overlap-save filter spectra and per-core block buffers (a block's
  /// outputs for every atom, before they are transposed into place).
  public static func shiftInvariantPursuit(samples: Int, atoms: Int, atomLength: Int, spikes: Int) -> MemoryEstimate {
    let shifts = Swift.max(0, samples - atomLength + 1)
    let lags = Swift.max(1, 2 * atomLength - 1)
    var total = floats(atoms, shifts) + floats(samples) + floats(atoms, atoms, lags) + bytes(shifts / 32 + 2, 8)
    total += bytes(spikes, 48)
    let method = CorrelationMethod.cheapest(signalLength: samples, filterCount: atoms, filterLength: atomLength)
    if case .overlapSave(let blockSize) = method {
      total +=
        floats(atoms, blockSize + 2) + (floats(atoms, blockSize) + floats(3 * blockSize + 4)) * Parallel.threadCount
    }
    return total
  }

  /// What one iteration of `ShiftInvariantLearner` allocates with `settings`: a pursuit's memory
  /// (`shiftInvariantPursuit`) for each segment coded at once (one per core), the codes of all
  /// segments (a residual of `segmentLength` samples and up to `spikesPerSegment` spikes each),
  /// and the atoms with their cross-correlations.
  public static func shiftInvariantLearning(
    _ settings: ShiftInvariantLearningSettings, spikesPerSegment: Int
  ) -> MemoryEstimate {
    let (k, l, length) = (settings.atoms, settings.atomLength, settings.segmentLength)
    let concurrent = Swift.min(Parallel.threadCount, settings.segmentsPerIteration)
    let pursuit = shiftInvariantPursuit(samples: length, atoms: k, atomLength: l, spikes: spikesPerSegment)
    let codes = (floats(length) + bytes(spikesPerSegment, 48)) * settings.segmentsPerIteration
    return pursuit * concurrent + codes + elements([k, l], bytes: 8) + floats(k, k, 2 * l)
  }
}
