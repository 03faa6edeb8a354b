import Testing

@testable import SparsityCore

/// The one-pass tally and the parallel per-row reports against their twins: same sums in the
/// same order, so every count and norm agrees exactly.
@Suite struct SparsityMeasureKernelsTests {
  @Test(arguments: kernelTestLengths)
  func tallyMatchesItsTwin(count: Int) {
    var values = randomValues(count, zeroFraction: 0.4, seed: UInt64(count))
    if count > 2 { (values[0], values[1], values[2]) = (.nan, -.infinity, -0.0) }
    for epsilon: Float in [0, 1e-6, 0.5] {
      #expect(
        tallyMagnitudes(values, epsilon: epsilon) == tallyMagnitudesReference(values, epsilon: epsilon),
        "\(count) values, epsilon \(epsilon)")
    }
  }

  /// (rows, columns): empty either way, single, odd, and enough rows to be split over threads.
  static let shapes: [(Int, Int)] = [(0, 4), (4, 0), (1, 1), (17, 33), (300, 7), (3000, 40)]

  @Test(arguments: shapes)
  func rowReportsMatchTheirTwin(rows: Int, columns: Int) {
    let matrix = randomMatrix(rows, columns, zeroFraction: 0.5, seed: UInt64(rows + columns))
    let fast = sparsityMeasuresOfRows(matrix.scalars, rows: rows, columns: columns, epsilon: 0.01)
    #expect(fast == sparsityMeasuresOfRowsReference(matrix.scalars, rows: rows, columns: columns, epsilon: 0.01))
    #expect(fast == matrix.rowSparsity(epsilon: 0.01))
  }
}
