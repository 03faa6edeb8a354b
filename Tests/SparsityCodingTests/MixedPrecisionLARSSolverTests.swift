import SparsityCore
import Testing

@testable import SparsityCoding

/// The mixed-precision LARS (Float path, Double end point) against its reference twin, the
/// Double `LARSSolver`: same minimizer of 0.5 ||x - a D||^2 + lambda ||a||_1 on random and
/// edge-case shapes (atom counts that are not a multiple of the 16 SIMD lanes, one atom, more
/// atoms than features, a zero sample), with and without the sign constraint.
@Suite struct MixedPrecisionLARSSolverTests {
  struct Shape: Sendable, CustomStringConvertible {
    var atoms: Int, features: Int, lambda: Float
    var description: String { "\(atoms) atoms x \(features) features, lambda \(lambda)" }
  }

  static let shapes = [
    Shape(atoms: 256, features: 64, lambda: 0.5), Shape(atoms: 48, features: 32, lambda: 0.4),
    Shape(atoms: 37, features: 20, lambda: 0.05), Shape(atoms: 17, features: 40, lambda: 0.2),
    Shape(atoms: 1, features: 3, lambda: 0.1), Shape(atoms: 70, features: 8, lambda: 0.01),
  ]

  /// Solves every row of `x` with both solvers; returns per sample (mixed, exact) objective and
  /// code, and the mixed solver's fallback count.
  static func solveBoth(_ x: Tensor, _ d: Tensor, lambda: Float, positive: Bool)
    -> (pairs: [(mixed: (Double, [Double]), exact: (Double, [Double]))], fallbacks: Int)
  {
    let problem = LassoProblem(dictionary: d, stepSize: false)
    let mixed = MixedPrecisionLARSSolver(atoms: d.rows, maxActive: min(d.rows, d.columns))
    let exact = LARSSolver(atoms: d.rows, maxActive: min(d.rows, d.columns))
    var q = [Double](repeating: 0, count: d.rows)
    let pairs = problem.withSampleBuilder(
      samples: x, correlations: problem.correlations(x), lambda: Double(lambda),
      positive: positive
    ) { builder in
      Scratch.withBuffer(of: Double.self, count: d.rows) { buffer in
        (0..<x.rows).map { i -> (mixed: (Double, [Double]), exact: (Double, [Double])) in
          let sample = builder.sample(i, buffer: buffer)
          let m = mixed.solve(sample).code
          let e = exact.solve(sample).code
          sample.residualCorrelation(m, into: &q)
          let mObjective = sample.objective(m, residualCorrelation: q)
          sample.residualCorrelation(e, into: &q)
          return ((mObjective, m), (sample.objective(e, residualCorrelation: q), e))
        }
      }
    }
    return (pairs, mixed.fallbackCount)
  }

  @Test(arguments: shapes, [false, true])
  func matchesDoubleLARS(shape: Shape, positive: Bool) {
    let d = CodingFixture.dictionary(atoms: shape.atoms, features: shape.features, seed: 71)
    var x = CodingFixture.samples(40, features: shape.features, seed: 72)
    for j in 0..<shape.features { x[0, j] = 0 }  // a zero sample
    let (pairs, fallbacks) = Self.solveBoth(x, d, lambda: shape.lambda, positive: positive)
    #expect(fallbacks <= 40)
    #expect(pairs[0].mixed.1.allSatisfy { $0 == 0 })
    for (i, pair) in pairs.enumerated() {
      let scale = max(pair.exact.0, 1e-12)
      #expect(
        abs(pair.mixed.0 - pair.exact.0) <= 1e-9 * scale, "\(shape) sample \(i): \(pair.mixed.0) vs \(pair.exact.0)")
      for (m, e) in zip(pair.mixed.1, pair.exact.1) {
        #expect(abs(m - e) <= 1e-6 * max(1, abs(e)), "\(shape) sample \(i)")
      }
      if positive { #expect(pair.mixed.1.allSatisfy { $0 >= 0 }) }
    }
  }

  /// The dispatcher uses the mixed solver for `.lars`, and its codes meet the KKT conditions.
  @Test(arguments: [false, true])
  func larsCasePicksMixedSolverWithKKT(positive: Bool) {
    let d = CodingFixture.dictionary(atoms: 96, features: 24, seed: 73)
    let x = CodingFixture.samples(12, features: 24, seed: 74)
    let problem = LassoProblem(dictionary: d, stepSize: false)
    #expect(
      SparseCodingSolver.lars(lambda: 0.3, positive: positive).makeSampleSolver(for: problem)
        is MixedPrecisionLARSSolver)
    let result = sparseEncode(x, problem: problem, solver: .lars(lambda: 0.3, positive: positive))
    #expect(result.nonConvergedCount == 0)
    let violation = CodingFixture.kktViolation(
      samples: x, codes: result.codes, dictionary: d, lambda: 0.3, positive: positive)
    #expect(violation < 1e-3)
    for (gap, objective) in zip(result.dualityGaps!, result.objectives) { #expect(gap <= 1e-9 * objective) }
  }
}
