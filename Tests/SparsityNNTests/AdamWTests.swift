import SparsityCore
import Testing

@testable import SparsityNN

@Suite struct AdamWTests {
  @Test func matchesPyTorchFormula() {
    let trajectory = OptimizerFixture.trajectory(AdamW(weightDecay: 0.1), learningRate: 0.01)
    #expect(
      OptimizerFixture.matches(
        trajectory,
        [
          [0.989000001, -1.9880000005, 0.4895000003333333],
          [0.9791672363965117, -1.979311418432056, 0.48500831479247475],
          [0.9764209861415688, -1.9781907841055175, 0.4784924418424881],
        ]))
  }

  @Test func withZeroGradientOnlyDecays() {
    // m = v = 0, so the Adam part is 0 and each step multiplies by 1 − lr · λ.
    let optimizer = AdamW(weightDecay: 0.5)
    let parameter = Parameter(name: "weight", value: Tensor([4, -2]))
    for _ in 0..<3 { optimizer.step([parameter], learningRate: 0.1) }
    #expect(parameter.value.isApproximatelyEqual(to: Tensor([4, -2]) * (0.95 * 0.95 * 0.95), relativeTolerance: 1e-6))
  }

  @Test func withoutWeightDecayEqualsAdam() {
    #expect(
      OptimizerFixture.trajectory(AdamW(weightDecay: 0), learningRate: 0.01)
        == OptimizerFixture.trajectory(Adam(), learningRate: 0.01))
  }

  @Test func decreasesAQuadratic() {
    let (before, after) = OptimizerFixture.quadratic(AdamW(), learningRate: 0.05, steps: 400)
    #expect(after < 1e-2 * before)
  }
}
