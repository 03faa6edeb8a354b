import SparsityCore

/// The cross-entropy of softmax(logits) against integer class labels, and its gradient.
///
/// For sample i with logits z (one row) and label c:
///   loss_i = logsumexp(z) - z[c],   logsumexp(z) = m + log sum_j exp(z[j] - m), m = max_j z[j],
/// which never overflows. The gradient is dL/dz[j] = (softmax(z)[j] - [j == c]) / batch for
/// `.mean` (without the 1 / batch for `.sum`).
///
/// - Parameters:
///   - logits: (batch, classes) unnormalized scores.
///   - labels: `batch` class indices in 0..<classes.
///   - reduction: mean over samples (default), sum, or mean over a whole batch (`.meanOverBatch`).
///   - gradient: receives dL/dlogits; reallocated only when its shape is not the logits' shape.
/// - Returns: the reduced loss (0 for an empty batch).
/// - Complexity: O(batch * classes), one exponential per logit (`softmaxCrossEntropySum`).
@discardableResult
public func softmaxCrossEntropy(
  logits: Tensor, labels: [Int], reduction: LossReduction = .mean, gradient: inout Tensor
) -> Float {
  precondition(
    logits.rank == 2 && logits.columns > 0, "softmaxCrossEntropy: logits \(logits.shape), expected (batch, classes)")
  let batch = logits.rows
  precondition(labels.count == batch, "softmaxCrossEntropy: \(labels.count) labels for \(batch) samples")
  if gradient.shape != logits.shape { gradient = Tensor(zeros: logits.shape) }
  guard batch > 0 else { return 0 }
  let scale = reduction.scale(terms: batch, termsPerSample: 1)
  let total = softmaxCrossEntropySum(logits: logits, labels: labels, gradientScale: scale, gradient: &gradient)
  return Float(total) * scale
}
