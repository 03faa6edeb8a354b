// The JSON form of latent statistics and search matches (`sparsity sae report --json`).

extension LatentActivation: Encodable {
  private enum CodingKeys: String, CodingKey { case row, activation }

  /// row, activation.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(row, forKey: .row)
    try container.encode(activation, forKey: .activation)
  }
}

extension LatentMatch: Encodable {
  private enum CodingKeys: String, CodingKey {
    case latent, rows, contexts
    case topRowCount = "top_row_count"
  }

  /// latent, rows (row, activation), contexts, top_row_count.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(latent, forKey: .latent)
    try container.encode(rows, forKey: .rows)
    try container.encode(contexts, forKey: .contexts)
    try container.encode(topRowCount, forKey: .topRowCount)
  }
}

extension LatentStatistics: Encodable {
  private enum CodingKeys: String, CodingKey {
    case rows, l0, latents
    case deadFraction = "dead_fraction"
  }

  private enum LatentKeys: String, CodingKey {
    case latent, frequency
    case firingCount = "firing_count"
    case meanActivation = "mean_activation"
    case maxActivation = "max_activation"
    case histogramUpperEdge = "histogram_upper_edge"
    case histogramCounts = "histogram_counts"
    case topRows = "top_rows"
  }

  /// rows, l0, dead_fraction and latents: one object per latent (latent, firing_count,
  /// frequency, mean_activation, max_activation, histogram_upper_edge, histogram_counts,
  /// top_rows), most frequent first.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(rows, forKey: .rows)
    try container.encode(l0, forKey: .l0)
    try container.encode(deadFraction, forKey: .deadFraction)
    var list = container.nestedUnkeyedContainer(forKey: .latents)
    let frequencies = frequencies
    for latent in latentsByFrequency {
      var item = list.nestedContainer(keyedBy: LatentKeys.self)
      try item.encode(latent, forKey: .latent)
      try item.encode(firingCounts[latent], forKey: .firingCount)
      try item.encode(frequencies[latent], forKey: .frequency)
      try item.encode(meanActivations[latent], forKey: .meanActivation)
      try item.encode(maxActivations[latent], forKey: .maxActivation)
      try item.encode(histograms[latent].upperEdge, forKey: .histogramUpperEdge)
      try item.encode(histograms[latent].counts, forKey: .histogramCounts)
      try item.encode(topRows[latent], forKey: .topRows)
    }
  }
}
