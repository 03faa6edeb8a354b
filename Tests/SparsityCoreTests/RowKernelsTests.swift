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

  /// Chosen rows (repeats included) of a matrix against one row, and weighted into one row, on
  /// widths around the 16- and 64-float steps of the kernels.
  @Test(arguments: [(0, 5), (1, 1), (3, 15), (7, 16), (9, 17), (20, 64), (33, 100), (40, 384)])
  func chosenRowKernelsMatchTheirTwins(count: Int, width: Int) {
    let matrix = randomMatrix(50, width, zeroFraction: 0.1, seed: 8).scalars
    let row = randomMatrix(1, width, zeroFraction: 0, seed: 9).scalars
    let weights = randomMatrix(1, Swift.max(1, count), zeroFraction: 0.2, seed: 10).scalars
    let indices = (0..<Swift.max(1, count)).map { Int32(($0 * 7 + 3) % 50) }
    var (fast, twin) = ([Float](repeating: 0, count: count + 1), [Float](repeating: 0, count: count + 1))
    var (sum, sumTwin) = (row, row)
    matrix.withUnsafeBufferPointer { m in
      row.withUnsafeBufferPointer { r in
        indices.withUnsafeBufferPointer { ix in
          weights.withUnsafeBufferPointer { w in
            let (m, r, ix, w) = (m.baseAddress!, r.baseAddress!, ix.baseAddress!, w.baseAddress!)
            dotsWithRows(&fast, r, rows: m, indices: ix, count: count, width: width)
            dotsWithRowsReference(&twin, r, rows: m, indices: ix, count: count, width: width)
            for accumulate in [false, true] {  // Σ, then 2 Σ
              addWeightedRows(
                &sum, rows: m, indices: ix, weights: w, count: count, width: width, accumulate: accumulate)
              addWeightedRowsReference(
                &sumTwin, rows: m, indices: ix, weights: w, count: count, width: width, accumulate: accumulate)
            }
          }
        }
      }
    }
    // Sums of at most `count` (or `width`) products, each rounded: within count ε Σ|terms|.
    let bound = Float(Swift.max(count, width) + 1) * 0x1p-23
    for p in 0..<count {
      let scale = (0..<width).reduce(Float(0)) { $0 + abs(row[$1] * matrix[Int(indices[p]) * width + $1]) }
      #expect(abs(fast[p] - twin[p]) <= bound * Swift.max(scale, 1e-30), "dot \(p)")
    }
    for c in 0..<width {
      let scale = 2 * (0..<count).reduce(Float(0)) { $0 + abs(weights[$1] * matrix[Int(indices[$1]) * width + c]) }
      #expect(abs(sum[c] - sumTwin[c]) <= bound * Swift.max(scale, 1e-30), "column \(c)")
    }
  }
}
