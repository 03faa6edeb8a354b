// What a model measured on its test data, in the JSON form `train --json` and `eval --json` print.

/// Test accuracy and loss, every layer's sparsity on the test data and, after training, the
/// history: `{"accuracy", "loss", "samples" (when given), "layers", "history" (when given)}`.
public struct TestReport: Sendable, Equatable, Encodable {
  public var evaluation: Evaluation
  /// The test samples (printed by `eval`).
  public var samples: Int?
  public var layers: [LayerSparsity]
  /// The epochs of training (printed by `train`).
  public var history: [EpochReport]?

  public init(evaluation: Evaluation, samples: Int? = nil, layers: [LayerSparsity], history: [EpochReport]? = nil) {
    self.evaluation = evaluation
    self.samples = samples
    self.layers = layers
    self.history = history
  }

  private enum CodingKeys: String, CodingKey {
    case accuracy, loss, samples, layers, history
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(evaluation.accuracy, forKey: .accuracy)
    try container.encode(evaluation.loss, forKey: .loss)
    try container.encodeIfPresent(samples, forKey: .samples)
    try container.encode(layers, forKey: .layers)
    try container.encodeIfPresent(history, forKey: .history)
  }
}
