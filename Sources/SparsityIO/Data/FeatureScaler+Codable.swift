// The JSON form of a fitted feature scaling, as model files record it.

/// `{"kind": "unit-range" | "fixed-range" | "standardize", "offsets": [...], "scales": [...]}`.
/// Decoding checks that there are as many finite offsets as scales, at least one.
extension FeatureScaler: Codable {
  private enum CodingKeys: String, CodingKey {
    case kind, offsets, scales
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let offsets = try container.decode([Float].self, forKey: .offsets)
    let scales = try container.decode([Float].self, forKey: .scales)
    guard offsets.count == scales.count, !scales.isEmpty, (offsets + scales).allSatisfy(\.isFinite) else {
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: container.codingPath,
          debugDescription:
            "needs as many finite offsets as scales, at least one (\(offsets.count) and \(scales.count))"
        ))
    }
    let scaling: FeatureScaling
    switch try container.decode(String.self, forKey: .kind) {
    case "unit-range": scaling = .unitRange
    case "standardize": scaling = .standardize
    case "fixed-range":
      guard scales[0] > 0 else {
        throw DecodingError.dataCorrupted(
          .init(codingPath: container.codingPath, debugDescription: "a fixed range needs a positive scale"))
      }
      scaling = .fixedRange(maximum: 1 / scales[0])
    case let kind:
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: container.codingPath + [CodingKeys.kind],
          debugDescription: "unknown kind '\(kind)' (expected unit-range, fixed-range or standardize)"))
    }
    self.init(scaling: scaling, offsets: offsets, scales: scales)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(scaling.name, forKey: .kind)
    try container.encode(offsets, forKey: .offsets)
    try container.encode(scales, forKey: .scales)
  }
}
