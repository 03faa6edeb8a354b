import SparsityCore

@testable import SparsityCoding

/// Seeded random problems shared by the sparse coding tests.
enum CodingFixture {
  /// A dictionary of `atoms` Gaussian rows of `features`, each scaled to unit norm.
  static func dictionary(atoms: Int, features: Int, seed: UInt64) -> Tensor {
    var generator = Xoshiro256StarStar(seed: seed)
    var d = Tensor.normal(shape: [atoms, features], using: &generator)
    for i in 0..<atoms {
      var norm: Float = 0
      for j in 0..<features { norm += d[i, j] * d[i, j] }
      for j in 0..<features { d[i, j] /= norm.squareRoot() }
    }
    return d
  }

  /// Gaussian samples, samples x features.
  static func samples(_ count: Int, features: Int, seed: UInt64) -> Tensor {
    var generator = Xoshiro256StarStar(seed: seed)
    return Tensor.normal(shape: [count, features], using: &generator)
  }

  /// Codes with exactly `nonzeros` entries per row (magnitudes in [1, 2], random signs, or
  /// positive), the samples A D + noise, and the planted supports.
  static func planted(
    samples count: Int, dictionary d: Tensor, nonzeros: Int, noise: Float, positive: Bool = false, seed: UInt64
  ) -> (samples: Tensor, codes: Tensor, supports: [Set<Int>]) {
    var generator = Xoshiro256StarStar(seed: seed)
    var codes = Tensor(zeros: [count, d.rows])
    var supports: [Set<Int>] = []
    for i in 0..<count {
      let support = Array(generator.permutation(d.rows).prefix(nonzeros))  // array: Set order is per process
      for j in support {
        let sign: Float = positive || generator.nextUnitFloat() < 0.5 ? 1 : -1
        codes[i, j] = sign * generator.uniform(in: 1...2)
      }
      supports.append(Set(support))
    }
    var x = Tensor.matmul(codes, d)
    for k in 0..<x.count { x[flat: k] += noise * generator.normal() }
    return (x, codes, supports)
  }

  /// D r for each sample (samples x atoms), r = x - a D, in Double from the Float tensors.
  static func residualCorrelations(samples x: Tensor, codes a: Tensor, dictionary d: Tensor) -> [[Double]] {
    (0..<x.rows).map { i in
      var r = (0..<x.columns).map { Double(x[i, $0]) }
      for k in 0..<d.rows where a[i, k] != 0 {
        for j in 0..<x.columns { r[j] -= Double(a[i, k]) * Double(d[k, j]) }
      }
      return (0..<d.rows).map { k in (0..<x.columns).reduce(0.0) { $0 + Double(d[k, $1]) * r[$1] } }
    }
  }

  /// The largest KKT violation of the Lasso at `lambda`: |q_j| <= lambda off the support and
  /// q_j = lambda sign(a_j) on it (q = D r); for `positive`, q_j <= lambda and q_j = lambda
  /// where a_j > 0 (and a >= 0).
  static func kktViolation(samples x: Tensor, codes a: Tensor, dictionary d: Tensor, lambda: Float, positive: Bool)
    -> Double
  {
    let q = residualCorrelations(samples: x, codes: a, dictionary: d)
    let l = Double(lambda)
    var worst = 0.0
    for i in 0..<x.rows {
      for j in 0..<d.rows {
        let v = Double(a[i, j])
        let qj = q[i][j]
        if positive {
          worst = max(worst, v < 0 ? -v : 0, v > 0 ? abs(qj - l) : max(0, qj - l))
        } else {
          worst = max(worst, v != 0 ? abs(qj - l * (v > 0 ? 1 : -1)) : max(0, abs(qj) - l))
        }
      }
    }
    return worst
  }

  /// The indices of the nonzero entries of row `i`.
  static func support(_ codes: Tensor, row i: Int) -> Set<Int> {
    Set((0..<codes.columns).filter { codes[i, $0] != 0 })
  }
}
