import Testing

@testable import SparsityCore

/// The loss kernels and their twins do the same Float operations in the same order (the twins
/// index tensors instead of walking pointers), so losses and gradients agree bit for bit.
@Suite struct LossKernelsTests {
  /// (batch, classes): empty batch, one class, around the SIMD width, odd.
  static let shapes: [(Int, Int)] = [(0, 10), (1, 1), (3, 10), (17, 16), (64, 17), (129, 33), (5, 1000)]

  private static func labels(_ batch: Int, _ classes: Int, seed: UInt64) -> [Int] {
    var generator = Xoshiro256StarStar(seed: seed)
    return (0..<batch).map { _ in Int(generator.next() % UInt64(classes)) }
  }

  @Test(arguments: shapes)
  func softmaxCrossEntropyMatchesItsTwin(batch: Int, classes: Int) {
    let logits = randomMatrix(batch, classes, zeroFraction: 0.1, seed: UInt64(batch + classes))
    let labels = Self.labels(batch, classes, seed: 3)
    for scale: Float in [1, 1 / Float(Swift.max(batch, 1))] {
      var (fast, twin) = (Tensor(repeating: .nan, shape: [batch, classes]), Tensor(zeros: [batch, classes]))
      let fastTotal = softmaxCrossEntropySum(logits: logits, labels: labels, gradientScale: scale, gradient: &fast)
      let twinTotal = softmaxCrossEntropySumReference(
        logits: logits, labels: labels, gradientScale: scale, gradient: &twin)
      #expect(fastTotal.bitPattern == twinTotal.bitPattern, "\(batch) x \(classes)")
      #expect(bits(fast) == bits(twin), "\(batch) x \(classes)")
    }
  }

  @Test func softmaxCrossEntropyOfLargeLogitsIsFinite() {
    var gradient = Tensor(zeros: [1, 3])
    let total = softmaxCrossEntropySum(
      logits: Tensor(rows: [[1000, 0, -1000]]), labels: [1], gradientScale: 1, gradient: &gradient)
    #expect(total == 1000)
    #expect(gradient.isApproximatelyEqual(to: Tensor(rows: [[1, -1, 0]])))
  }

  @Test(arguments: kernelTestLengths + [1024, 1025, 3000])
  func squaredErrorMatchesItsTwin(count: Int) {
    let prediction = Tensor(randomValues(count, seed: UInt64(count)))
    let target = Tensor(randomValues(count, zeroFraction: 0.5, seed: UInt64(count) + 1))
    var (fast, twin) = (Tensor(repeating: .nan, shape: [count]), Tensor(zeros: [count]))
    let scale = 1 / Float(Swift.max(count, 1))
    let fastTotal = squaredErrorSum(prediction: prediction, target: target, gradientScale: scale, gradient: &fast)
    let twinTotal = squaredErrorSumReference(
      prediction: prediction, target: target, gradientScale: scale, gradient: &twin)
    #expect(fastTotal.bitPattern == twinTotal.bitPattern, "\(count) entries")
    #expect(bits(fast) == bits(twin), "\(count) entries")
  }

  @Test(arguments: shapes)
  func correctPredictionsMatchTheirTwin(batch: Int, classes: Int) {
    var logits = randomMatrix(batch, classes, zeroFraction: 0.5, seed: UInt64(batch * classes))
    if batch > 1 && classes > 1 { logits[1, classes - 1] = logits[1, 0] }  // a tie: the first maximum counts
    for seed: UInt64 in [1, 2] {
      let labels = Self.labels(batch, classes, seed: seed)
      #expect(
        countCorrectPredictions(logits: logits, labels: labels)
          == countCorrectPredictionsReference(logits: logits, labels: labels))
    }
    let best = logits.argmaxOfRows()
    #expect(countCorrectPredictions(logits: logits, labels: best) == batch)
  }
}
