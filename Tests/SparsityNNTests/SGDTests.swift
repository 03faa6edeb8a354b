import SparsityCore
import Testing

@testable import SparsityNN

@Suite struct SGDTests {
  @Test func plainSGDWithWeightDecayMatchesPyTorchFormula() {
    let trajectory = OptimizerFixture.trajectory(SGD(weightDecay: 0.01), learningRate: 0.1)
    #expect(
      OptimizerFixture.matches(
        trajectory,
        [
          [0.989, -1.978, 0.4695],
          [0.948011, -1.976022, 0.4790305],
          [0.977062989, -1.994045978, 0.4585514695],
        ]))
  }

  @Test func momentumMatchesPyTorchFormula() {
    let trajectory = OptimizerFixture.trajectory(SGD(momentum: 0.9), learningRate: 0.1)
    #expect(
      OptimizerFixture.matches(
        trajectory,
        [
          [0.99, -1.98, 0.47],
          [0.941, -1.962, 0.453],
          [0.9269, -1.9658, 0.4177],
        ]))
  }

  @Test func nesterovWithWeightDecayMatchesPyTorchFormula() {
    let trajectory = OptimizerFixture.trajectory(
      SGD(momentum: 0.9, nesterov: true, weightDecay: 0.01), learningRate: 0.1)
    #expect(
      OptimizerFixture.matches(
        trajectory,
        [
          [0.9791, -1.9582, 0.44205],
          [0.89232971, -1.93665942, 0.435505105],
          [0.906422212551, -1.953355625102, 0.3821850848005],
        ]))
  }

  @Test func firstMomentumBufferIsTheGradient() {
    let optimizer = SGD(momentum: 0.9)
    let parameter = Parameter(name: "weight", value: Tensor([1, 2]))
    parameter.gradient = Tensor([0.25, -0.5])
    optimizer.step([parameter], learningRate: 0.1)
    #expect(optimizer.states.state(for: parameter)!.momentumBuffer == Tensor([0.25, -0.5]))
    #expect(SGD().makeState(for: parameter).momentumBuffer == nil)
  }

  @Test func momentumDecreasesAQuadratic() {
    let (before, after) = OptimizerFixture.quadratic(SGD(momentum: 0.9, nesterov: true), learningRate: 0.05, steps: 200)
    #expect(after < 1e-4 * before)
  }
}
