import SparsityCore

/// Loss and accuracy of a classifier on a data set.
public struct Evaluation: Sendable, Equatable {
  /// Mean softmax cross-entropy.
  public var loss: Double
  /// Fraction of samples whose argmax is the label.
  public var accuracy: Double

  /// Runs `model` in evaluation mode over `features` in batches.
  /// - Complexity: one forward pass over the data.
  public static func of(_ model: Sequential, features: Tensor, labels: [Int], batchSize: Int = 256) -> Evaluation {
    precondition(features.rows == labels.count, "Evaluation: \(features.rows) samples, \(labels.count) labels")
    precondition(batchSize > 0, "Evaluation: batch size must be positive")
    let samples = features.rows
    guard samples > 0 else { return Evaluation(loss: 0, accuracy: 0) }
    var totalLoss = 0.0
    var correct = 0
    var gradient = Tensor(zeros: [0, 0])
    for start in stride(from: 0, to: samples, by: batchSize) {
      let end = Swift.min(start + batchSize, samples)
      let batchLabels = Array(labels[start..<end])
      let logits = model.forward(features.rows(start..<end), training: false)
      totalLoss += Double(
        softmaxCrossEntropy(logits: logits, labels: batchLabels, reduction: .sum, gradient: &gradient))
      correct += zip(logits.argmaxOfRows(), batchLabels).filter { $0 == $1 }.count
    }
    return Evaluation(loss: totalLoss / Double(samples), accuracy: Double(correct) / Double(samples))
  }
}
