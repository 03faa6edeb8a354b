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
