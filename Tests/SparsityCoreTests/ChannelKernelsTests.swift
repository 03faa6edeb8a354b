import Testing

@testable import SparsityCore

@Suite struct ChannelKernelsTests {
  static let cases: [(Int, ImageShape)] = [
    (0, ImageShape(channels: 3, rows: 2, columns: 2)), (1, ImageShape(rows: 1, columns: 1)),
    (3, ImageShape(channels: 3, rows: 7, columns: 5)), (200, ImageShape(channels: 16, rows: 4, columns: 5)),
  ]

  @Test(arguments: cases)
  func scaleChannelsMatchesItsTwin(batch: Int, image: ImageShape) {
    let input = randomMatrix(batch, image.featureCount, zeroFraction: 0.1, seed: UInt64(batch))
    var generator = Xoshiro256StarStar(seed: 2)
    var factors = [Float](repeating: 0, count: batch * image.channels)
    drawDropoutMask(&factors, probability: 0.5, using: &generator)
    var (fast, twin) = (Tensor(repeating: .nan, shape: input.shape), Tensor(repeating: .nan, shape: input.shape))
    scaleChannels(input, image: image, by: factors, into: &fast)
    scaleChannelsReference(input, image: image, by: factors, into: &twin)
    #expect(bits(fast) == bits(twin), "\(batch) x \(image)")
  }

  @Test func scalesWholeChannels() {
    var output = Tensor(zeros: [2, 4])
    scaleChannels(
      Tensor(rows: [[1, 2, 3, 4], [5, 6, 7, 8]]), image: ImageShape(channels: 2, rows: 1, columns: 2),
      by: [0, 2, -1, 1], into: &output)
    #expect(output == Tensor(rows: [[0, 0, 6, 8], [-5, -6, 7, 8]]))
  }
}
