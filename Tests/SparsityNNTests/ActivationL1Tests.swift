import SparsityTestSupport
import SparsityCore
import Testing

@testable import SparsityNN

@Suite struct ActivationL1Tests {
  @Test func penaltyIsMeanOverBatchOfRowL1Norms() {
    // lambda * a.abs().sum(dim=1).mean() = 0.5 · mean(6, 1) = 1.75
    let activation = Tensor(rows: [[1, 2, 3], [0, -1, 0]])
    #expect(ActivationL1(strength: 0.5).penalty(activation: activation) == 1.75)
    #expect(ActivationL1(strength: 0.5).penalty(activation: Tensor(zeros: [0, 3])) == 0)
  }

  @Test func gradientMatchesFiniteDifferences() {
    let activation = RegularizerGradientCheck.awayFromZero(4, 10, low: 0.05, high: 3, seed: 5)
    let l1 = ActivationL1(strength: 0.7)
    var gradient = Tensor(zeros: activation.shape)
    l1.addGradient(activation: activation, to: &gradient)
    let numeric = RegularizerGradientCheck.numericalGradient(at: activation, step: 1e-2) { l1.penalty(activation: $0) }
    #expect(RegularizerGradientCheck.relativeError(gradient, numeric) < 1e-2)
  }

  @Test func gradientIsSignOverBatchAddedToTheExistingGradient() {
    let activation = Tensor(rows: [[0, 2], [-1, 0]])
    var gradient = Tensor(rows: [[1, 1], [1, 1]])
    ActivationL1(strength: 0.4).addGradient(activation: activation, to: &gradient)
    #expect(gradient == Tensor(rows: [[1, 1.2], [0.8, 1]]))
  }

  @Test func backwardHookTouchesOnlyTheChosenLayers() {
    let hook = ActivationL1(strength: 1).backwardHook(layers: [1])
    let activation = Tensor(rows: [[1, -1]])
    var (first, second) = (Tensor(zeros: [1, 2]), Tensor(zeros: [1, 2]))
    hook(0, activation, &first)
    hook(1, activation, &second)
    #expect(first == Tensor(zeros: [1, 2]))
    #expect(second == Tensor(rows: [[1, -1]]))
  }
}
