// The JSON form of a pruning summary, as `sparsity prune --json` prints it.

import SparsityNN

/// The members of `record` (`PruningRecord`: the settings, the weight sparsity and the
/// accuracies, as the model file records them), then `"samples"` (`null` without data),
/// `"layers"` (per Linear layer `{"index", "name", "weights", "weight_sparsity_before",
/// "weight_sparsity_after"}`), `"history"` (the fine-tuning epochs) and `"out"`.
extension PruneSummary: Encodable {
  private enum CodingKeys: String, CodingKey {
    case samples, layers, history, out
  }

  private enum LayerKeys: String, CodingKey {
    case index, name, weights
    case weightSparsityBefore = "weight_sparsity_before"
    case weightSparsityAfter = "weight_sparsity_after"
  }

  public func encode(to encoder: any Encoder) throws {
    try record.encode(to: encoder)
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(samples, forKey: .samples)
    var layers = container.nestedUnkeyedContainer(forKey: .layers)
    for (old, new) in zip(before, after) {
      var layer = layers.nestedContainer(keyedBy: LayerKeys.self)
      try layer.encode(old.index, forKey: .index)
      try layer.encode(old.name, forKey: .name)
      try layer.encode(old.weights, forKey: .weights)
      try layer.encode(Double(old.zeros) / Double(old.weights), forKey: .weightSparsityBefore)
      try layer.encode(Double(new.zeros) / Double(new.weights), forKey: .weightSparsityAfter)
    }
    try container.encode(history, forKey: .history)
    try container.encode(request.output, forKey: .out)
  }
}
