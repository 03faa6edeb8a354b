import SparsityCore
import Testing

@testable import SparsityNN

@Suite struct MaxPool2dTests {
  static let window = SlidingWindow(kernelRows: 3, kernelColumns: 3, stride: 2, padding: 1)

  @Test func shapesAndDescription() {
    let layer = MaxPool2d(input: oddImage, window: Self.window)
    #expect(layer.outputShape == ImageShape(channels: 3, rows: 4, columns: 3))
    #expect(layer.outputFeatures(inputFeatures: 105) == 36)
    #expect(
      MaxPool2d(input: oddImage, window: SlidingWindow(kernelRows: 2, kernelColumns: 2, stride: 2)).description
        == "MaxPool2d(2x2, stride 2)")
    #expect(layer.description == "MaxPool2d(3x3, stride 2, padding 1)" && !layer.isActivation)
    #expect(layer.parameters.isEmpty && layer.buffers.isEmpty)
  }

  @Test func forwardAndBackwardAreTheCoreKernels() {
    let layer = MaxPool2d(input: oddImage, window: Self.window)
    let input = normalMatrix(3, 105, seed: 1)
    let output = forward(layer, input, training: true)
    var expected = Tensor(zeros: [3, 36])
    var argmax = [Int32](repeating: 0, count: 108)
    maxPool2dReference(input, image: oddImage, window: Self.window, into: &expected, argmax: &argmax)
    #expect(output == expected)
    let upstream = normalMatrix(3, 36, seed: 2)
    var expectedGradient = Tensor(zeros: input.shape)
    maxPool2dBackwardReference(upstream, argmax: argmax, image: oddImage, into: &expectedGradient)
    #expect(inputGradient(layer, input: input, output: output, upstream: upstream) == expectedGradient)
  }

  @Test(arguments: [
    SlidingWindow(kernelRows: 3, kernelColumns: 3, stride: 2, padding: 1),
    SlidingWindow(kernelRows: 2, kernelColumns: 2, stride: 2),
    SlidingWindow(kernelRows: 2, kernelColumns: 3, stride: 1, padding: 1, dilation: 2),
  ])
  func gradientMatchesFiniteDifferences(window: SlidingWindow) {
    let layer = MaxPool2d(input: oddImage, window: window)
    let errors = GradientCheck.checkLayer(layer, input: distinctValues(3, 105, seed: 3), seed: 4)
    #expect(errors.input < 1e-2, "\(window)")
  }

  @Test func reusesItsIndicesAndHandlesAnEmptyBatch() {
    let layer = MaxPool2d(input: oddImage, window: Self.window)
    #expect(emptyBatchShapes(layer, features: 105, training: true) == ([0, 36], [0, 105]))
    let input = normalMatrix(2, 105, seed: 5)
    #expect(forward(layer, input, training: false) == forward(layer, input, training: true))
  }
}
