import SparsityTestSupport
import SparsityCore
import Testing

@testable import SparsityNN

/// Linear(inputs, hidden) - ReLU - Linear(hidden, classes), seeded.
private func multilayerPerceptron(_ inputs: Int, _ hidden: Int, _ classes: Int, seed: UInt64) -> Sequential {
  var generator = Xoshiro256StarStar(seed: seed)
  return Sequential(
    inputFeatures: inputs,
    [
      Linear(inputs, hidden, initialization: .pytorchDefault, using: &generator),
      ReLU(),
      Linear(hidden, classes, initialization: .pytorchDefault, using: &generator),
    ])
}

/// A linearly separable two-class problem: label 1 when x0 + x1 > 0, points kept at least
/// 0.3 away from the boundary.
private func separableProblem(samples: Int, seed: UInt64) -> (Tensor, [Int]) {
  var generator = Xoshiro256StarStar(seed: seed)
  var rows: [[Float]] = []
  var labels: [Int] = []
  while rows.count < samples {
    let point = [generator.uniform(in: -1...1), generator.uniform(in: -1...1)]
    guard abs(point[0] + point[1]) > 0.3 else { continue }
    rows.append(point)
    labels.append(point[0] + point[1] > 0 ? 1 : 0)
  }
  return (Tensor(rows: rows), labels)
}

/// A copy with its own storage: holding it does not make the model's buffers copy on write.
private func deepCopy(_ tensor: Tensor) -> Tensor {
  Tensor(shape: tensor.shape, scalars: tensor.scalars.map { $0 })
}

@Suite struct SequentialTests {
  @Test func endToEndGradientsMatchFiniteDifferences() {
    let model = multilayerPerceptron(6, 8, 4, seed: 1)
    let input = normalMatrix(5, 6, seed: 2)
    let labels = [0, 3, 1, 2, 3]
    var gradient = Tensor(zeros: [5, 4])
    var scratch = Tensor(zeros: [5, 4])
    softmaxCrossEntropy(logits: model.forward(input, training: true), labels: labels, gradient: &gradient)
    model.zeroGradients()
    model.backward(gradient)
    // A smaller step than the layer checks: a weight step moves hidden pre-activations, and
    // one must not cross the ReLU kink.
    func loss() -> Double {
      Double(softmaxCrossEntropy(logits: model.forward(input, training: true), labels: labels, gradient: &scratch))
    }
    #expect(model.parameters.count == 4)
    for parameter in model.parameters {
      let numeric = GradientCheck.numericGradient(of: parameter, epsilon: 1e-3, loss: loss)
      let error = GradientCheck.relativeError(parameter.gradient, numeric)
      #expect(error < 2e-2, "\(parameter.name) \(parameter.value.shape): relative error \(error)")
    }
  }

  @Test func buffersAreReusedAndResultsRepeat() {
    let model = multilayerPerceptron(6, 8, 4, seed: 3)
    let input = normalMatrix(5, 6, seed: 4)
    var gradient = Tensor(zeros: [5, 4])
    softmaxCrossEntropy(logits: model.forward(input, training: true), labels: [0, 1, 2, 3, 0], gradient: &gradient)
    model.backward(gradient)
    let first = deepCopy(model.activations.last!)
    let activationAddresses = model.activations.dropFirst().map(storageAddress)
    let gradientAddresses = model.parameters.map { storageAddress($0.gradient) }
    let weightGradients = model.parameters.map { deepCopy($0.gradient) }

    model.zeroGradients()
    #expect(model.forward(input, training: true) == first)
    model.backward(gradient)
    #expect(model.parameters.map(\.gradient) == weightGradients)
    #expect(model.activations.dropFirst().map(storageAddress) == activationAddresses)
    #expect(model.parameters.map { storageAddress($0.gradient) } == gradientAddresses)
  }

  @Test func gradientDescentSeparatesASeparableProblem() {
    let model = multilayerPerceptron(2, 8, 2, seed: 5)
    let (input, labels) = separableProblem(samples: 64, seed: 6)
    var gradient = Tensor(zeros: [64, 2])
    let learningRate: Float = 0.5
    var losses: [Float] = []
    for _ in 0..<200 {
      losses.append(
        softmaxCrossEntropy(logits: model.forward(input, training: true), labels: labels, gradient: &gradient))
      model.zeroGradients()
      model.backward(gradient)
      for parameter in model.parameters {
        for i in 0..<parameter.value.count {
          parameter.value.scalars[i] -= learningRate * parameter.gradient.scalars[i]
        }
      }
    }
    #expect(losses.last! < 0.1 * losses.first!, "loss \(losses.first!) -> \(losses.last!)")
    #expect(accuracy(logits: model.forward(input, training: false), labels: labels) == 1)
  }

  @Test func dropoutAndTopKNetworkRunsInBothModes() {
    var generator = Xoshiro256StarStar(seed: 7)
    let model = Sequential(
      inputFeatures: 10,
      [
        Linear(10, 16, using: &generator), TopK(k: 4), Dropout(probability: 0.5, seed: 8),
        Linear(16, 3, using: &generator), Sigmoid(),
      ])
    #expect(
      model.layers.map(\.description) == ["Linear(10, 16)", "TopK(4)", "Dropout(0.5)", "Linear(16, 3)", "Sigmoid"])
    #expect(model.layers.map(\.isActivation) == [false, true, false, false, true])
    let input = normalMatrix(7, 10, seed: 9)
    let evaluation = model.forward(input, training: false)
    #expect(model.forward(input, training: false) == evaluation)
    #expect(model.forward(input, training: true) != evaluation)
    var gradient = Tensor(zeros: [7, 3])
    meanSquaredError(prediction: model.activations.last!, target: Tensor(zeros: [7, 3]), gradient: &gradient)
    model.backward(gradient)
    #expect(model.parameters.allSatisfy { $0.gradient.isFinite })
  }
}
