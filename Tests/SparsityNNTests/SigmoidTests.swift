import SparsityCore
import Testing

@testable import SparsityNN

@Suite struct SigmoidTests {
  @Test func valuesAreStableForLargeInputsAndSymmetric() {
    let layer = Sigmoid()
    let input = Tensor(rows: [[-1000, -100, -1, 0, 1, 100, 1000]])
    var output = Tensor(zeros: input.shape)
    layer.forward(input, into: &output, training: false)
    #expect(output.isFinite)
    #expect(output[0, 0] == 0 && output[0, 6] == 1 && output[0, 3] == 0.5)
    #expect(abs(output[0, 2] - 0.268_941_42) < 1e-6)
    #expect(abs(output[0, 2] + output[0, 4] - 1) < 1e-6)
  }

  @Test func gradientMatchesFiniteDifferences() {
    let input = normalMatrix(4, 9, seed: 1).map { 3 * $0 }
    let errors = GradientCheck.checkLayer(Sigmoid(), input: input, seed: 2)
    #expect(errors.input < 1e-2)
  }

  @Test func descriptionAndKind() {
    #expect(Sigmoid().description == "Sigmoid" && Sigmoid().isActivation)
  }
}
