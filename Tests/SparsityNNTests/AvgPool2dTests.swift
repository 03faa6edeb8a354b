import SparsityCore
import Testing

@testable import SparsityNN

@Suite struct AvgPool2dTests {
  static let window = SlidingWindow(kernelRows: 3, kernelColumns: 3, stride: 2, padding: 1)

  @Test func shapesAndDescription() {
    let layer = AvgPool2d(input: oddImage, window: Self.window)
    #expect(layer.outputShape == ImageShape(channels: 3, rows: 4, columns: 3))
    #expect(layer.outputFeatures(inputFeatures: 105) == 36)
    #expect(layer.description == "AvgPool2d(3x3, stride 2, padding 1)" && !layer.isActivation)
    #expect(layer.parameters.isEmpty && layer.buffers.isEmpty)
  }

  @Test func forwardAndBackwardAreTheCoreKernels() {
    let layer = AvgPool2d(input: oddImage, window: Self.window)
    let input = normalMatrix(3, 105, seed: 1)
    let output = forward(layer, input, training: true)
    var expected = Tensor(zeros: [3, 36])
    avgPool2dReference(input, image: oddImage, window: Self.window, into: &expected)
    #expect(output == expected)
    let upstream = normalMatrix(3, 36, seed: 2)
    var expectedGradient = Tensor(zeros: input.shape)
    avgPool2dBackwardReference(upstream, image: oddImage, window: Self.window, into: &expectedGradient)
    #expect(inputGradient(layer, input: input, output: output, upstream: upstream) == expectedGradient)
  }

  @Test(arguments: [
    SlidingWindow(kernelRows: 3, kernelColumns: 3, stride: 2, padding: 1),
    SlidingWindow(kernelRows: 2, kernelColumns: 2, stride: 2),
    SlidingWindow(kernelRows: 3, kernelColumns: 2, stride: 1, padding: 1),
  ])
  func gradientMatchesFiniteDifferences(window: SlidingWindow) {
    let layer = AvgPool2d(input: oddImage, window: window)
    let errors = GradientCheck.checkLayer(layer, input: normalMatrix(3, 105, seed: 3), seed: 4)
    #expect(errors.input < 1e-2, "\(window)")
  }

  @Test func handlesAnEmptyBatch() {
    let layer = AvgPool2d(input: oddImage, window: Self.window)
    #expect(emptyBatchShapes(layer, features: 105, training: true) == ([0, 36], [0, 105]))
  }
}
