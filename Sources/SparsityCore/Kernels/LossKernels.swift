// The loops of the losses: softmax cross-entropy and the squared error with their gradients,
// and the count of correct predictions. `SparsityNN`'s losses check their arguments, reduce
// and call these.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The summed softmax cross-entropy of every row, with its gradient scaled by `gradientScale`.
///
/// For row i with logits z and label c, m = max_j z[j]:
///
///     loss_i = m + log Σ_j exp(z[j] − m) − z[c]          (never overflows)
///     gradient[i, j] = gradientScale · (softmax(z)[j] − [j == c])
///
/// Shapes: `logits` and `gradient` are (batch, classes), classes ≥ 1; `labels` holds `batch`
/// classes in 0..<classes. Returns Σ_i loss_i, each row's loss computed in Float and added in
/// Double.
/// - Complexity: O(batch * classes), one exponential per logit, no allocation.
public func softmaxCrossEntropySum(
  logits: Tensor, labels: [Int], gradientScale: Float, gradient: inout Tensor
) -> Double {
  let (batch, classes) = (logits.rows, logits.columns)
  precondition(
    gradient.shape == logits.shape && labels.count == batch && classes > 0,
    "softmaxCrossEntropySum: logits \(logits.shape), \(labels.count) labels, gradient \(gradient.shape)")
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
            scale: gradientScale))
      }
    }
  }
  return total
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

/// Reference twin of `softmaxCrossEntropySum`: the same formulas in the same order, indexing
/// the tensors.
public func softmaxCrossEntropySumReference(
  logits: Tensor, labels: [Int], gradientScale: Float, gradient: inout Tensor
) -> Double {
  var total = 0.0
  for i in 0..<logits.rows {
    let row = (0..<logits.columns).map { logits[i, $0] }
    let maximum = row.dropFirst().reduce(row[0]) { max($0, $1) }
    let exponentials = row.map { exp($0 - maximum) }
    let sum = exponentials.reduce(0, +)
    for j in row.indices { gradient[i, j] = exponentials[j] * (gradientScale / sum) }
    gradient[i, labels[i]] -= gradientScale
    total += Double(maximum + log(sum) - row[labels[i]])
  }
  return total
}

/// The sum of squared differences, with the gradient of `gradientScale` times that sum:
///
///     Σ_i (p[i] − t[i])²,     gradient[i] = 2 · gradientScale · (p[i] − t[i])
///
/// The squares are added in Float in blocks of 1024 (so the loop vectorizes) and the blocks in
/// Double. Shapes: `prediction`, `target` and `gradient` have the same shape.
/// - Complexity: O(n), no allocation.
public func squaredErrorSum(
  prediction: Tensor, target: Tensor, gradientScale: Float, gradient: inout Tensor
) -> Double {
  precondition(
    prediction.shape == target.shape && gradient.shape == prediction.shape,
    "squaredErrorSum: prediction \(prediction.shape), target \(target.shape), gradient \(gradient.shape)")
  let count = prediction.count
  guard count > 0 else { return 0 }
  var total = 0.0
  prediction.scalars.withUnsafeBufferPointer { ps in
    target.scalars.withUnsafeBufferPointer { ts in
      gradient.scalars.withUnsafeMutableBufferPointer { gs in
        let (p, t, g) = (ps.baseAddress!, ts.baseAddress!, gs.baseAddress!)
        var partial: Float = 0
        for i in 0..<count {
          let difference = p[i] - t[i]
          g[i] = 2 * gradientScale * difference
          partial += difference * difference
          if i & 1023 == 1023 {
            total += Double(partial)
            partial = 0
          }
        }
        total += Double(partial)
      }
    }
  }
  return total
}

/// Reference twin of `squaredErrorSum`: the same blocks of 1024, indexing the tensors.
public func squaredErrorSumReference(
  prediction: Tensor, target: Tensor, gradientScale: Float, gradient: inout Tensor
) -> Double {
  var total = 0.0
  for start in stride(from: 0, to: prediction.count, by: 1024) {
    var partial: Float = 0
    for i in start..<Swift.min(start + 1024, prediction.count) {
      let difference = prediction[flat: i] - target[flat: i]
      gradient[flat: i] = 2 * gradientScale * difference
      partial += difference * difference
    }
    total += Double(partial)
  }
  return total
}

/// How many rows of `logits` have their largest value at their label (first maximum on ties).
///
/// Shapes: `logits` is (batch, classes), classes ≥ 1; `labels` holds `batch` classes.
/// - Complexity: O(batch * classes), no allocation.
public func countCorrectPredictions(logits: Tensor, labels: [Int]) -> Int {
  let (batch, classes) = (logits.rows, logits.columns)
  precondition(
    labels.count == batch && classes > 0, "countCorrectPredictions: logits \(logits.shape), \(labels.count) labels")
  var correct = 0
  logits.scalars.withUnsafeBufferPointer { zs in
    for i in 0..<batch {
      let row = zs.baseAddress! + i * classes
      var best = 0
      for j in 1..<classes where row[j] > row[best] { best = j }
      if best == labels[i] { correct += 1 }
    }
  }
  return correct
}

/// Reference twin of `countCorrectPredictions`: through `Tensor.argmaxOfRows()`.
public func countCorrectPredictionsReference(logits: Tensor, labels: [Int]) -> Int {
  zip(logits.argmaxOfRows(), labels).filter { $0 == $1 }.count
}
