import SparsityCore
import Testing

@testable import SparsityNN

@Suite struct ReLUTests {
  @Test func forwardClampsNegativesAndBackwardMasksByOutput() {
    let layer = ReLU()
    let input = Tensor(rows: [[-2, 0, 3], [1, -0.5, 0.25]])
    var output = Tensor(zeros: [2, 3])
    var inputGradient = Tensor(zeros: [2, 3])
    layer.forward(input, into: &output, training: true)
    #expect(output == Tensor(rows: [[0, 0, 3], [1, 0, 0.25]]))
    layer.backward(
      input: input, output: output, outputGradient: Tensor(repeating: 2, shape: [2, 3]), inputGradient: &inputGradient,
      needsInputGradient: true)
    #expect(inputGradient == Tensor(rows: [[0, 0, 2], [2, 0, 2]]))
  }

  @Test func gradientMatchesFiniteDifferences() {
    let errors = GradientCheck.checkLayer(ReLU(), input: awayFromZero(5, 13, seed: 1), seed: 2)
    #expect(errors.input < 1e-2 && errors.parameters.isEmpty)
  }

  @Test func descriptionAndKind() {
    #expect(ReLU().description == "ReLU" && ReLU().isActivation)
    #expect(ReLU().outputFeatures(inputFeatures: 17) == 17)
  }
}
