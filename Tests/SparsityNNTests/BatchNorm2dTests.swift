import SparsityCore
import Testing

@testable import SparsityNN

/// Per-channel mean and biased variance in Double, straight from the definition.
private func channelStatistics(_ input: Tensor, image: ImageShape) -> (means: [Double], variances: [Double]) {
  (0..<image.channels).map { c -> (Double, Double) in
    let values = (0..<input.rows).flatMap { n in
      (0..<image.pixelCount).map { Double(input[n, c * image.pixelCount + $0]) }
    }
    let mean = values.reduce(0, +) / Double(values.count)
    return (mean, values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count))
  }.reduce(into: ([Double](), [Double]())) {
    $0.0.append($1.0)
    $0.1.append($1.1)
  }
}

/// A layer on `oddImage` with gamma and beta away from their initial ones and zeros.
private func batchNorm() -> BatchNorm2d {
  let layer = BatchNorm2d(input: oddImage)
  layer.weight.value = Tensor([0.5, -1.5, 2])
  layer.bias.value = Tensor([0.25, 0, -1])
  return layer
}

@Suite struct BatchNorm2dTests {
  @Test func parametersBuffersAndDescription() {
    let layer = BatchNorm2d(input: oddImage)
    #expect(layer.parameters.map(\.name) == ["weight", "bias"])
    #expect(layer.weight.value == Tensor([1, 1, 1]) && layer.bias.value == Tensor([0, 0, 0]))
    #expect(layer.buffers.map(\.name) == ["running_mean", "running_var", "num_batches_tracked"])
    #expect(layer.runningMean.value == Tensor([0, 0, 0]) && layer.runningVariance.value == Tensor([1, 1, 1]))
    #expect(layer.batchesTracked.value.shape == [] && layer.batchesTracked.value.scalars == [0])
    #expect(layer.description == "BatchNorm2d(3)" && !layer.isActivation)
    #expect(
      BatchNorm2d(input: oddImage, epsilon: 1e-3, momentum: 0.01).description
        == "BatchNorm2d(3, epsilon: 0.001, momentum: 0.01)")
    #expect(layer.outputShape == oddImage && layer.outputFeatures(inputFeatures: 105) == 105)
  }

  @Test func trainingNormalizesWithTheBatchStatistics() {
    let layer = batchNorm()
    let input = normalMatrix(3, 105, seed: 1) * 2 + 3
    let output = forward(layer, input, training: true)
    let (means, variances) = channelStatistics(input, image: oddImage)
    var expected = Tensor(zeros: input.shape)
    for n in 0..<3 {
      for k in 0..<105 {
        let c = k / 35
        let xhat = (Double(input[n, k]) - means[c]) / (variances[c] + 1e-5).squareRoot()
        expected[n, k] = Float(xhat * Double(layer.weight.value.scalars[c]) + Double(layer.bias.value.scalars[c]))
      }
    }
    #expect(output.isApproximatelyEqual(to: expected, relativeTolerance: 1e-5))
  }

  @Test func runningStatisticsFollowPyTorchsUpdateAndEvaluationUsesThem() {
    let layer = batchNorm()
    var (runningMeans, runningVariances) = ([Double](repeating: 0, count: 3), [Double](repeating: 1, count: 3))
    for step in 0..<4 {
      let input = normalMatrix(3, 105, seed: UInt64(10 + step)) * Float(step + 1) + Float(step)
      _ = forward(layer, input, training: true)
      let (means, variances) = channelStatistics(input, image: oddImage)
      for c in 0..<3 {
        runningMeans[c] = 0.9 * runningMeans[c] + 0.1 * means[c]
        runningVariances[c] = 0.9 * runningVariances[c] + 0.1 * variances[c] * 105 / 104
      }
    }
    #expect(layer.runningMean.value.isApproximatelyEqual(to: Tensor(runningMeans.map { Float($0) })))
    #expect(layer.runningVariance.value.isApproximatelyEqual(to: Tensor(runningVariances.map { Float($0) })))
    #expect(layer.batchesTracked.value.scalars == [4])

    let input = normalMatrix(2, 105, seed: 20)
    let output = forward(layer, input, training: false)
    var expected = Tensor(zeros: input.shape)
    for n in 0..<2 {
      for k in 0..<105 {
        let c = k / 35
        let xhat = (Double(input[n, k]) - runningMeans[c]) / (runningVariances[c] + 1e-5).squareRoot()
        expected[n, k] = Float(xhat * Double(layer.weight.value.scalars[c]) + Double(layer.bias.value.scalars[c]))
      }
    }
    #expect(output.isApproximatelyEqual(to: expected, relativeTolerance: 1e-5))
    // Evaluation leaves the running statistics and the count alone.
    #expect(layer.runningMean.value.isApproximatelyEqual(to: Tensor(runningMeans.map { Float($0) })))
    #expect(layer.batchesTracked.value.scalars == [4])
  }

  @Test(arguments: [true, false])
  func gradientsMatchFiniteDifferences(training: Bool) {
    let layer = batchNorm()
    for seed in 0..<3 { _ = forward(layer, normalMatrix(4, 105, seed: UInt64(30 + seed)) + 1, training: true) }
    let errors = GradientCheck.checkLayer(
      layer, input: normalMatrix(3, 105, seed: 5) * 1.5 + 0.5, seed: 6, training: training)
    #expect(errors.input < 1e-2, "training \(training)")
    #expect(errors.parameters.count == 2 && errors.parameters.allSatisfy { $0 < 1e-2 }, "training \(training)")
  }

  @Test func backwardDifferentiatesWhatTheLastForwardDid() {
    let layer = batchNorm()
    let input = normalMatrix(3, 105, seed: 7)
    let upstream = normalMatrix(3, 105, seed: 8)
    _ = forward(layer, input, training: true)
    let output = forward(layer, input, training: false)
    // Evaluation: an affine map per channel, dL/dx = gamma / sqrt(running_var + epsilon) dL/dy.
    let gradient = inputGradient(layer, input: input, output: output, upstream: upstream)
    var expected = Tensor(zeros: input.shape)
    for n in 0..<3 {
      for k in 0..<105 {
        let c = k / 35
        let scale = layer.weight.value.scalars[c] / (layer.runningVariance.value.scalars[c] + 1e-5).squareRoot()
        expected[n, k] = scale * upstream[n, k]
      }
    }
    #expect(gradient.isApproximatelyEqual(to: expected, relativeTolerance: 1e-5))
    // Training: the gradient through the batch statistics sums to zero over each channel.
    let trainingGradient = inputGradient(
      layer, input: input, output: forward(layer, input, training: true), upstream: upstream)
    for c in 0..<3 {
      let sum = (0..<3).reduce(Float(0)) { total, n in
        total + (0..<35).reduce(Float(0)) { $0 + trainingGradient[n, c * 35 + $1] }
      }
      #expect(abs(sum) < 1e-4)
    }
  }

  @Test func parameterGradientsAccumulateAndOverwriteAfterAReset() {
    let layer = batchNorm()
    let input = normalMatrix(3, 105, seed: 9)
    let upstream = normalMatrix(3, 105, seed: 10)
    let output = forward(layer, input, training: true)
    for parameter in layer.parameters { parameter.zeroGradient() }
    _ = inputGradient(layer, input: input, output: output, upstream: upstream)
    let once = layer.parameters.map(\.gradient)
    _ = inputGradient(layer, input: input, output: output, upstream: upstream)
    #expect(layer.parameters.map(\.gradient) == once.map { $0 * 2 })
    for parameter in layer.parameters { parameter.resetGradient() }
    var unused = Tensor(zeros: input.shape)
    layer.backward(
      input: input, output: output, outputGradient: upstream, inputGradient: &unused, needsInputGradient: false)
    #expect(layer.parameters.map(\.gradient) == once)
    // dL/dbeta is the sum of dL/dy over each channel.
    let betaGradient = (0..<3).map { c in
      (0..<3).reduce(Float(0)) { total, n in total + (0..<35).reduce(Float(0)) { $0 + upstream[n, c * 35 + $1] } }
    }
    #expect(layer.bias.gradient.isApproximatelyEqual(to: Tensor(betaGradient), relativeTolerance: 1e-4))
  }

  @Test func anEmptyBatchChangesNoStatistics() {
    let layer = batchNorm()
    #expect(emptyBatchShapes(layer, features: 105, training: true) == ([0, 105], [0, 105]))
    #expect(emptyBatchShapes(layer, features: 105, training: false) == ([0, 105], [0, 105]))
    #expect(layer.runningMean.value == Tensor([0, 0, 0]) && layer.runningVariance.value == Tensor([1, 1, 1]))
  }
}
