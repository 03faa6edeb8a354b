import SparsityCore
import Testing

@testable import SparsityCoding

@Suite struct SparseEncodeTests {
  let d = CodingFixture.dictionary(atoms: 48, features: 32, seed: 51)
  let x = CodingFixture.samples(9, features: 32, seed: 52)

  static let solvers: [SparseCodingSolver] = [
    .ista(lambda: 0.3, maxIterations: 5000, tolerance: 1e-8), .fista(lambda: 0.3, tolerance: 1e-8),
    .coordinateDescent(lambda: 0.3, tolerance: 1e-8), .lars(lambda: 0.3), .lars(lambda: 0.3, positive: true),
    .orthogonalMatchingPursuit(nonzeros: 6), .threshold(lambda: 0.3),
  ]

  /// Coding the batch (split over the cores) gives each sample's own result. C = X D^T is one
  /// sgemm for the batch and a 1-row product per sample, so agreement is to Float rounding.
  @Test(arguments: solvers)
  func batchEqualsPerSample(solver: SparseCodingSolver) {
    let problem = LassoProblem(dictionary: d)
    let batch = sparseEncode(x, problem: problem, solver: solver)
    #expect(batch.codes.shape == [9, 48])
    for i in 0..<9 {
      let single = sparseEncode(x.rows(i..<(i + 1)), problem: problem, solver: solver)
      for j in 0..<48 { #expect(abs(single.codes[0, j] - batch.codes[i, j]) < 1e-4) }
      #expect(abs(single.objectives[0] - batch.objectives[i]) <= 1e-5 * batch.objectives[i])
      #expect(single.converged[0] == batch.converged[i])
    }
  }

  /// Codes reconstruct the samples better as lambda falls, and an empty batch is fine.
  @Test func reconstructionImprovesAsLambdaFalls() {
    var previous = Double.infinity
    for lambda: Float in [1, 0.3, 0.1, 0.03] {
      let result = sparseEncode(x, dictionary: d, solver: .lars(lambda: lambda))
      let r = Tensor.matmul(result.codes, d)
      var error = 0.0
      for k in 0..<x.count {
        let e = Double(x[flat: k] - r[flat: k])
        error += e * e
      }
      #expect(error < previous)
      previous = error
    }
    let empty = sparseEncode(Tensor(zeros: [0, 32]), dictionary: d, solver: .fista(lambda: 0.1))
    #expect(empty.codes.shape == [0, 48] && empty.nonConvergedCount == 0)
  }

  /// Samples near Float.greatestFiniteMagnitude overflow the Float correlations D x^T: every
  /// solver's codes or objectives must then be non-finite, so that callers refuse them (ISTA
  /// and coordinate descent used to shrink the NaN to a plausible code of zeros).
  @Test(arguments: solvers)
  func correlationsThatOverflowFloatGiveNonFiniteResults(solver: SparseCodingSolver) {
    let result = sparseEncode(Tensor(repeating: 3e38, shape: [3, 32]), dictionary: d, solver: solver)
    #expect(result.codes.scalars.contains { !$0.isFinite } || result.objectives.contains { !$0.isFinite })
  }
}
