import SparsityTestSupport
import SparsityCore
import Testing

@testable import SparsityNN

@Suite struct WeightDecayTests {
  @Test func penaltyIsHalfLambdaTimesSquaredNormOfWeightsOnly() {
    let parameters = [
      Parameter(name: "weight", value: Tensor(rows: [[1, -2], [0, 3]])), Parameter(name: "bias", value: Tensor([10])),
    ]
    #expect(WeightDecay(strength: 0.1).penalty(parameters) == 0.7)  // 0.05 · 14
  }

  @Test func gradientMatchesFiniteDifferences() {
    var generator = Xoshiro256StarStar(seed: 3)
    let weight = Tensor.normal(shape: [5, 9], using: &generator)
    let parameters = [Parameter(name: "weight", value: weight), Parameter(name: "bias", value: Tensor([1, 2]))]
    let decay = WeightDecay(strength: 0.2)
    decay.addGradient(to: parameters)
    let numeric = RegularizerGradientCheck.numericalGradient(at: weight, step: 1e-2) { probe in
      decay.penalty([Parameter(name: "weight", value: probe)])
    }
    #expect(RegularizerGradientCheck.relativeError(parameters[0].gradient, numeric) < 1e-2)
    #expect(parameters[1].gradient == Tensor(zeros: [2]))
  }

  @Test func withSGDEqualsSGDWeightDecayOnWeights() {
    let (a, b) = (
      Parameter(name: "weight", value: Tensor(rows: [[1, -2, 3]])),
      Parameter(name: "weight", value: Tensor(rows: [[1, -2, 3]]))
    )
    let (sgd, coupled) = (SGD(), SGD(weightDecay: 0.1))
    for _ in 0..<3 {
      a.gradient = Tensor(rows: [[0.5, 0.5, -0.5]])
      b.gradient = a.gradient
      WeightDecay(strength: 0.1).addGradient(to: [a])
      sgd.step([a], learningRate: 0.1)
      coupled.step([b], learningRate: 0.1)
    }
    #expect(a.value.isApproximatelyEqual(to: b.value, relativeTolerance: 1e-6))
  }

  @Test func hasNoProximalStep() {
    let weight = Parameter(name: "weight", value: Tensor([1, -2]))
    WeightDecay(strength: 1).applyProximalStep(to: [weight], learningRate: 1)
    #expect(weight.value == Tensor([1, -2]))
  }
}
