// The JSON form of an analysis with its model and data: what `sparsity analyze --json` prints.

/// `{"model", "data", "split": "test", ...}` then the members of `NetworkAnalysis` with
/// `"image_shape"` (`[rows, columns]`, or `null` when the inputs are not images) after its
/// settings, before its layers.
extension AnalyzeSubject: Encodable {
  private enum CodingKeys: String, CodingKey {
    case model, data, split
    case imageShape = "image_shape"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(path, forKey: .model)
    try container.encode(data.source.description, forKey: .data)
    try container.encode("test", forKey: .split)
    try analysis.encodeSummary(to: encoder)
    try container.encode(data.imageShape.map { [$0.rows, $0.columns] }, forKey: .imageShape)
    try analysis.encodeLayers(to: encoder)
  }
}
