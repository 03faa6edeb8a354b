// The JSON form of a network analysis, as `sparsity analyze --json` prints it.

/// `{"samples", "classes", "class_counts", "epsilon", "top_inputs", "input", "activations",
/// "weights"}`: the data and settings the numbers depend on, then the input, every activation
/// layer (`ActivationAnalysis`) and every weight matrix (`WeightAnalysis`).
extension NetworkAnalysis: Encodable {
  private enum CodingKeys: String, CodingKey {
    case samples, classes, epsilon, input, activations, weights
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

  /// The members `input`, `activations` and `weights`, after those of `encodeSummary(to:)`.
  package func encodeLayers(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(input, forKey: .input)
    try container.encode(activations, forKey: .activations)
    try container.encode(weights, forKey: .weights)
  }
}
