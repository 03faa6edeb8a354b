import Testing

@testable import SparsityCore

/// Counting is exact: kernels and twins agree on every count, and on the Double sums, which both
/// add in input order.
@Suite struct CountingKernelsTests {
  /// (rows, columns): empty either way, single, around the SIMD width, odd.
  static let shapes: [(Int, Int)] = [(0, 5), (5, 0), (1, 1), (3, 16), (17, 17), (64, 33), (100, 257)]

  @Test(arguments: shapes)
  func zerosPerColumnMatchTheTwin(rows: Int, columns: Int) {
    for zeroFraction in [0.0, 0.5, 1.0] {
      let matrix = randomMatrix(rows, columns, zeroFraction: zeroFraction, seed: UInt64(rows + columns)).relu()
      var (fast, twin) = ([Int](repeating: 1, count: columns), [Int](repeating: 1, count: columns))
      countZerosPerColumn(of: matrix, into: &fast)
      countZerosPerColumnReference(of: matrix, into: &twin)
      #expect(fast == twin, "\(rows) x \(columns), zeros \(zeroFraction)")
    }
  }

  @Test(arguments: shapes)
  func activationTallyMatchesItsTwin(rows: Int, columns: Int) {
    let classes = 3
    var generator = Xoshiro256StarStar(seed: UInt64(rows))
    let labels = (0..<rows).map { _ in Int(generator.next() % UInt64(classes)) }
    for labeled in [false, true] {
      var (fast, twin) = (
        ActivationTally(units: columns, classes: classes, epsilon: 0.1),
        ActivationTally(units: columns, classes: classes, epsilon: 0.1)
      )
      for batch in 0..<2 {
        let matrix = randomMatrix(rows, columns, zeroFraction: 0.4, seed: UInt64(10 * batch + rows))
        let slice = labeled ? labels[...] : nil
        #expect(fast.add(matrix, labels: slice) == twin.addReference(matrix, labels: slice))
      }
      #expect(fast == twin, "\(rows) x \(columns), labeled \(labeled)")
    }
  }

  @Test func activationTallyCountsTheSeedExample() {
    var tally = ActivationTally(units: 4, classes: 2, epsilon: 1)
    let active = tally.add(Tensor(rows: [[0, 3.2, 0.5, -2], [0, 0, 5.1, 0.7]]), labels: [1, 0])
    #expect(active == [2, 1])
    #expect(tally.zeros == 3 && tally.nearZeros == 5)
    #expect(tally.firing == [0, 1, 1, 1])
    #expect(tally.activeRange == (-2, 5.1))
    #expect(tally.classSums[1 * 4 + 1] == Double(Float(3.2)) && tally.classSums[0 * 4 + 2] == Double(Float(5.1)))
  }
}
