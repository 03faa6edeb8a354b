import SparsityCore
import Testing

@testable import SparsityNN

@Suite struct LeakyReLUTests {
  @Test func forwardScalesNegativesBySlope() {
    let layer = LeakyReLU(negativeSlope: 0.1)
    var output = Tensor(zeros: [1, 4])
    layer.forward(Tensor(rows: [[-2, 0, 3, -0.5]]), into: &output, training: false)
    #expect(output.isApproximatelyEqual(to: Tensor(rows: [[-0.2, 0, 3, -0.05]])))
  }

  @Test(arguments: [Float(0.01), 0.2, 0, -0.3])
  func gradientMatchesFiniteDifferences(slope: Float) {
    let errors = GradientCheck.checkLayer(LeakyReLU(negativeSlope: slope), input: awayFromZero(4, 11, seed: 3), seed: 4)
    #expect(errors.input < 1e-2)
  }

  @Test func descriptionAndKind() {
    #expect(LeakyReLU().description == "LeakyReLU(0.01)")
    #expect(LeakyReLU(negativeSlope: 0.2).description == "LeakyReLU(0.2)")
    #expect(LeakyReLU().isActivation)
  }
}
