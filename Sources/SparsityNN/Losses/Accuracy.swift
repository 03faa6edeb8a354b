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
  let (batch, classes) = (logits.rows, logits.columns)
  precondition(labels.count == batch, "accuracy: \(labels.count) labels for \(batch) samples")
  guard batch > 0 else { return 0 }
  var correct = 0
  logits.scalars.withUnsafeBufferPointer { zs in
    for i in 0..<batch {
      let row = zs.baseAddress! + i * classes
      var best = 0
      for j in 1..<classes where row[j] > row[best] { best = j }
      if best == labels[i] { correct += 1 }
    }
  }
  return Double(correct) / Double(batch)
}
