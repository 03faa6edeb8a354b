import SparsityCore
import Testing

@testable import SparsityCoding

@Suite struct ProximalGradientSolverTests {
  let d = CodingFixture.dictionary(atoms: 40, features: 24, seed: 31)
  let x = CodingFixture.samples(4, features: 24, seed: 32)

  /// More iterations never leave a larger duality gap (ISTA is monotone in the objective).
  @Test func dualityGapShrinksWithIterations() {
    var previous = [Double](repeating: .infinity, count: 4)
    for iterations in [1, 5, 25, 125, 625] {
      let result = sparseEncode(x, dictionary: d, solver: .ista(lambda: 0.3, maxIterations: iterations, tolerance: 0))
      for (i, gap) in result.dualityGaps!.enumerated() {
        #expect(gap >= 0 && gap <= previous[i] * (1 + 1e-9), "iterations \(iterations) sample \(i)")
        previous[i] = gap
      }
    }
    #expect(previous.allSatisfy { $0 < 1e-3 })
  }

  /// One iteration with a tight tolerance does not converge; that is reported, not thrown.
  @Test(arguments: [
    SparseCodingSolver.ista(lambda: 0.1, maxIterations: 1, tolerance: 1e-12),
    .fista(lambda: 0.1, maxIterations: 1, tolerance: 1e-12),
    .coordinateDescent(lambda: 0.1, maxIterations: 1, tolerance: 1e-12),
  ])
  func nonConvergenceIsReported(solver: SparseCodingSolver) {
    let result = sparseEncode(x, dictionary: d, solver: solver)
    #expect(result.nonConvergedCount == 4)
    #expect(result.converged.allSatisfy { !$0 })
    #expect(result.iterations.allSatisfy { $0 == 1 })
  }

  /// FISTA with restart reaches a tight gap in far fewer iterations than ISTA.
  @Test func fistaNeedsFewerIterationsThanIsta() {
    let ista = sparseEncode(x, dictionary: d, solver: .ista(lambda: 0.2, maxIterations: 100_000, tolerance: 1e-9))
    let fista = sparseEncode(x, dictionary: d, solver: .fista(lambda: 0.2, maxIterations: 100_000, tolerance: 1e-9))
    #expect(ista.nonConvergedCount == 0 && fista.nonConvergedCount == 0)
    #expect(fista.iterations.reduce(0, +) < ista.iterations.reduce(0, +))
  }

  /// A lambda above ||D x||_inf gives the zero code immediately.
  @Test func largeLambdaGivesZeroCode() {
    let lambda = LassoProblem(dictionary: d).correlations(x).scalars.map(abs).max()! * 1.01
    for solver in [
      SparseCodingSolver.ista(lambda: lambda), .fista(lambda: lambda), .coordinateDescent(lambda: lambda),
      .lars(lambda: lambda),
    ] {
      let result = sparseEncode(x, dictionary: d, solver: solver)
      #expect(result.codes.scalars.allSatisfy { $0 == 0 }, "\(solver)")
      #expect(result.nonConvergedCount == 0)
    }
  }
}
