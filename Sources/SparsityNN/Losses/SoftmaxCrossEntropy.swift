import SparsityCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#else
  import Darwin
#endif

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
///   - reduction: mean over samples (default) or sum.
///   - gradient: receives dL/dlogits; reallocated only when its shape is not the logits' shape.
/// - Returns: the reduced loss (0 for an empty batch).
/// - Complexity: O(batch * classes), one exponential per logit.
@discardableResult
public func softmaxCrossEntropy(
  logits: Tensor, labels: [Int], reduction: LossReduction = .mean, gradient: inout Tensor
) -> Float {
  precondition(
    logits.rank == 2 && logits.columns > 0, "softmaxCrossEntropy: logits \(logits.shape), expected (batch, classes)")
  let (batch, classes) = (logits.rows, logits.columns)
  precondition(labels.count == batch, "softmaxCrossEntropy: \(labels.count) labels for \(batch) samples")
  if gradient.shape != logits.shape { gradient = Tensor(zeros: logits.shape) }
  guard batch > 0 else { return 0 }
  let scale: Float = reduction == .mean ? 1 / Float(batch) : 1
  var total = 0.0
  logits.scalars.withUnsafeBufferPointer { zs in
    gradient.scalars.withUnsafeMutableBufferPointer { gs in
      for i in 0..<batch {
        let label = labels[i]
        precondition(
          label >= 0 && label < classes, "softmaxCrossEntropy: label \(label) of sample \(i) not in 0..<\(classes)")
        let offset = i * classes
        total += Double(
          softmaxRowLoss(
            gradient: gs.baseAddress! + offset, logits: zs.baseAddress! + offset, classes: classes, label: label,
            scale: scale))
      }
    }
  }
  return Float(total) * scale
}

/// One row: writes scale * (softmax(z) - onehot(label)) into g and returns logsumexp(z) - z[label].
@inline(__always)
private func softmaxRowLoss(
  gradient g: UnsafeMutablePointer<Float>, logits z: UnsafePointer<Float>, classes: Int, label: Int, scale: Float
) -> Float {
  var maximum = z[0]
  for j in 1..<classes { maximum = max(maximum, z[j]) }
  var sum: Float = 0
  for j in 0..<classes {
    let e = exp(z[j] - maximum)
    g[j] = e
    sum += e
  }
  let factor = scale / sum
  for j in 0..<classes { g[j] *= factor }
  g[label] -= scale
  return maximum + log(sum) - z[label]
}
