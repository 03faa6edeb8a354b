import SparsityTestSupport
import Testing

@testable import SparsityCore

@Suite struct TensorTests {
  @Test func matmulMatchesHandComputedProduct() {
    let a = Tensor(rows: [[1, 2, 3], [4, 5, 6]])
    let b = Tensor(rows: [[1, 0], [0, 1], [1, 1]])
    #expect(Tensor.matmul(a, b) == Tensor(rows: [[4, 5], [10, 11]]))
    #expect(Tensor.matmul(a, a, transposeB: true) == Tensor(rows: [[14, 32], [32, 77]]))
    #expect(Tensor.matmul(a, a, transposeA: true).shape == [3, 3])
  }
}

@Suite struct TensorLayoutTests {
  @Test func transposeOfNonSquareAndEmpty() {
    let a = Tensor(rows: [[1, 2, 3], [4, 5, 6]])
    #expect(a.transposed() == Tensor(rows: [[1, 4], [2, 5], [3, 6]]))
    #expect(a.transposed().transposed() == a)
    #expect(Tensor(zeros: [0, 3]).transposed().shape == [3, 0])
    let big = randomMatrix(70, 45, zeroFraction: 0, seed: 2)
    #expect(big.transposed()[44, 69] == big[69, 44])
  }

  @Test func linearProductMatchesNaiveForBatchOneAndMany() {
    let weights = randomMatrix(33, 65, zeroFraction: 0, seed: 3)
    for batch in [1, 5] {
      let input = randomMatrix(batch, 65, zeroFraction: 0, seed: 4)
      var out = Tensor(zeros: [batch, 33])
      Tensor.linearProduct(input, weights: weights, into: &out)
      #expect(relativeError(out, naiveLinear(input, weights)) < 1e-5)
    }
  }

  @Test func reductionsAndRowOperations() {
    let a = Tensor(rows: [[1, 5, 3], [7, 2, 2]])
    #expect(a.sum() == 20)
    #expect(a.sumOfRows() == Tensor([8, 7, 5]))
    #expect(a.sumOfColumns() == Tensor([9, 11]))
    #expect(a.argmaxOfRows() == [1, 0])
    #expect(a.addingRowVector(Tensor([1, 1, 1])) == a + 1)
    #expect(a.gatherRows([1, 1, 0]).row(2) == Tensor([1, 5, 3]))
    #expect(Tensor([-1, 0, 2]).relu() == Tensor([0, 0, 2]))
  }
}
