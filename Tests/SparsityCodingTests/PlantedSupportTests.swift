import SparsityCore
import Testing

@testable import SparsityCoding

/// k-sparse codes over a random unit-norm dictionary (64 features x 128 atoms) plus small
/// noise: OMP with k nonzeros and LARS at a moderate lambda recover the planted support.
@Suite struct PlantedSupportTests {
  static let d = CodingFixture.dictionary(atoms: 128, features: 64, seed: 41)
  static let k = 5

  @Test func ompRecoversSupportWithExactlyKNonzeros() {
    let planted = CodingFixture.planted(samples: 20, dictionary: Self.d, nonzeros: Self.k, noise: 0.01, seed: 42)
    let result = sparseEncode(planted.samples, dictionary: Self.d, solver: .orthogonalMatchingPursuit(nonzeros: Self.k))
    #expect(result.dualityGaps == nil)
    for i in 0..<20 {
      let support = CodingFixture.support(result.codes, row: i)
      #expect(support.count == Self.k)
      #expect(support == planted.supports[i], "sample \(i)")
      #expect(result.converged[i] && result.iterations[i] == Self.k)
      for j in support { #expect(abs(result.codes[i, j] - planted.codes[i, j]) < 0.05) }
    }
  }

  /// The Lasso recovers a support S with signs s exactly only under the irrepresentable
  /// condition max_{j not in S} |G_jS G_SS^{-1} s| < 1 (Zhao & Yu 2006; Wainwright 2009), which a
  /// random dictionary meets for most, not all, 5-sparse codes. Where it holds with margin,
  /// LARS must return exactly the planted support.
  @Test(arguments: [false, true])
  func larsRecoversSupportUnderIrrepresentability(positive: Bool) {
    let planted = CodingFixture.planted(
      samples: 20, dictionary: Self.d, nonzeros: Self.k, noise: 0.01,
      positive: positive, seed: 43)
    let gram = LassoProblem(dictionary: Self.d).gram
    let result = sparseEncode(planted.samples, dictionary: Self.d, solver: .lars(lambda: 0.3, positive: positive))
    #expect(result.nonConvergedCount == 0)
    var checked = 0
    for i in 0..<20 {
      let support = planted.supports[i].sorted()
      let signs = support.map { Double(planted.codes[i, $0]).sign == .minus ? -1.0 : 1.0 }
      guard Self.irrepresentability(gram: gram, atoms: 128, support: support, signs: signs) < 0.9 else { continue }
      checked += 1
      #expect(CodingFixture.support(result.codes, row: i) == planted.supports[i], "sample \(i)")
    }
    #expect(checked >= 10)
  }

  /// max_{j not in S} |G_jS G_SS^{-1} s|, by Gaussian elimination on G_SS.
  static func irrepresentability(gram: [Double], atoms n: Int, support: [Int], signs: [Double]) -> Double {
    let k = support.count
    var m = support.map { i in support.map { gram[i * n + $0] } }
    var w = signs
    for p in 0..<k {
      for r in (p + 1)..<k {
        let f = m[r][p] / m[p][p]
        for c in p..<k { m[r][c] -= f * m[p][c] }
        w[r] -= f * w[p]
      }
    }
    for p in stride(from: k - 1, through: 0, by: -1) {
      for c in (p + 1)..<k { w[p] -= m[p][c] * w[c] }
      w[p] /= m[p][p]
    }
    return (0..<n).filter { !support.contains($0) }.map { j in
      abs(zip(support, w).reduce(0.0) { $0 + gram[j * n + $1.0] * $1.1 })
    }.max() ?? 0
  }

  /// With a residual tolerance above the noise, OMP stops as soon as the fit is that good.
  @Test func ompStopsAtResidualTolerance() {
    let planted = CodingFixture.planted(samples: 10, dictionary: Self.d, nonzeros: Self.k, noise: 0.01, seed: 44)
    let tolerance: Float = 64 * 0.01 * 0.01 * 4
    let result = sparseEncode(
      planted.samples, dictionary: Self.d,
      solver: .orthogonalMatchingPursuit(nonzeros: nil, tolerance: tolerance))
    for i in 0..<10 {
      #expect(2 * result.objectives[i] <= Double(tolerance))  // objective = 0.5 ||r||^2 for OMP
      #expect(CodingFixture.support(result.codes, row: i).count == Self.k)
    }
  }

  /// Thresholding is the soft threshold of x D^T (or its positive part).
  @Test(arguments: [false, true])
  func thresholdIsSoftThresholdOfCorrelations(positive: Bool) {
    let planted = CodingFixture.planted(samples: 4, dictionary: Self.d, nonzeros: Self.k, noise: 0.01, seed: 45)
    let c = Tensor.matmul(planted.samples, Self.d, transposeB: true)
    let result = sparseEncode(planted.samples, dictionary: Self.d, solver: .threshold(lambda: 0.5, positive: positive))
    for (code, v) in zip(result.codes.scalars, c.scalars) {
      let expected: Float = positive ? max(v - 0.5, 0) : (v > 0.5 ? v - 0.5 : (v < -0.5 ? v + 0.5 : 0))
      #expect(abs(code - expected) < 1e-5)
    }
    #expect(result.nonConvergedCount == 0 && result.dualityGaps!.allSatisfy { $0 >= -1e-9 })
  }
}
