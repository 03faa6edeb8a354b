import Testing

@testable import SparsityCore

@Suite struct AveragePoolKernelsTests {
  @Test(arguments: poolingTestCases)
  func matchesItsTwinBitForBit(batch: Int, image: ImageShape, window: SlidingWindow) {
    let outputImage = window.outputShape(of: image)!
    let input = randomMatrix(batch, image.featureCount, zeroFraction: 0.2, seed: UInt64(image.featureCount))
    let shape = [batch, outputImage.featureCount]
    var (fast, twin) = (Tensor(repeating: .nan, shape: shape), Tensor(repeating: .nan, shape: shape))
    avgPool2d(input, image: image, window: window, into: &fast)
    avgPool2dReference(input, image: image, window: window, into: &twin)
    #expect(bits(fast) == bits(twin), "\(batch) x \(image), \(window)")

    let gradient = randomMatrix(batch, outputImage.featureCount, zeroFraction: 0, seed: 6)
    var (fastGradient, twinGradient) = (
      Tensor(repeating: .nan, shape: input.shape), Tensor(repeating: .nan, shape: input.shape)
    )
    avgPool2dBackward(gradient, image: image, window: window, into: &fastGradient)
    avgPool2dBackwardReference(gradient, image: image, window: window, into: &twinGradient)
    #expect(bits(fastGradient) == bits(twinGradient), "backward: \(batch) x \(image), \(window)")
  }

  @Test func paddingCountsInTheDivisor() {
    // 2 x 2 image of ones, 3 x 3 window, padding 1: every window sees 4 ones of 9 taps.
    let image = ImageShape(rows: 2, columns: 2)
    let window = SlidingWindow(kernelRows: 3, kernelColumns: 3, padding: 1)
    var output = Tensor(zeros: [1, 4])
    avgPool2d(Tensor(repeating: 1, shape: [1, 4]), image: image, window: window, into: &output)
    #expect(output == Tensor(repeating: Float(4) / 9, shape: [1, 4]))
    var inputGradient = Tensor(zeros: [1, 4])
    avgPool2dBackward(Tensor(repeating: 9, shape: [1, 4]), image: image, window: window, into: &inputGradient)
    #expect(inputGradient == Tensor(repeating: 4, shape: [1, 4]))  // each pixel is in all four windows
  }

  @Test func averagesTwoByTwoBlocks() {
    let image = ImageShape(channels: 2, rows: 2, columns: 4)
    var output = Tensor(zeros: [1, 4])
    avgPool2d(
      Tensor(rows: [[1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 4, 4, 0, 4, 4, 4]]), image: image,
      window: SlidingWindow(kernelRows: 2, kernelColumns: 2, stride: 2), into: &output)
    #expect(output == Tensor(rows: [[3.5, 5.5, 1, 4]]))
  }
}
