// The JSON form of evaluations and epoch reports (`--json` of `sparsity sae`).

extension SAEEvaluation: Encodable {
  private enum CodingKeys: String, CodingKey {
    case rows, fvu
    case meanSquaredError = "mse"
    case l0
    case deadFraction = "dead_fraction"
    case densityLowerEdges = "density_log10_lower_edges"
    case densityCounts = "density_counts"
    case neverFiring = "never_firing"
  }

  /// rows, fvu (null when undefined), mse, l0, dead_fraction, and the density histogram (log10 firing frequency
  /// bins of 0.5 from -8, the latents that never fire apart); not the per-latent counts.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(rows, forKey: .rows)
    try container.encode(fvu.isNaN ? nil : fvu, forKey: .fvu)
    try container.encode(meanSquaredError, forKey: .meanSquaredError)
    try container.encode(l0, forKey: .l0)
    try container.encode(deadFraction, forKey: .deadFraction)
    let histogram = densityHistogram()
    try container.encode(histogram.lowerEdges, forKey: .densityLowerEdges)
    try container.encode(histogram.bins, forKey: .densityCounts)
    try container.encode(histogram.neverFiring, forKey: .neverFiring)
  }
}
