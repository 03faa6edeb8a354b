import Testing

@testable import SparsityCore

/// Overlap-save and direct correlation against the Double reference. Each output c[k, t] is
/// checked against the bound its method guarantees, relative to ||h_k|| and the norm of the
/// samples that can enter it: for overlap-save, the block that produced it lies within
/// x[t - B + L ..< t + B], and its error is at most
/// 2 ((sqrt(B) + 2 sqrt(L)) eps_B + 3 u sqrt(L)) ||x_b|| ||h_k|| (`crossCorrelation`'s summary);
/// for the direct sum of L products, gamma_L ||x[t ..< t + L]|| ||h_k|| (Cauchy-Schwarz on the
/// classical summation bound). Both get u more for the reference's rounding to Float and 1%
/// for second-order terms.
@Suite struct CorrelationTests {
  static let u = 0x1p-24

  /// (N, K, L): empty, shorter than a filter, one output, L = 1, non-power-of-two lengths, and
  /// long enough for many blocks.
  static let shapes: [(Int, Int, Int)] = [
    (0, 3, 4), (3, 2, 4), (4, 2, 4), (1, 1, 1), (100, 3, 1), (1000, 5, 17), (5000, 4, 64), (20000, 2, 256),
    (777, 0, 5),
  ]

  static func methods(filterLength l: Int, signalLength n: Int, filters k: Int) -> [CorrelationMethod] {
    let smallest = max(2, l).nextPowerOfTwoForTests
    return [
      .direct, .overlapSave(blockSize: smallest), .overlapSave(blockSize: 2 * smallest),
      .overlapSave(blockSize: 8 * smallest), .cheapest(signalLength: n, filterCount: k, filterLength: l),
    ]
  }

  static func random(_ count: Int, seed: UInt64) -> [Float] {
    var generator = Xoshiro256StarStar(seed: seed)
    return (0..<count).map { _ in generator.normal() }
  }

  /// sqrt(sum of x[j]^2 for j in range clipped to x), from prefix sums of squares.
  static func windowNorm(_ prefix: [Double], _ range: Range<Int>) -> Double {
    let (lo, hi) = (max(0, range.lowerBound), min(prefix.count - 1, range.upperBound))
    return lo < hi ? (prefix[hi] - prefix[lo]).squareRoot() : 0
  }

  static func bound(method: CorrelationMethod, l: Int, t: Int, prefix: [Double], filterNorm: Double) -> Double {
    switch method {
    case .direct:
      let gamma = Double(l) * u / (1 - Double(l) * u)
      return (gamma * 1.01 + u) * windowNorm(prefix, t..<(t + l)) * filterNorm
    case .overlapSave(let b):
      let eps = FFT.relativeErrorBound(stages: b.trailingZeroBitCount)
      let factor = 2 * ((Double(b).squareRoot() + 2 * Double(l).squareRoot()) * eps + 3 * u * Double(l).squareRoot())
      return (factor * 1.01 + u) * windowNorm(prefix, (t - b + l)..<(t + b)) * filterNorm
    }
  }

  @Test(arguments: shapes)
  func matchesReference(n: Int, k: Int, l: Int) {
    let x = Self.random(n, seed: UInt64(n * 31 + l))
    let filters = Tensor(shape: [k, l], scalars: Self.random(k * l, seed: UInt64(k * 7 + l)))
    let reference = crossCorrelationReference(x, filters: filters)
    #expect(reference.shape == [k, max(0, n - l + 1)])
    var prefix = [0.0]
    for v in x { prefix.append(prefix.last! + Double(v) * Double(v)) }
    for method in Self.methods(filterLength: l, signalLength: n, filters: k) {
      let c = crossCorrelation(x, filters: filters, method: method)
      #expect(c.shape == reference.shape, "\(method)")
      guard c.shape == reference.shape else { continue }
      var worst = 0.0  // largest error / bound
      for f in 0..<k {
        let norm = (0..<l).reduce(0.0) { $0 + Double(filters[f, $1]) * Double(filters[f, $1]) }.squareRoot()
        for t in 0..<reference.columns {
          let error = abs(Double(c[f, t]) - Double(reference[f, t]))
          let bound = Self.bound(method: method, l: l, t: t, prefix: prefix, filterNorm: norm)
          worst = max(worst, bound > 0 ? error / bound : (error > 0 ? .infinity : 0))
        }
      }
      #expect(worst <= 1, "N \(n) K \(k) L \(l) \(method): error / bound \(worst)")
    }
  }

  /// Zero filters give exact zeros by every method; a unit impulse filter copies the signal.
  @Test func exactCases() {
    let x = Self.random(3000, seed: 5)
    for method in Self.methods(filterLength: 32, signalLength: 3000, filters: 2) {
      let zero = crossCorrelation(x, filters: Tensor(zeros: [2, 32]), method: method)
      #expect(zero.scalars.allSatisfy { $0 == 0 }, "\(method)")
    }
    var impulse = Tensor(zeros: [1, 8])
    impulse[0, 3] = 1
    let copied = crossCorrelation(x, filters: impulse, method: .direct)
    #expect(copied.scalars == Array(x[3..<(3000 - 4)]))
  }

  /// The cheapest block for L = 256 and many outputs is 2048 (cost per output
  /// B log2 B / (B - L + 1) is lowest there among powers of two >= 2L), and the direct sum wins
  /// for very short filters.
  @Test func cheapestMethod() {
    #expect(
      CorrelationMethod.cheapest(signalLength: 960_000, filterCount: 32, filterLength: 256)
        == .overlapSave(blockSize: 2048))
    #expect(CorrelationMethod.cheapest(signalLength: 960_000, filterCount: 32, filterLength: 2) == .direct)
    #expect(CorrelationMethod.cheapest(signalLength: 10, filterCount: 0, filterLength: 2) == .direct)
  }

  /// All-pairs filter correlations against their twin, and the symmetry
  /// G[a, b, d] = G[b, a, -d] (exact in exact arithmetic, within the bound here).
  @Test(arguments: [(1, 1), (3, 5), (6, 64), (4, 100)])
  func filterCrossCorrelationsMatchReference(k: Int, l: Int) {
    let filters = Tensor(shape: [k, l], scalars: Self.random(k * l, seed: UInt64(k + 10 * l)))
    let g = filterCrossCorrelations(filters)
    let reference = filterCrossCorrelationsReference(filters)
    #expect(g.shape == [k, k, 2 * l - 1])
    let b = max(2, 2 * l - 1).nextPowerOfTwoForTests
    let eps = FFT.relativeErrorBound(stages: b.trailingZeroBitCount)
    let factor = 2 * ((Double(b).squareRoot() + 2 * Double(l).squareRoot()) * eps + 3 * Self.u * Double(l).squareRoot())
    let norms = (0..<k).map { f in (0..<l).reduce(0.0) { $0 + Double(filters[f, $1] * filters[f, $1]) }.squareRoot() }
    for a in 0..<k {
      for c in 0..<k {
        for j in 0..<(2 * l - 1) {
          let index = (a * k + c) * (2 * l - 1) + j
          let bound = (factor * 1.01 + Self.u) * norms[a] * norms[c]
          #expect(abs(Double(g[flat: index]) - Double(reference[flat: index])) <= bound, "a \(a) b \(c) lag \(j)")
        }
      }
    }
  }
}

extension Int {
  fileprivate var nextPowerOfTwoForTests: Int { self <= 1 ? 1 : 1 << (Int.bitWidth - (self - 1).leadingZeroBitCount) }
}
