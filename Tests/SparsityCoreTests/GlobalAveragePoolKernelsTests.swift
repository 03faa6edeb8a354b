import Testing

@testable import SparsityCore

@Suite struct GlobalAveragePoolKernelsTests {
  /// (batch, image): empty, one pixel, odd planes around the eight-lane width, many planes.
  static let cases: [(Int, ImageShape)] = [
    (0, ImageShape(channels: 3, rows: 2, columns: 2)), (1, ImageShape(rows: 1, columns: 1)),
    (3, ImageShape(channels: 3, rows: 7, columns: 5)), (2, ImageShape(channels: 4, rows: 3, columns: 3)),
    (5, ImageShape(channels: 2, rows: 1, columns: 17)), (200, ImageShape(channels: 16, rows: 8, columns: 8)),
  ]

  @Test(arguments: cases)
  func matchesItsTwin(batch: Int, image: ImageShape) {
    let input = randomMatrix(batch, image.featureCount, zeroFraction: 0.1, seed: UInt64(batch + image.featureCount))
    var (fast, twin) = (
      Tensor(repeating: .nan, shape: [batch, image.channels]), Tensor(repeating: .nan, shape: [batch, image.channels])
    )
    globalAvgPool2d(input, image: image, into: &fast)
    globalAvgPool2dReference(input, image: image, into: &twin)
    #expect(fast.isApproximatelyEqual(to: twin, relativeTolerance: 1e-5), "\(batch) x \(image)")

    let gradient = randomMatrix(batch, image.channels, zeroFraction: 0, seed: 4)
    var (fastGradient, twinGradient) = (
      Tensor(repeating: .nan, shape: input.shape), Tensor(repeating: .nan, shape: input.shape)
    )
    globalAvgPool2dBackward(gradient, image: image, into: &fastGradient)
    globalAvgPool2dBackwardReference(gradient, image: image, into: &twinGradient)
    #expect(bits(fastGradient) == bits(twinGradient), "backward: \(batch) x \(image)")
  }

  @Test func averagesEachChannel() {
    var output = Tensor(zeros: [2, 2])
    globalAvgPool2d(
      Tensor(rows: [[1, 2, 3, 4, 0, 0, 0, 8], [1, 1, 1, 1, -4, 4, -4, 4]]),
      image: ImageShape(channels: 2, rows: 2, columns: 2),
      into: &output)
    #expect(output == Tensor(rows: [[2.5, 2], [1, 0]]))
  }
}
