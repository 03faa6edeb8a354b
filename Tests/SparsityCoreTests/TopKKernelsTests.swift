import Testing

@testable import SparsityCore

/// The radix selection against the sorting twin: both keep the same entries exactly, so outputs
/// and masks agree bit for bit.
@Suite struct TopKKernelsTests {
  /// (rows, columns, k): empty, k = columns, k > columns, around the SIMD width and the radix
  /// selection's small-candidate cut-off (16), wide rows.
  static let cases: [(Int, Int, Int)] = [
    (0, 8, 3), (4, 0, 3), (1, 1, 1), (3, 5, 5), (3, 5, 9), (5, 16, 4), (5, 17, 16), (9, 33, 1), (20, 64, 32),
    (7, 300, 17), (2, 1000, 999),
  ]

  private static func check(_ input: Tensor, k: Int, _ label: String) {
    var (fast, twin) = (Tensor(repeating: .nan, shape: input.shape), Tensor(repeating: .nan, shape: input.shape))
    var (fastMask, twinMask) = (
      [Float](repeating: .nan, count: input.count), [Float](repeating: .nan, count: input.count)
    )
    selectTopK(of: input, k: k, into: &fast, mask: &fastMask)
    selectTopKReference(of: input, k: k, into: &twin, mask: &twinMask)
    #expect(bits(fast) == bits(twin), "\(label)")
    #expect(bits(fastMask) == bits(twinMask), "\(label)")
  }

  @Test(arguments: cases)
  func matchesTheSortingTwin(rows: Int, columns: Int, k: Int) {
    Self.check(randomMatrix(rows, columns, zeroFraction: 0.3, seed: UInt64(rows * columns + k)), k: k, "random")
  }

  @Test(arguments: cases)
  func breaksTiesByColumnLikeTheTwin(rows: Int, columns: Int, k: Int) {
    // Few distinct values, signed zeros among them: ties straddle the k-th place in most rows.
    var generator = Xoshiro256StarStar(seed: UInt64(columns))
    let levels: [Float] = [-1, -0.0, 0, 0.5, 2]
    let scalars = (0..<(rows * columns)).map { _ in levels[Int(generator.next() % 5)] }
    Self.check(Tensor(shape: [rows, columns], scalars: scalars), k: k, "ties")
    Self.check(Tensor(repeating: 3, shape: [rows, columns]), k: k, "constant")
  }

  @Test func keepsTheLargestAndMasksThem() {
    var output = Tensor(zeros: [2, 4])
    var mask = [Float](repeating: 0, count: 8)
    selectTopK(of: Tensor(rows: [[1, 4, 2, 3], [0, 0, 0, 0]]), k: 2, into: &output, mask: &mask)
    #expect(output == Tensor(rows: [[0, 4, 0, 3], [0, 0, 0, 0]]))
    #expect(mask == [0, 1, 0, 1, 1, 1, 0, 0])
  }
}
