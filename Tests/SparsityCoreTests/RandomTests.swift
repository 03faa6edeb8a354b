import Testing

@testable import SparsityCore

@Suite struct RandomTests {
  @Test func sameSeedSameStreamDifferentSeedDifferentStream() {
    var a = Xoshiro256StarStar(seed: 42)
    var b = Xoshiro256StarStar(seed: 42)
    var c = Xoshiro256StarStar(seed: 43)
    let first = (0..<5).map { _ in a.next() }
    #expect(first == (0..<5).map { _ in b.next() })
    #expect(first != (0..<5).map { _ in c.next() })
  }

  @Test func uniformAndNormalHaveTheRightMoments() {
    var generator = Xoshiro256StarStar(seed: 7)
    let uniform = Tensor.uniform(shape: [100_000], using: &generator)
    #expect(abs(uniform.mean() - 0.5) < 0.01)
    #expect(uniform.min()! >= 0 && uniform.max()! < 1)
    let normal = Tensor.normal(shape: [100_000], mean: 2, standardDeviation: 3, using: &generator)
    let mean = normal.mean()
    let variance = normal.map { ($0 - mean) * ($0 - mean) }.mean()
    #expect(abs(mean - 2) < 0.05)
    #expect(abs(variance.squareRoot() - 3) < 0.05)
  }

  @Test func permutationIsAPermutation() {
    var generator = Xoshiro256StarStar(seed: 1)
    let permutation = generator.permutation(1000)
    #expect(permutation.sorted() == Array(0..<1000))
    #expect(permutation != Array(0..<1000))
    #expect(generator.permutation(0).isEmpty && generator.permutation(1) == [0])
  }

  @Test func sparsifiedHitsTheRequestedZeroFraction() {
    var generator = Xoshiro256StarStar(seed: 3)
    let dense = Tensor(repeating: 1, shape: [200, 500])
    let sparse = dense.sparsified(zeroFraction: 0.9, using: &generator)
    let zeros = sparse.scalars.filter { $0 == 0 }.count
    #expect(abs(Double(zeros) / 100_000 - 0.9) < 0.005)
    #expect(dense.sparsified(zeroFraction: 1, using: &generator) == Tensor(zeros: [200, 500]))
    #expect(dense.sparsified(zeroFraction: 0, using: &generator) == dense)
  }
}
