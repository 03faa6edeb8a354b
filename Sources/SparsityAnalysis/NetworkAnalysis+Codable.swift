// The JSON form of a network analysis, as `sparsity analyze --json` prints it.

/// `{"samples", "classes", "class_counts", "epsilon", "top_inputs", "input", "activations",
/// "channels", "weights", "orientation"}`: the data and settings the numbers depend on, then the
/// input, every activation layer (`ActivationAnalysis`), every image-shaped activation layer per
/// channel (`ChannelAnalysis`), every weight matrix (`WeightAnalysis`) and the first-layer
/// orientation tuning (`OrientationAnalysis`). `channels` is left out when empty and
/// `orientation` when nil (networks of flat features), so their documents stay as they were.
extension NetworkAnalysis: Encodable {
  private enum CodingKeys: String, CodingKey {
    case samples, classes, epsilon, input, activations, channels, weights, orientation
    case classCounts = "class_counts"
    case topInputs = "top_inputs"
  }

  public func encode(to encoder: any Encoder) throws {
    try encodeSummary(to: encoder)
    try encodeLayers(to: encoder)
  }

  /// The members before the layers, `samples` to `top_inputs`: for documents that put members
  /// of their own between them and the layers (`sparsity analyze --json` puts the image shape).
  package func encodeSummary(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(samples, forKey: .samples)
    try container.encode(classes, forKey: .classes)
    try container.encode(classCounts, forKey: .classCounts)
    try container.encode(settings.epsilon, forKey: .epsilon)
    try container.encode(settings.topInputs, forKey: .topInputs)
  }

  /// The members `input`, `activations`, `channels`, `weights` and `orientation`, after those
  /// of `encodeSummary(to:)`.
  package func encodeLayers(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(input, forKey: .input)
    try container.encode(activations, forKey: .activations)
    if !channels.isEmpty { try container.encode(channels, forKey: .channels) }
    try container.encode(weights, forKey: .weights)
    try container.encodeIfPresent(orientation, forKey: .orientation)
  }
}
