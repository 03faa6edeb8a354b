import SparsityTestSupport
import Foundation
import SparsityCore
import Testing

@testable import SparsityNN

@Suite struct SoftmaxCrossEntropyTests {
  @Test func uniformLogitsGiveLogOfClassCount() {
    var gradient = Tensor(zeros: [0, 0])
    let loss = softmaxCrossEntropy(logits: Tensor(zeros: [3, 10]), labels: [0, 4, 9], gradient: &gradient)
    #expect(abs(loss - log(Float(10))) < 1e-6)
    #expect(gradient.shape == [3, 10])
    #expect(abs(gradient[1, 4] - (0.1 - 1) / 3) < 1e-6 && abs(gradient[1, 0] - 0.1 / 3) < 1e-6)
    let sum = softmaxCrossEntropy(
      logits: Tensor(zeros: [3, 10]), labels: [0, 4, 9], reduction: .sum, gradient: &gradient)
    #expect(abs(sum - 3 * log(Float(10))) < 1e-5)
  }

  @Test func hugeLogitsStayFinite() {
    var gradient = Tensor(zeros: [2, 3])
    let logits = Tensor(rows: [[1000, -1000, 0], [-1000, 1000, 999]])
    let loss = softmaxCrossEntropy(logits: logits, labels: [1, 2], reduction: .sum, gradient: &gradient)
    #expect(loss.isFinite && gradient.isFinite)
    // Row 0: loss 2000; row 1: 1000 + log(1 + e^-1) - 999.
    #expect(abs(loss - (2000 + 1 + log(1 + exp(Float(-1))))) < 1e-2)
  }

  @Test(arguments: [LossReduction.mean, .sum])
  func gradientMatchesFiniteDifferencesAndRowsSumToZero(reduction: LossReduction) {
    var logits = normalMatrix(5, 7, seed: 1).map { 2 * $0 }
    let labels = [0, 6, 3, 3, 1]
    var gradient = Tensor(zeros: [5, 7])
    var scratch = Tensor(zeros: [5, 7])
    softmaxCrossEntropy(logits: logits, labels: labels, reduction: reduction, gradient: &gradient)
    let numeric = GradientCheck.numericGradient(
      shape: logits.shape, get: { logits.scalars[$0] }, set: { logits.scalars[$0] = $1 },
      loss: { Double(softmaxCrossEntropy(logits: logits, labels: labels, reduction: reduction, gradient: &scratch)) })
    #expect(GradientCheck.relativeError(gradient, numeric) < 1e-2)
    #expect(gradient.sumOfColumns().scalars.allSatisfy { abs($0) < 1e-6 })
  }

  @Test func gradientBufferIsReusedWhenTheShapeMatches() {
    var gradient = Tensor(zeros: [2, 3])
    let address = storageAddress(gradient)
    softmaxCrossEntropy(logits: normalMatrix(2, 3, seed: 2), labels: [0, 1], gradient: &gradient)
    #expect(storageAddress(gradient) == address)
  }

  @Test func emptyBatchHasZeroLoss() {
    var gradient = Tensor(zeros: [0, 3])
    #expect(softmaxCrossEntropy(logits: Tensor(zeros: [0, 3]), labels: [], gradient: &gradient) == 0)
  }
}
