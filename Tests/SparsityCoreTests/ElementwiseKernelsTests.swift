import Testing

@testable import SparsityCore

/// Each kernel does the same operations in the same order as its twin, so results must agree
/// bit for bit.
@Suite struct ElementwiseKernelsTests {
  @Test(arguments: kernelTestLengths)
  func clearingCopyingAndScalingMatchTheirTwins(count: Int) {
    let source = randomValues(count, zeroFraction: 0.3, seed: UInt64(count))
    var (fast, twin) = (randomValues(count, seed: 1), randomValues(count, seed: 1))
    setToZero(&fast)
    setToZeroReference(&twin)
    #expect(bits(fast) == bits(twin) && fast.allSatisfy { $0 == 0 })

    copyValues(source, into: &fast)
    copyValuesReference(source, into: &twin)
    #expect(bits(fast) == bits(source) && bits(twin) == bits(source))

    scaleValues(&fast, by: 0.999_7)
    scaleValuesReference(&twin, by: 0.999_7)
    #expect(bits(fast) == bits(twin))
  }

  /// (rows, columns): empty either way, single, around the SIMD width, odd.
  static let shapes: [(Int, Int)] = [(0, 5), (5, 0), (1, 1), (3, 16), (4, 17), (64, 33), (65, 257), (1, 1000)]

  @Test(arguments: shapes)
  func biasAddAndColumnSumsMatchTheirTwins(rows: Int, columns: Int) {
    let matrix = randomMatrix(rows, columns, zeroFraction: 0.2, seed: UInt64(rows * 1000 + columns))
    let vector = randomValues(columns, seed: 7)

    var (fast, twin) = (matrix, matrix)
    addRowVector(vector, to: &fast)
    addRowVectorReference(vector, to: &twin)
    #expect(bits(fast) == bits(twin), "\(rows) x \(columns)")

    var (fastSums, twinSums) = (vector, vector)
    accumulateColumnSums(of: matrix, into: &fastSums)
    accumulateColumnSumsReference(of: matrix, into: &twinSums)
    #expect(bits(fastSums) == bits(twinSums), "\(rows) x \(columns)")
  }

  @Test func columnSumsAreTheSumsOfEachColumn() {
    var sums: [Float] = [10, 20]
    accumulateColumnSums(of: Tensor(rows: [[1, 2], [3, 4], [5, 6]]), into: &sums)
    #expect(sums == [19, 32])
  }
}

@Suite struct RectifyKernelsTests {
  /// ReLU forward and backward against the one-line definitions, on lengths below and above a
  /// vector and a thread's share, with -0, NaN and infinities among the values.
  @Test(arguments: [0, 5, 16, 37, 100_003])
  func matchTheDefinitions(count: Int) {
    var generator = Xoshiro256StarStar(seed: UInt64(count))
    var x = Tensor.normal(shape: [count], using: &generator).scalars
    let specials: [Float] = [-0.0, .nan, .infinity, -.infinity, 0]
    for i in stride(from: 0, to: count, by: 11) { x[i] = specials[(i / 11) % specials.count] }
    let g = Tensor.normal(shape: [count], using: &generator).scalars
    var y = [Float](repeating: 7, count: count)
    rectify(x, into: &y)
    #expect(y.map(\.bitPattern) == x.map { ($0 > 0 ? $0 : 0).bitPattern })
    var back = [Float](repeating: 7, count: count)
    passWhereActive(g, active: y, into: &back)
    #expect(back.map(\.bitPattern) == zip(g, y).map { ($1 > 0 ? $0 : 0).bitPattern })
  }
}
