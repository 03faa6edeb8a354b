import SparsityCore
import SparsityTestSupport
import Testing

@testable import SparsityNN

@Suite struct Conv2dTests {
  /// Double-precision-loss finite differences on odd shapes: 5x5, stride 2 with padding, groups,
  /// depthwise, 1x1, dilation; the bar is relative error under 1e-3.
  @Test(
    arguments: [
      (ImageShape(channels: 1, rows: 7, columns: 6), 2, SlidingWindow(kernelRows: 5, kernelColumns: 5), 1),
      (
        ImageShape(channels: 3, rows: 7, columns: 5), 4,
        SlidingWindow(kernelRows: 3, kernelColumns: 3, stride: 2, padding: 1), 1
      ),
      (ImageShape(channels: 4, rows: 5, columns: 5), 6, SlidingWindow(kernelRows: 3, kernelColumns: 3, padding: 1), 2),
      (ImageShape(channels: 3, rows: 5, columns: 4), 3, SlidingWindow(kernelRows: 3, kernelColumns: 3, padding: 1), 3),
      (ImageShape(channels: 4, rows: 3, columns: 5), 5, SlidingWindow(kernelRows: 1, kernelColumns: 1), 1),
      (
        ImageShape(channels: 2, rows: 7, columns: 7), 2,
        SlidingWindow(kernelRows: 3, kernelColumns: 3, padding: 2, dilation: 2), 1
      ),
    ])
  func gradientsMatchFiniteDifferences(input: ImageShape, outputChannels: Int, window: SlidingWindow, groups: Int) {
    let geometry = ConvolutionGeometry(input: input, outputChannels: outputChannels, window: window, groups: groups)!
    var generator = Xoshiro256StarStar(seed: 1)
    for bias in [true, false] {
      let layer = Conv2d(geometry, bias: bias, initialization: .pytorchDefault, using: &generator)
      let errors = GradientCheck.checkLayer(layer, input: normalMatrix(3, input.featureCount, seed: 2), seed: 3)
      #expect(errors.input < 1e-3, "\(layer): input gradient error \(errors.input)")
      #expect(errors.parameters.count == (bias ? 2 : 1))
      #expect(errors.parameters.allSatisfy { $0 < 1e-3 }, "\(layer): parameter errors \(errors.parameters)")
    }
  }

  @Test func backwardFromSavedPatchesEqualsBackwardFromTheInput() {
    var generator = Xoshiro256StarStar(seed: 12)
    let geometry = ConvolutionGeometry(
      input: ImageShape(channels: 4, rows: 7, columns: 6), outputChannels: 6,
      window: SlidingWindow(kernelRows: 3, kernelColumns: 3, stride: 2, padding: 1), groups: 2)!
    let layer = Conv2d(geometry, using: &generator)
    let input = normalMatrix(70, geometry.input.featureCount, seed: 13)
    let upstream = normalMatrix(70, geometry.output.featureCount, seed: 14)
    var results = [(Tensor, Tensor, Tensor)]()
    for training in [false, true] {
      var output = Tensor(zeros: upstream.shape)
      var inputGradient = Tensor(zeros: input.shape)
      layer.forward(input, into: &output, training: training)
      layer.weight.resetGradient()
      layer.backward(
        input: input, output: output, outputGradient: upstream, inputGradient: &inputGradient, needsInputGradient: true)
      results.append((output, layer.weight.gradient, inputGradient))
    }
    #expect(results[0].0 == results[1].0)
    #expect(results[0].1 == results[1].1)
    #expect(results[0].2 == results[1].2)
    let errors = GradientCheck.checkLayer(
      layer, input: normalMatrix(3, geometry.input.featureCount, seed: 15), seed: 16, training: true)
    #expect(errors.input < 1e-3 && errors.parameters.allSatisfy { $0 < 1e-3 })
  }

  @Test func weightsHavePyTorchsShapeAndFans() {
    var generator = Xoshiro256StarStar(seed: 4)
    let geometry = ConvolutionGeometry(
      input: ImageShape(channels: 4, rows: 9, columns: 9), outputChannels: 8,
      window: SlidingWindow(kernelRows: 3, kernelColumns: 3), groups: 2)!
    let layer = Conv2d(geometry, initialization: .pytorchDefault, using: &generator)
    #expect(layer.weight.value.shape == [8, 2, 3, 3])
    #expect(layer.bias!.value.shape == [8])
    // U(-1/sqrt(fanIn), 1/sqrt(fanIn)) with fanIn = 2 * 3 * 3.
    let bound = 1 / Float(18).squareRoot()
    #expect(layer.weight.value.scalars.allSatisfy { abs($0) <= bound })
    #expect(layer.outputFeatures(inputFeatures: 4 * 81) == 8 * 49)
    #expect(layer.description == "Conv2d(4, 8, 3x3, groups 2)")
  }

  @Test func backwardAccumulatesAfterTheFirstStepAndHandlesAnEmptyBatch() {
    var generator = Xoshiro256StarStar(seed: 5)
    let geometry = ConvolutionGeometry(
      input: ImageShape(channels: 2, rows: 5, columns: 5), outputChannels: 3,
      window: SlidingWindow(kernelRows: 3, kernelColumns: 3))!
    let layer = Conv2d(geometry, using: &generator)
    let input = normalMatrix(2, 50, seed: 6)
    let upstream = normalMatrix(2, 27, seed: 7)
    var output = Tensor(zeros: [2, 27])
    var inputGradient = Tensor(zeros: [2, 50])
    layer.forward(input, into: &output, training: true)
    layer.weight.zeroGradient()
    layer.bias!.zeroGradient()
    layer.backward(
      input: input, output: output, outputGradient: upstream, inputGradient: &inputGradient, needsInputGradient: true)
    let once = layer.weight.gradient
    layer.backward(
      input: input, output: output, outputGradient: upstream, inputGradient: &inputGradient, needsInputGradient: false)
    #expect(relativeError(layer.weight.gradient, once.map { 2 * $0 }) < 1e-6)

    var empty = Tensor(zeros: [0, 27])
    layer.forward(Tensor(zeros: [0, 50]), into: &empty, training: true)
    var emptyGradient = Tensor(zeros: [0, 50])
    layer.backward(
      input: Tensor(zeros: [0, 50]), output: empty, outputGradient: empty, inputGradient: &emptyGradient,
      needsInputGradient: true)
  }
}
