// The JSON form of a histogram, as `sparsity analyze --json` prints it.

/// `{"scale": "linear" | "log10", "edges", "counts", "outside"}`: the `bins + 1` bin edges, the
/// values per bin and the values that fell in none.
extension ValueHistogram: Encodable {
  private enum CodingKeys: String, CodingKey {
    case scale, edges, counts, outside
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(scale == .linear ? "linear" : "log10", forKey: .scale)
    try container.encode(edges, forKey: .edges)
    try container.encode(counts, forKey: .counts)
    try container.encode(outside, forKey: .outside)
  }
}
