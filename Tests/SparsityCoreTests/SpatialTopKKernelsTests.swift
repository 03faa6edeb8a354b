import Testing

@testable import SparsityCore

/// The radix selections over channels and positions against their sorting twins: both keep the
/// same entries, so outputs and masks agree bit for bit.
@Suite struct SpatialTopKKernelsTests {
  /// (batch, image, k): empty batch, one pixel, one channel, k at and above the group sizes,
  /// odd planes, groups above the radix selection's small cut-off (16), a batch split over threads.
  static let cases: [(Int, ImageShape, Int)] = [
    (0, ImageShape(channels: 3, rows: 2, columns: 2), 1), (1, ImageShape(rows: 1, columns: 1), 1),
    (2, ImageShape(channels: 1, rows: 3, columns: 3), 2), (3, ImageShape(channels: 3, rows: 7, columns: 5), 2),
    (3, ImageShape(channels: 3, rows: 7, columns: 5), 3), (3, ImageShape(channels: 3, rows: 7, columns: 5), 40),
    (2, ImageShape(channels: 20, rows: 5, columns: 6), 7), (2, ImageShape(channels: 33, rows: 3, columns: 17), 16),
    (100, ImageShape(channels: 16, rows: 6, columns: 6), 5),
  ]

  private static func check(_ input: Tensor, image: ImageShape, k: Int, _ label: String) {
    typealias Selection = (Tensor, ImageShape, Int, inout Tensor, inout [Float]) -> Void
    let pairs: [(String, Selection, Selection)] = [
      (
        "channel", { selectTopKInChannels(of: $0, image: $1, k: $2, into: &$3, mask: &$4) },
        { selectTopKInChannelsReference(of: $0, image: $1, k: $2, into: &$3, mask: &$4) }
      ),
      (
        "position", { selectTopKAtPositions(of: $0, image: $1, k: $2, into: &$3, mask: &$4) },
        { selectTopKAtPositionsReference(of: $0, image: $1, k: $2, into: &$3, mask: &$4) }
      ),
    ]
    for (group, fastSelection, twinSelection) in pairs {
      var (fast, twin) = (Tensor(repeating: .nan, shape: input.shape), Tensor(repeating: .nan, shape: input.shape))
      var (fastMask, twinMask) = (
        [Float](repeating: .nan, count: input.count), [Float](repeating: 7, count: input.count)
      )
      fastSelection(input, image, k, &fast, &fastMask)
      twinSelection(input, image, k, &twin, &twinMask)
      #expect(bits(fast) == bits(twin), "\(label), over \(group): \(input.rows) x \(image), k \(k)")
      #expect(bits(fastMask) == bits(twinMask), "\(label) mask, over \(group): \(input.rows) x \(image), k \(k)")
    }
  }

  @Test(arguments: cases)
  func matchesTheSortingTwins(batch: Int, image: ImageShape, k: Int) {
    let input = randomMatrix(batch, image.featureCount, zeroFraction: 0.3, seed: UInt64(batch + k))
    Self.check(input, image: image, k: k, "random")
    var generator = Xoshiro256StarStar(seed: UInt64(k))
    let levels: [Float] = [-1, -0.0, 0, 0.5, 2]
    let ties = (0..<(batch * image.featureCount)).map { _ in levels[Int(generator.next() % 5)] }
    Self.check(Tensor(shape: input.shape, scalars: ties), image: image, k: k, "ties")
  }

  @Test func keepsTheLargestPerChannelAndPerPosition() {
    // Two channels of 2 x 2 pixels: [[1, 4], [2, 3]] and [[5, 0], [-1, 3]].
    let image = ImageShape(channels: 2, rows: 2, columns: 2)
    let input = Tensor(rows: [[1, 4, 2, 3, 5, 0, -1, 3]])
    var output = Tensor(zeros: [1, 8])
    var mask = [Float](repeating: 0, count: 8)
    selectTopKInChannels(of: input, image: image, k: 2, into: &output, mask: &mask)
    #expect(output == Tensor(rows: [[0, 4, 0, 3, 5, 0, 0, 3]]) && mask == [0, 1, 0, 1, 1, 0, 0, 1])
    selectTopKAtPositions(of: input, image: image, k: 1, into: &output, mask: &mask)
    // Pixel 3 ties (3 and 3): the lower channel wins.
    #expect(output == Tensor(rows: [[0, 4, 2, 3, 5, 0, 0, 0]]) && mask == [0, 1, 1, 1, 1, 0, 0, 0])
  }
}
