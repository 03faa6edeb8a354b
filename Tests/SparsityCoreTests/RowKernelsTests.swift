import SparsityTestSupport
import Testing

@testable import SparsityCore

/// Row-wise kernels against their twins, on widths around the SIMD width and row counts that
/// take the multi-threaded path.
@Suite struct RowKernelsTests {
  static let shapes: [(Int, Int)] = [(0, 5), (1, 1), (3, 15), (7, 16), (9, 17), (300, 384), (2000, 33)]

  @Test(arguments: shapes)
  func normalizedRowsHaveUnitNormLikeTheTwin(rows: Int, width: Int) {
    var fast = randomMatrix(rows, width, zeroFraction: 0, seed: 4).scalars
    if rows > 2 { for c in 0..<width { fast[2 * width + c] = 0 } }  // a zero row stays zero
    var twin = fast
    normalizeRows(&fast, rows: rows, width: width)
    normalizeRowsReference(&twin, rows: rows, width: width)
    for e in fast.indices { #expect(abs(fast[e] - twin[e]) <= 1e-6 * Swift.max(1, abs(twin[e]))) }
  }

  @Test(arguments: shapes)
  func tangentGradientsMatchTheTwin(rows: Int, width: Int) {
    var directions = randomMatrix(rows, width, zeroFraction: 0, seed: 5).scalars
    normalizeRowsReference(&directions, rows: rows, width: width)
    var fast = randomMatrix(rows, width, zeroFraction: 0, seed: 6).scalars
    var twin = fast
    removeRowParallelComponents(&fast, along: directions, rows: rows, width: width)
    removeRowParallelComponentsReference(&twin, along: directions, rows: rows, width: width)
    for j in 0..<rows {
      let dot = (0..<width).reduce(Float(0)) { $0 + fast[j * width + $1] * directions[j * width + $1] }
      #expect(abs(dot) <= 1e-5 * Float(width).squareRoot(), "row \(j) keeps a parallel part \(dot)")
    }
    for e in fast.indices { #expect(abs(fast[e] - twin[e]) <= 1e-5 * Swift.max(1, abs(twin[e]))) }
  }

  @Test func scaledRowIsAddedToEveryRowByItsScale() {
    var matrix = [Float](repeating: 1, count: 3 * 20)
    let row = (0..<20).map { Float($0) }
    addScaledRow(&matrix, scales: [0, 2, -1], row: row)
    for j in 0..<3 { for c in 0..<20 { #expect(matrix[j * 20 + c] == 1 + [0, 2, -1][j] * Float(c)) } }
  }
}
