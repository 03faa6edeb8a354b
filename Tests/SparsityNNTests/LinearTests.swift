import SparsityTestSupport
import SparsityCore
import Testing

@testable import SparsityNN

/// Y = X W^T + b one product at a time in Double: the reference `Linear.forward` is checked against.
private func naiveLinear(_ input: Tensor, _ weight: Tensor, _ bias: Tensor?) -> Tensor {
  let (batch, inputs, outputs) = (input.rows, input.columns, weight.rows)
  var out = Tensor(zeros: [batch, outputs])
  for b in 0..<batch {
    for o in 0..<outputs {
      var total = Double(bias?.scalars[o] ?? 0)
      for j in 0..<inputs { total += Double(input[b, j]) * Double(weight[o, j]) }
      out[b, o] = Float(total)
    }
  }
  return out
}

@Suite struct LinearTests {
  @Test(arguments: [(1, 1, 1), (1, 3, 17), (5, 17, 3), (7, 65, 33), (64, 64, 64)])
  func forwardMatchesNaiveReference(batch: Int, inputs: Int, outputs: Int) {
    var generator = Xoshiro256StarStar(seed: 1)
    for hasBias in [true, false] {
      let layer = Linear(inputs, outputs, bias: hasBias, initialization: .pytorchDefault, using: &generator)
      let input = normalMatrix(batch, inputs, seed: 2)
      var output = Tensor(repeating: .nan, shape: [batch, outputs])
      layer.forward(input, into: &output, training: true)
      let expected = naiveLinear(input, layer.weight.value, layer.bias?.value)
      #expect(GradientCheck.relativeError(output, expected) < 1e-5)
    }
  }

  @Test func gradientsMatchFiniteDifferences() {
    var generator = Xoshiro256StarStar(seed: 3)
    let layer = Linear(7, 5, initialization: .pytorchDefault, using: &generator)
    let errors = GradientCheck.checkLayer(layer, input: normalMatrix(4, 7, seed: 4), seed: 5)
    #expect(errors.input < 1e-2)
    #expect(errors.parameters.count == 2)
    #expect(errors.parameters.allSatisfy { $0 < 1e-2 }, "weight and bias errors \(errors.parameters)")
  }

  @Test func gradientsWithoutBiasMatchFiniteDifferences() {
    var generator = Xoshiro256StarStar(seed: 6)
    let layer = Linear(3, 9, bias: false, using: &generator)
    let errors = GradientCheck.checkLayer(layer, input: normalMatrix(6, 3, seed: 7), seed: 8)
    #expect(errors.input < 1e-2)
    #expect(errors.parameters.count == 1 && errors.parameters[0] < 1e-2)
  }

  @Test func backwardAccumulatesParameterGradientsAndOverwritesInputGradient() {
    var generator = Xoshiro256StarStar(seed: 9)
    let layer = Linear(4, 3, initialization: .pytorchDefault, using: &generator)
    let input = normalMatrix(5, 4, seed: 10)
    let upstream = normalMatrix(5, 3, seed: 11)
    var output = Tensor(zeros: [5, 3])
    var inputGradient = Tensor(repeating: 7, shape: [5, 4])
    layer.forward(input, into: &output, training: true)
    layer.backward(
      input: input, output: output, outputGradient: upstream, inputGradient: &inputGradient, needsInputGradient: true)
    let (weightOnce, biasOnce, inputOnce) = (layer.weight.gradient, layer.bias!.gradient, inputGradient)
    layer.backward(
      input: input, output: output, outputGradient: upstream, inputGradient: &inputGradient, needsInputGradient: true)
    #expect(layer.weight.gradient.isApproximatelyEqual(to: 2 * weightOnce))
    #expect(layer.bias!.gradient.isApproximatelyEqual(to: 2 * biasOnce))
    #expect(inputGradient == inputOnce)
    #expect(biasOnce.isApproximatelyEqual(to: upstream.sumOfRows()))

    var untouched = Tensor(repeating: 7, shape: [5, 4])
    layer.backward(
      input: input, output: output, outputGradient: upstream, inputGradient: &untouched, needsInputGradient: false)
    #expect(untouched == Tensor(repeating: 7, shape: [5, 4]))
  }

  @Test func emptyBatchIsANoOp() {
    var generator = Xoshiro256StarStar(seed: 12)
    let layer = Linear(4, 3, using: &generator)
    var output = Tensor(zeros: [0, 3])
    var inputGradient = Tensor(zeros: [0, 4])
    layer.forward(Tensor(zeros: [0, 4]), into: &output, training: false)
    layer.backward(
      input: Tensor(zeros: [0, 4]), output: output, outputGradient: output, inputGradient: &inputGradient,
      needsInputGradient: true)
    #expect(layer.weight.gradient == Tensor(zeros: [3, 4]) && layer.bias!.gradient == Tensor(zeros: [3]))
  }

  @Test func shapesNamesAndDescription() {
    var generator = Xoshiro256StarStar(seed: 13)
    let layer = Linear(784, 256, using: &generator)
    #expect(layer.description == "Linear(784, 256)")
    #expect(layer.parameters.map(\.name) == ["weight", "bias"])
    #expect(layer.weight.value.shape == [256, 784] && layer.bias!.value.shape == [256])
    #expect(layer.outputFeatures(inputFeatures: 784) == 256)
    #expect(!layer.isActivation)
    let noBias = Linear(2, 3, bias: false, using: &generator)
    #expect(noBias.description == "Linear(2, 3, bias: false)" && noBias.parameters.count == 1)
  }
}
