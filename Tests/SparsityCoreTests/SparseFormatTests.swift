import Testing

@testable import SparsityCore

@Suite struct SparseFormatTests {
  let matrix = Tensor(rows: [[0, 1.5, 0, 0, -2], [0, 0, 0, 0, 0], [3, 0, 0.001, 0, 4]])

  @Test func csrRoundTripsAndCountsEntries() {
    let csr = CSRMatrix(dense: matrix)
    #expect(csr.nonzeroCount == 5)
    #expect(csr.rowOffsets == [0, 2, 2, 5])
    #expect(csr.columnIndices == [1, 4, 0, 2, 4])
    #expect(csr.toDense() == matrix)
    #expect(abs(csr.sparsity - 10.0 / 15.0) < 1e-12)
    #expect(csr.storedBytes == 5 * 4 + 5 * 4 + 4 * 8)
  }

  @Test func thresholdRuleDropsSmallMagnitudes() {
    let csr = CSRMatrix(dense: matrix, rule: .magnitudeAtMost(0.01))
    #expect(csr.nonzeroCount == 4)
    var expected = matrix
    expected[2, 2] = 0
    #expect(csr.toDense() == expected)
  }

  @Test func transposeAndCSCAgreeWithDense() {
    let csr = CSRMatrix(dense: matrix)
    #expect(csr.transposed().toDense() == matrix.transposed())
    #expect(csr.transposed().transposed() == csr)
    let csc = CSCMatrix(dense: matrix)
    #expect(csc.rows == 3 && csc.columns == 5)
    #expect(csc.toDense() == matrix)
    #expect(CSCMatrix(csr) == csc)
  }

  @Test func bsrRoundTripsWithPaddedEdgeBlocks() {
    for (blockRows, blockColumns) in [(1, 4), (4, 1), (2, 2), (4, 4)] {
      let bsr = BSRMatrix(dense: matrix, blockRows: blockRows, blockColumns: blockColumns)
      #expect(bsr.toDense() == matrix, "block \(blockRows)x\(blockColumns)")
      #expect(bsr.nonzeroCount == 5)
    }
    // 1 x 4 blocks over 5 columns: block columns 0 (cols 0-3) and 1 (col 4, padded).
    let bsr = BSRMatrix(dense: matrix, blockRows: 1, blockColumns: 4)
    #expect(bsr.blockOffsets == [0, 2, 2, 4])
    #expect(bsr.blockColumnIndices == [0, 1, 0, 1])
    #expect(abs(bsr.fillRatio - 5.0 / 16.0) < 1e-12)
  }

  @Test func emptyAndAllZeroMatrices() {
    let empty = Tensor(zeros: [0, 7])
    #expect(CSRMatrix(dense: empty).toDense() == empty)
    #expect(BSRMatrix(dense: empty, blockRows: 4, blockColumns: 1).toDense() == empty)
    let zeros = Tensor(zeros: [6, 9])
    #expect(CSRMatrix(dense: zeros).nonzeroCount == 0)
    #expect(BSRMatrix(dense: zeros, blockRows: 1, blockColumns: 4).blockCount == 0)
    #expect(CSRMatrix(dense: zeros).sparsity == 1)
  }
}
