import SparsityCore
import Testing

@testable import SparsityNN

private func runDropout(_ layer: Dropout, _ input: Tensor, training: Bool) -> Tensor {
  var output = Tensor(repeating: .nan, shape: input.shape)
  layer.forward(input, into: &output, training: training)
  return output
}

@Suite struct DropoutTests {
  @Test func evaluationIsIdentityForwardAndBackward() {
    let layer = Dropout(probability: 0.5, seed: 1)
    let input = normalMatrix(3, 7, seed: 2)
    let upstream = normalMatrix(3, 7, seed: 3)
    let output = runDropout(layer, input, training: false)
    #expect(output == input)
    var inputGradient = Tensor(zeros: input.shape)
    layer.backward(
      input: input, output: output, outputGradient: upstream, inputGradient: &inputGradient, needsInputGradient: true)
    #expect(inputGradient == upstream)
  }

  @Test(arguments: [Float(0.1), 0.2, 0.5, 0.9])
  func trainingZeroesFractionPAndPreservesTheMean(probability: Float) {
    let layer = Dropout(probability: probability, seed: 4)
    let input = Tensor(repeating: 1, shape: [200, 500])
    let output = runDropout(layer, input, training: true)
    let zeroFraction = Float(output.scalars.filter { $0 == 0 }.count) / Float(output.count)
    #expect(abs(zeroFraction - probability) < 0.005)
    // Each output is 0 or 1 / (1 - p): variance p / (1 - p); allow four standard errors.
    #expect(abs(output.mean() - 1) < 4 * (probability / (1 - probability) / Float(output.count)).squareRoot())
    #expect(output.scalars.allSatisfy { $0 == 0 || abs($0 - 1 / (1 - probability)) < 1e-6 })
  }

  @Test func backwardIsTheUpstreamGradientTimesTheScaledMask() {
    let layer = Dropout(probability: 0.3, seed: 5)
    let input = awayFromZero(6, 10, seed: 6)
    let upstream = normalMatrix(6, 10, seed: 7)
    let output = runDropout(layer, input, training: true)
    var inputGradient = Tensor(zeros: input.shape)
    layer.backward(
      input: input, output: output, outputGradient: upstream, inputGradient: &inputGradient, needsInputGradient: true)
    let mask = output / input  // 0 or 1 / (1 - p), as every input is nonzero
    #expect(inputGradient.isApproximatelyEqual(to: upstream * mask))
    #expect(mask.scalars.contains(0) && mask.scalars.contains { abs($0 - 1 / 0.7) < 1e-5 })
  }

  @Test func sameSeedSameMasksAndEachForwardDrawsANewMask() {
    let input = Tensor(repeating: 1, shape: [4, 50])
    let a = Dropout(probability: 0.5, seed: 8)
    let b = Dropout(probability: 0.5, seed: 8)
    let firstA = runDropout(a, input, training: true)
    #expect(firstA == runDropout(b, input, training: true))
    #expect(runDropout(a, input, training: true) != firstA)
    #expect(runDropout(Dropout(probability: 0.5, seed: 9), input, training: true) != firstA)
  }

  @Test func probabilityZeroIsIdentityInTraining() {
    let input = normalMatrix(3, 4, seed: 10)
    #expect(runDropout(Dropout(probability: 0, seed: 11), input, training: true) == input)
  }

  @Test func descriptionAndKind() {
    let layer = Dropout(probability: 0.2, seed: 0)
    #expect(layer.description == "Dropout(0.2)" && !layer.isActivation && layer.parameters.isEmpty)
  }
}
