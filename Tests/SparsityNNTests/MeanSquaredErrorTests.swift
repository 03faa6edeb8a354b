import SparsityTestSupport
import SparsityCore
import Testing

@testable import SparsityNN

@Suite struct MeanSquaredErrorTests {
  @Test func valueIsMeanOverAllElementsOrSum() {
    let prediction = Tensor(rows: [[1, 2], [3, 4]])
    let target = Tensor(rows: [[0, 2], [5, 4]])
    var gradient = Tensor(zeros: [0])
    #expect(meanSquaredError(prediction: prediction, target: target, gradient: &gradient) == 5.0 / 4)
    #expect(gradient == Tensor(rows: [[0.5, 0], [-1, 0]]))
    #expect(meanSquaredError(prediction: prediction, target: target, reduction: .sum, gradient: &gradient) == 5)
    #expect(gradient == Tensor(rows: [[2, 0], [-4, 0]]))
  }

  @Test(arguments: [LossReduction.mean, .sum])
  func gradientMatchesFiniteDifferences(reduction: LossReduction) {
    var prediction = normalMatrix(4, 6, seed: 1)
    let target = normalMatrix(4, 6, seed: 2)
    var gradient = Tensor(zeros: [4, 6])
    var scratch = Tensor(zeros: [4, 6])
    meanSquaredError(prediction: prediction, target: target, reduction: reduction, gradient: &gradient)
    let numeric = GradientCheck.numericGradient(
      shape: prediction.shape, get: { prediction.scalars[$0] }, set: { prediction.scalars[$0] = $1 },
      loss: {
        Double(meanSquaredError(prediction: prediction, target: target, reduction: reduction, gradient: &scratch))
      })
    #expect(GradientCheck.relativeError(gradient, numeric) < 1e-2)
  }

  @Test func longInputsAreSummedAccurately() {
    let count = 100_003
    var gradient = Tensor(zeros: [count])
    let loss = meanSquaredError(
      prediction: Tensor(repeating: 1, shape: [count]), target: Tensor(zeros: [count]), reduction: .sum,
      gradient: &gradient)
    #expect(loss == Float(count))
  }
}
