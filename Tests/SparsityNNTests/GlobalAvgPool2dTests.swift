import SparsityCore
import Testing

@testable import SparsityNN

@Suite struct GlobalAvgPool2dTests {
  @Test func shapesAndDescription() {
    let layer = GlobalAvgPool2d(input: oddImage)
    #expect(layer.outputShape == ImageShape(channels: 3, rows: 1, columns: 1))
    #expect(layer.outputFeatures(inputFeatures: 105) == 3)
    #expect(layer.description == "GlobalAvgPool2d" && !layer.isActivation && layer.parameters.isEmpty)
  }

  @Test func averagesEachChannelAndSpreadsTheGradient() {
    let layer = GlobalAvgPool2d(input: ImageShape(channels: 2, rows: 1, columns: 3))
    let input = Tensor(rows: [[1, 2, 3, 0, 0, 6]])
    let output = forward(layer, input, training: false)
    #expect(output == Tensor(rows: [[2, 2]]))
    #expect(
      inputGradient(layer, input: input, output: output, upstream: Tensor(rows: [[3, -6]]))
        == Tensor(rows: [[1, 1, 1, -2, -2, -2]]))
  }

  @Test func gradientMatchesFiniteDifferences() {
    let errors = GradientCheck.checkLayer(
      GlobalAvgPool2d(input: oddImage), input: normalMatrix(3, 105, seed: 1), seed: 2)
    #expect(errors.input < 1e-2)
  }

  @Test func handlesAnEmptyBatch() {
    #expect(emptyBatchShapes(GlobalAvgPool2d(input: oddImage), features: 105, training: true) == ([0, 3], [0, 105]))
  }
}
