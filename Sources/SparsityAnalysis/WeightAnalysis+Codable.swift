// The JSON form of one weight matrix's statistics, as `sparsity analyze --json` prints it.

/// `{"index", "name", "shape", "zero_fraction", "near_zero_fraction", "small_fraction",
/// "mean_magnitude", "maximum_magnitude", "zero_rows", "magnitude_histogram"}`.
extension WeightAnalysis: Encodable {
  private enum CodingKeys: String, CodingKey {
    case index, name, shape
    case zeroFraction = "zero_fraction"
    case nearZeroFraction = "near_zero_fraction"
    case smallFraction = "small_fraction"
    case meanMagnitude = "mean_magnitude"
    case maximumMagnitude = "maximum_magnitude"
    case zeroRows = "zero_rows"
    case magnitudeHistogram = "magnitude_histogram"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(layerIndex, forKey: .index)
    try container.encode(name, forKey: .name)
    try container.encode(shape, forKey: .shape)
    try container.encode(zeroFraction, forKey: .zeroFraction)
    try container.encode(nearZeroFraction, forKey: .nearZeroFraction)
    try container.encode(smallFraction, forKey: .smallFraction)
    try container.encode(meanMagnitude, forKey: .meanMagnitude)
    try container.encode(maximumMagnitude, forKey: .maximumMagnitude)
    try container.encode(zeroRows, forKey: .zeroRows)
    try container.encode(magnitudeHistogram, forKey: .magnitudeHistogram)
  }
}
