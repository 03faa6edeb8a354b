// The JSON form of a sparse coding summary, as `sparsity code --json` prints it.

/// `{"samples", "atoms", "solver", "mean_nonzeros", "min_nonzeros", "max_nonzeros",
/// "zero_fraction", "relative_error", "mean_objective", "non_converged", "solver_seconds",
/// "seconds"}`, and for sound `"sound": {"frames", "seconds", "nonzeros_per_frame",
/// "nonzeros_per_second", "frame_snr_db", "signal_snr_db", "dct_frame_snr_db", "dct_signal_snr_db"}`.
extension CodeSummary: Encodable {
  private enum CodingKeys: String, CodingKey {
    case samples, atoms, solver
    case meanNonzeros = "mean_nonzeros"
    case minNonzeros = "min_nonzeros"
    case maxNonzeros = "max_nonzeros"
    case zeroFraction = "zero_fraction"
    case relativeError = "relative_error"
    case meanObjective = "mean_objective"
    case nonConverged = "non_converged"
    case solverSeconds = "solver_seconds"
    case totalSeconds = "seconds"
    case sound
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(samples, forKey: .samples)
    try container.encode(atoms, forKey: .atoms)
    try container.encode(solver, forKey: .solver)
    try container.encode(meanNonzeros, forKey: .meanNonzeros)
    try container.encode(minNonzeros, forKey: .minNonzeros)
    try container.encode(maxNonzeros, forKey: .maxNonzeros)
    try container.encode(zeroFraction, forKey: .zeroFraction)
    try container.encode(relativeError, forKey: .relativeError)
    try container.encode(meanObjective, forKey: .meanObjective)
    try container.encode(nonConverged, forKey: .nonConverged)
    try container.encode(solverSeconds, forKey: .solverSeconds)
    try container.encode(totalSeconds, forKey: .totalSeconds)
    try container.encodeIfPresent(sound, forKey: .sound)
  }
}

/// The `"sound"` object of `sparsity code --json`; infinite SNRs (exact codes) are written as null.
extension SoundCodingQuality: Encodable {
  private enum CodingKeys: String, CodingKey {
    case frames, seconds
    case nonzerosPerFrame = "nonzeros_per_frame"
    case nonzerosPerSecond = "nonzeros_per_second"
    case frameSNR = "frame_snr_db"
    case signalSNR = "signal_snr_db"
    case dctFrameSNR = "dct_frame_snr_db"
    case dctSignalSNR = "dct_signal_snr_db"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(frames, forKey: .frames)
    try container.encode(seconds, forKey: .seconds)
    try container.encode(nonzerosPerFrame, forKey: .nonzerosPerFrame)
    try container.encode(nonzerosPerSecond, forKey: .nonzerosPerSecond)
    for (value, key) in [
      (frameSNR, CodingKeys.frameSNR), (signalSNR, .signalSNR), (dctFrameSNR, .dctFrameSNR),
      (dctSignalSNR, .dctSignalSNR),
    ] {
      try container.encode(value.isFinite ? value : nil, forKey: key)
    }
  }
}
