import SparsityCore
import Testing

@testable import SparsityCoding

/// The sufficient statistics of online dictionary learning against their definition.
@Suite struct DictionaryStatisticsTests {
  /// A = sum of beta-weighted C^T C / eta stays exactly symmetric (the block-coordinate update
  /// reads its rows as its columns) through accumulation and an atom reset, and matches the
  /// definition to Float rounding: each entry of C^T C is a Float dot product of eta = 40 terms,
  /// off by at most gamma_40 ~ 2.4e-6 relative to sum |c_ti c_tj| (Higham, 3.1).
  @Test func codeCovarianceIsExactlySymmetricAndMatchesItsDefinition() {
    let (atoms, features, eta) = (21, 9, 40)
    var statistics = DictionaryStatistics(atoms: atoms, features: features)
    let batches = [71, 72].map { seed -> (codes: Tensor, samples: Tensor) in
      var codes = CodingFixture.samples(eta, features: atoms, seed: UInt64(seed))
      for i in 0..<codes.count where i % 3 == 0 { codes[flat: i] = 0 }  // sparse, as codes are
      return (codes, CodingFixture.samples(eta, features: features, seed: UInt64(seed + 10)))
    }
    for batch in batches { statistics.accumulate(codes: batch.codes, samples: batch.samples, beta: 0.5) }
    for i in 0..<atoms {
      for j in 0..<atoms {
        #expect(statistics.a[i * atoms + j].bitPattern == statistics.a[j * atoms + i].bitPattern, "(\(i), \(j))")
        var expected = 0.0
        var magnitude = 0.0
        for (index, batch) in batches.enumerated() {
          let weight = index == 0 ? 0.5 : 1.0
          for t in 0..<eta {
            let product = Double(batch.codes[t, i]) * Double(batch.codes[t, j]) / Double(eta)
            expected += weight * product
            magnitude += weight * abs(product)
          }
        }
        #expect(abs(statistics.a[i * atoms + j] - expected) <= 1e-5 * magnitude, "(\(i), \(j))")
      }
    }
    statistics.reset(atom: 4)
    #expect((0..<atoms).allSatisfy { statistics.a[4 * atoms + $0] == 0 && statistics.a[$0 * atoms + 4] == 0 })
  }
}
