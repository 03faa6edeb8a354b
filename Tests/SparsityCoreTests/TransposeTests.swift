import Testing

@testable import SparsityCore

@Suite struct TransposeTests {
  /// (rows, columns): empty, single, whole 16 x 16 tiles, partial tiles on either side.
  static let shapes: [(Int, Int)] = [
    (0, 5), (5, 0), (1, 1), (16, 16), (17, 33), (31, 16), (16, 31), (64, 1024), (1024, 64), (40, 7),
  ]

  @Test func matchesTheReferenceTwinOnEveryShape() {
    for (index, (rows, columns)) in Self.shapes.enumerated() {
      let input = randomMatrix(rows, columns, zeroFraction: 0.3, seed: UInt64(index))
      var fast = [Float](repeating: .nan, count: rows * columns)
      var reference = [Float](repeating: -1, count: rows * columns)
      input.scalars.withUnsafeBufferPointer { x in
        guard let xp = x.baseAddress else { return }
        fast.withUnsafeMutableBufferPointer { transpose($0.baseAddress!, xp, rows: rows, columns: columns) }
        reference.withUnsafeMutableBufferPointer {
          transposeReference($0.baseAddress!, xp, rows: rows, columns: columns)
        }
      }
      #expect(fast == reference, "shape \(rows) x \(columns)")
      for i in 0..<rows {
        for j in 0..<columns where reference[j * rows + i] != input[i, j] {
          Issue.record("reference wrong at \(i), \(j)")
        }
      }
    }
  }
}
