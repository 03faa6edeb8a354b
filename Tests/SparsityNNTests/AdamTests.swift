import SparsityCore
import Testing

@testable import SparsityNN

@Suite struct AdamTests {
  @Test func matchesPyTorchFormula() {
    let trajectory = OptimizerFixture.trajectory(Adam(), learningRate: 0.01)
    #expect(
      OptimizerFixture.matches(
        trajectory,
        [
          [0.990000001, -1.9900000005, 0.4900000003333333],
          [0.9811562363975117, -1.9832994184325559, 0.48599781479280807],
          [0.9793891533789653, -1.9841580955244495, 0.4799669501576139],
        ]))
  }

  @Test func coupledWeightDecayMatchesPyTorchFormula() {
    let trajectory = OptimizerFixture.trajectory(Adam(weightDecay: 0.1), learningRate: 0.01)
    #expect(
      OptimizerFixture.matches(
        trajectory,
        [
          [0.9900000005, -1.99000000025, 0.4900000002857143],
          [0.9806005396534669, -1.9806855469692093, 0.4844430174967703],
          [0.9760467660273631, -1.97351315660055, 0.47725482552358767],
        ]))
  }

  @Test func firstStepMovesEveryElementByTheLearningRate() {
    // After bias correction m̂ = g and v̂ = g², so the first step is lr · sign(g).
    let parameter = Parameter(name: "weight", value: Tensor([0, 0, 0]))
    parameter.gradient = Tensor([1e-3, -50, 2])
    Adam().step([parameter], learningRate: 0.01)
    #expect(parameter.value.isApproximatelyEqual(to: Tensor([-0.01, 0.01, -0.01]), relativeTolerance: 1e-4))
  }

  @Test func keepsMomentsOfTheGradient() {
    let optimizer = Adam(beta1: 0.5, beta2: 0.75)
    let parameter = Parameter(name: "weight", value: Tensor([1]))
    parameter.gradient = Tensor([2])
    optimizer.step([parameter], learningRate: 0.1)
    let state = optimizer.states.state(for: parameter)!
    #expect(state.firstMoment == Tensor([1]))  // (1 − 0.5) · 2
    #expect(state.secondMoment == Tensor([1]))  // (1 − 0.75) · 4
  }

  @Test func decreasesAQuadratic() {
    let (before, after) = OptimizerFixture.quadratic(Adam(), learningRate: 0.05, steps: 400)
    #expect(after < 1e-3 * before)
  }
}
