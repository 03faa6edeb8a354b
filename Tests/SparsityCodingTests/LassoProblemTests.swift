import SparsityCore
import Testing

@testable import SparsityCoding

@Suite struct LassoProblemTests {
  let d = CodingFixture.dictionary(atoms: 24, features: 16, seed: 11)
  let x = CodingFixture.samples(5, features: 16, seed: 12)

  /// G is D D^T to Float rounding: a dot product of 16 terms of unit-norm rows is off by at
  /// most gamma_16 ~ 1e-6 (Higham, Accuracy and Stability of Numerical Algorithms, 3.1).
  @Test func gramIsDictionaryTimesTranspose() {
    let problem = LassoProblem(dictionary: d)
    for i in 0..<24 {
      for j in 0..<24 {
        let direct = (0..<16).reduce(0.0) { $0 + Double(d[i, $1]) * Double(d[j, $1]) }
        #expect(abs(problem.gram[i * 24 + j] - direct) < 1e-5)
      }
    }
  }

  /// G is exactly symmetric, in Double and in Float, whatever the BLAS kernel: the LARS solvers
  /// build their Cholesky factor from columns of G and their correlations from its rows. (96 x 24
  /// is where OpenBLAS's Haswell `sgemm` left hundreds of pairs ~1e-7 apart.)
  @Test func gramIsExactlySymmetric() {
    let wide = CodingFixture.dictionary(atoms: 96, features: 24, seed: 73)
    let problem = LassoProblem(dictionary: wide, stepSize: false)
    for i in 0..<96 {
      for j in 0..<i {
        #expect(problem.gram[i * 96 + j].bitPattern == problem.gram[j * 96 + i].bitPattern, "(\(i), \(j))")
        #expect(problem.singleGram[i * 96 + j].bitPattern == problem.singleGram[j * 96 + i].bitPattern, "(\(i), \(j))")
      }
    }
  }

  /// L is at least every Rayleigh quotient of G (here: the diagonal, 1) and at most the trace.
  @Test func lipschitzConstantBoundsTheSpectrum() {
    let problem = LassoProblem(dictionary: d)
    let eigen = largestEigenvalue(symmetric: problem.gram, size: 24)
    // Largest eigenvalue of G = D D^T equals that of D^T D: check with a few random vectors.
    var generator = Xoshiro256StarStar(seed: 5)
    for _ in 0..<20 {
      let v = (0..<24).map { _ in Double(generator.normal()) }
      var vv = 0.0
      var vgv = 0.0
      for i in 0..<24 {
        vv += v[i] * v[i]
        for j in 0..<24 { vgv += v[i] * problem.gram[i * 24 + j] * v[j] }
      }
      #expect(vgv / vv <= eigen * (1 + 1e-9))
    }
    #expect(problem.lipschitzConstant >= eigen && problem.lipschitzConstant <= 24)
  }

  @Test func objectiveMatchesDirectComputation() {
    let problem = LassoProblem(dictionary: d)
    var generator = Xoshiro256StarStar(seed: 13)
    let a = Tensor.normal(shape: [5, 24], using: &generator).sparsified(zeroFraction: 0.7, using: &generator)
    let objectives = problem.objectives(codes: a, samples: x, lambda: 0.3)
    let reconstruction = Tensor.matmul(a, d)
    for i in 0..<5 {
      var r2 = 0.0
      var l1 = 0.0
      for j in 0..<16 {
        let r = Double(x[i, j] - reconstruction[i, j])
        r2 += r * r
      }
      for j in 0..<24 { l1 += abs(Double(a[i, j])) }
      #expect(abs(objectives[i] - (0.5 * r2 + 0.3 * l1)) < 1e-4 * objectives[i])
    }
  }

  /// The gap is >= 0 for any code, and at a = 0 with lambda >= ||D x||_inf it is exactly 0.
  @Test func dualityGapIsNonnegativeAndZeroAtTrivialOptimum() {
    let problem = LassoProblem(dictionary: d)
    var generator = Xoshiro256StarStar(seed: 14)
    for positive in [false, true] {
      let a = Tensor.normal(shape: [5, 24], using: &generator).sparsified(zeroFraction: 0.5, using: &generator)
      let codes = positive ? Tensor(shape: a.shape, scalars: a.scalars.map { max($0, 0) }) : a
      for gap in problem.dualityGaps(codes: codes, samples: x, lambda: 0.5, positive: positive) {
        #expect(gap >= -1e-9)
      }
    }
    let lambdaMax = problem.correlations(x).scalars.map(abs).max()!
    let zero = Tensor(zeros: [5, 24])
    for gap in problem.dualityGaps(codes: zero, samples: x, lambda: lambdaMax) { #expect(abs(gap) < 1e-9) }
  }
}
