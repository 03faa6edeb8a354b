// The JSON form of a count distribution, as `sparsity analyze --json` prints it.

/// `{"mean", "median", "minimum", "maximum", "frequencies"}`: the statistics, then
/// `frequencies[k]`, the inputs with count k.
extension CountDistribution: Encodable {
  private enum CodingKeys: String, CodingKey {
    case mean, median, minimum, maximum, frequencies
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(mean, forKey: .mean)
    try container.encode(median, forKey: .median)
    try container.encode(minimum, forKey: .minimum)
    try container.encode(maximum, forKey: .maximum)
    try container.encode(frequencies, forKey: .frequencies)
  }
}
