import SparsityCore
import Testing

@testable import SparsityCoding

/// ISTA, FISTA, coordinate descent and LARS minimize the same Lasso objective: their optimal
/// values agree (objectives accumulated in Double), and each satisfies the KKT conditions.
@Suite struct SolverAgreementTests {
  static let d = CodingFixture.dictionary(atoms: 48, features: 32, seed: 21)
  static let x = CodingFixture.samples(6, features: 32, seed: 22)
  static let lambda: Float = 0.4

  static func solvers(positive: Bool) -> [SparseCodingSolver] {
    [
      .ista(lambda: lambda, maxIterations: 200_000, tolerance: 1e-11, positive: positive),
      .fista(lambda: lambda, maxIterations: 50_000, tolerance: 1e-11, positive: positive),
      .coordinateDescent(lambda: lambda, maxIterations: 50_000, tolerance: 1e-11, positive: positive),
      .lars(lambda: lambda, positive: positive),
    ]
  }

  @Test(arguments: [false, true])
  func objectivesAgreeToOnePartPerMillion(positive: Bool) {
    let results = Self.solvers(positive: positive).map { sparseEncode(Self.x, dictionary: Self.d, solver: $0) }
    let reference = results.last!.objectives  // LARS: exact path
    for (solver, result) in zip(Self.solvers(positive: positive), results) {
      #expect(result.nonConvergedCount == 0, "\(solver)")
      for i in 0..<Self.x.rows {
        let relative = abs(result.objectives[i] - reference[i]) / reference[i]
        #expect(relative < 1e-6, "\(solver) sample \(i): relative difference \(relative)")
      }
    }
  }

  @Test(arguments: [false, true])
  func kktConditionsHold(positive: Bool) {
    for solver in Self.solvers(positive: positive) {
      let result = sparseEncode(Self.x, dictionary: Self.d, solver: solver)
      let violation = CodingFixture.kktViolation(
        samples: Self.x, codes: result.codes, dictionary: Self.d,
        lambda: Self.lambda, positive: positive)
      #expect(violation < 1e-3, "\(solver): KKT violation \(violation)")
      if positive { #expect(result.codes.scalars.allSatisfy { $0 >= 0 }) }
      #expect(result.codes.scalars.contains { $0 != 0 })
    }
  }

  @Test func dualityGapsAreNonnegativeAndTinyAtTheOptimum() {
    for solver in Self.solvers(positive: false) {
      let result = sparseEncode(Self.x, dictionary: Self.d, solver: solver)
      for (i, gap) in result.dualityGaps!.enumerated() {
        #expect(gap >= -1e-9 && gap <= 1e-9 * result.objectives[i], "\(solver) gap \(gap)")
      }
    }
  }

  /// A coherent dictionary (every atom shares a common direction) makes LARS coefficients cross
  /// zero along the path, so its downdates are exercised; it must still match coordinate descent.
  @Test(arguments: [false, true])
  func larsMatchesCoordinateDescentOnCoherentDictionary(positive: Bool) {
    var d = CodingFixture.dictionary(atoms: 40, features: 24, seed: 61)
    let shared = CodingFixture.dictionary(atoms: 1, features: 24, seed: 62)
    for i in 0..<40 {
      var norm: Float = 0
      for j in 0..<24 {
        d[i, j] += 1.5 * shared[0, j]
        norm += d[i, j] * d[i, j]
      }
      for j in 0..<24 { d[i, j] /= norm.squareRoot() }
    }
    let x = CodingFixture.samples(16, features: 24, seed: 63)
    for lambda: Float in [0.05, 0.2] {
      let lars = sparseEncode(x, dictionary: d, solver: .lars(lambda: lambda, positive: positive))
      let cd = sparseEncode(
        x, dictionary: d,
        solver: .coordinateDescent(
          lambda: lambda, maxIterations: 100_000, tolerance: 1e-12, positive: positive))
      #expect(lars.nonConvergedCount == 0 && cd.nonConvergedCount == 0)
      // Path steps = joins + leaves + 1 and joins - leaves = nonzeros: count the leaves.
      let leaves = (0..<16).map { (lars.iterations[$0] - 1 - CodingFixture.support(lars.codes, row: $0).count) / 2 }
      if !positive { #expect(leaves.reduce(0, +) > 0) }
      for i in 0..<16 {
        #expect(abs(lars.objectives[i] - cd.objectives[i]) <= 1e-6 * cd.objectives[i], "sample \(i)")
      }
      let violation = CodingFixture.kktViolation(
        samples: x, codes: lars.codes, dictionary: d, lambda: lambda, positive: positive)
      #expect(violation < 1e-3)
    }
  }
}
