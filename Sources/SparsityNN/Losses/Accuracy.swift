import SparsityCore

/// The fraction of samples whose largest logit is at their label (first maximum on ties).
///
/// - Parameters:
///   - logits: (batch, classes) scores.
///   - labels: `batch` class indices.
/// - Returns: correct / batch in [0, 1]; 0 for an empty batch.
/// - Complexity: O(batch * classes), no allocation.
public func accuracy(logits: Tensor, labels: [Int]) -> Double {
  precondition(logits.rank == 2 && logits.columns > 0, "accuracy: logits \(logits.shape), expected (batch, classes)")
  let batch = logits.rows
  precondition(labels.count == batch, "accuracy: \(labels.count) labels for \(batch) samples")
  guard batch > 0 else { return 0 }
  return Double(countCorrectPredictions(logits: logits, labels: labels)) / Double(batch)
}
