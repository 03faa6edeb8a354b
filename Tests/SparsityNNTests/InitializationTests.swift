import SparsityCore
import Testing

@testable import SparsityNN

private func standardDeviation(_ tensor: Tensor) -> Float {
  let mean = tensor.mean()
  return tensor.map { ($0 - mean) * ($0 - mean) }.mean().squareRoot()
}

@Suite struct InitializationTests {
  @Test func heIsNormalWithStandardDeviationSqrtTwoOverFanIn() {
    var generator = Xoshiro256StarStar(seed: 1)
    let layer = Linear(500, 400, initialization: .he, using: &generator)
    let expected = (2 / Float(500)).squareRoot()
    #expect(abs(standardDeviation(layer.weight.value) / expected - 1) < 0.01)
    #expect(abs(layer.weight.value.mean()) < 0.01 * expected)
    #expect(layer.bias!.value == Tensor(zeros: [400]))
  }

  @Test func xavierIsUniformWithinTheGlorotLimit() {
    var generator = Xoshiro256StarStar(seed: 2)
    let weight = Initialization.xavier.weight(fanIn: 300, fanOut: 500, using: &generator)
    let limit = (6 / Float(800)).squareRoot()
    #expect(weight.max()! <= limit && weight.min()! >= -limit)
    // U(-a, a) has standard deviation a / sqrt(3).
    #expect(abs(standardDeviation(weight) / (limit / Float(3).squareRoot()) - 1) < 0.01)
    #expect(Initialization.xavier.bias(fanIn: 300, fanOut: 500, using: &generator) == Tensor(zeros: [500]))
  }

  @Test func pytorchDefaultIsUniformWithinOneOverSqrtFanInForWeightAndBias() {
    var generator = Xoshiro256StarStar(seed: 3)
    let layer = Linear(400, 300, initialization: .pytorchDefault, using: &generator)
    let limit = 1 / Float(400).squareRoot()
    for tensor in [layer.weight.value, layer.bias!.value] {
      #expect(tensor.max()! <= limit && tensor.min()! >= -limit)
      #expect(tensor.max()! > 0.9 * limit && tensor.min()! < -0.9 * limit)
    }
  }

  @Test func sameSeedGivesTheSameLayer() {
    var a = Xoshiro256StarStar(seed: 4)
    var b = Xoshiro256StarStar(seed: 4)
    let first = Linear(10, 5, initialization: .pytorchDefault, using: &a)
    let second = Linear(10, 5, initialization: .pytorchDefault, using: &b)
    #expect(first.weight.value == second.weight.value && first.bias!.value == second.bias!.value)
    #expect(Linear(10, 5, using: &a).weight.value != first.weight.value)
  }
}
