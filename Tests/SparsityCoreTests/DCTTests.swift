import Foundation
import Testing

@testable import SparsityCore

@Suite struct DCTTests {
  /// u, the unit roundoff of Float.
  static let u = Double(Float.ulpOfOne) / 2
  /// Odd and even lengths, the trivial one and one past a SIMD multiple.
  static let lengths = [1, 2, 3, 7, 8, 16, 33, 64, 255]

  /// Every entry of B is within u (relative) of the exact basis, so each inner product of two
  /// rows (unit vectors) is off by at most 2u + u^2 from 0 or 1, when taken in Double.
  @Test func basisIsOrthonormal() {
    for n in Self.lengths + [512] {
      let b = DCT.basis(length: n)
      var worst = 0.0
      for k in 0..<n {
        for l in k..<n {
          var dot = 0.0
          for i in 0..<n { dot += Double(b[k, i]) * Double(b[l, i]) }
          worst = Swift.max(worst, Swift.abs(dot - (k == l ? 1 : 0)))
        }
      }
      #expect(worst <= 2 * Self.u + 1e-12, "n = \(n): worst |B B^T - I| entry \(worst)")
      #expect(worst <= 1e-6)
    }
  }

  /// Each coefficient is a Float sum of n products with a unit row of B: by Cauchy-Schwarz its
  /// error against the Double reference is at most (gamma_n + u) ||x||_2.
  @Test func matchesTheDirectReferenceOnOddAndEvenLengths() {
    for (index, n) in Self.lengths.enumerated() {
      let dct = DCT(length: n)
      let frames = randomMatrix(5, n, zeroFraction: 0.2, seed: UInt64(index))
      let fast = dct.forward(frames)
      let reference = dct.forwardReference(frames)
      let fastInverse = dct.inverse(frames)
      let referenceInverse = dct.inverseReference(frames)
      for t in 0..<frames.rows {
        let norm = rowNorm(frames, t)
        let bound = (gamma(n) + Self.u) * norm + Self.u * norm  // + the reference's own rounding to Float
        for k in 0..<n {
          #expect(Swift.abs(Double(fast[t, k] - reference[t, k])) <= bound, "n \(n) frame \(t) coefficient \(k)")
          #expect(Swift.abs(Double(fastInverse[t, k] - referenceInverse[t, k])) <= bound, "inverse n \(n)")
        }
      }
    }
  }

  /// Forward then inverse: two products with an orthogonal B, each off by (gamma_n + u) ||x||
  /// per entry, so the round trip is within 2 sqrt(n) (gamma_n + u) ||x||_2 in the 2-norm.
  @Test func inverseUndoesForward() {
    for (index, n) in Self.lengths.enumerated() {
      let dct = DCT(length: n)
      let frames = randomMatrix(4, n, zeroFraction: 0, seed: 100 + UInt64(index))
      let roundTrip = dct.inverse(dct.forward(frames))
      for t in 0..<frames.rows {
        var error = 0.0
        for i in 0..<n { error += Double(roundTrip[t, i] - frames[t, i]) * Double(roundTrip[t, i] - frames[t, i]) }
        let bound = 2 * Double(n).squareRoot() * (gamma(n) + Self.u) * rowNorm(frames, t)
        #expect(error.squareRoot() <= bound, "n \(n) frame \(t)")
      }
    }
    let one = Tensor([1, 2, 3, 4])
    #expect(DCT(length: 4).forward(one).shape == [4], "a rank-1 frame stays rank 1")
  }

  /// cos(pi (i + 1/2) k / n) is sqrt(n/2) times row k of B, so its coefficients are sqrt(n/2)
  /// at k and 0 elsewhere, up to the rounding of the product.
  @Test func cosineAtBinKConcentratesInCoefficientK() {
    for n in [8, 33, 64] {
      let dct = DCT(length: n)
      for k in [1, 3, n / 2, n - 1] {
        let signal = (0..<n).map { i in Float(Foundation.cos(Double.pi * (Double(i) + 0.5) * Double(k) / Double(n))) }
        let coefficients = dct.forward(Tensor(signal))
        let norm = (Double(n) / 2).squareRoot()
        let bound = (gamma(n) + 2 * Self.u) * norm
        for j in 0..<n {
          let expected = j == k ? (Double(n) / 2).squareRoot() : 0
          #expect(Swift.abs(Double(coefficients[flat: j]) - expected) <= bound, "n \(n) bin \(k) coefficient \(j)")
        }
      }
    }
  }

  /// gamma_n = n u / (1 - n u), the bound on the relative rounding of an n-term Float sum.
  private func gamma(_ n: Int) -> Double { Double(n) * Self.u / (1 - Double(n) * Self.u) }

  private func rowNorm(_ matrix: Tensor, _ row: Int) -> Double {
    (0..<matrix.columns).map { Double(matrix[row, $0]) * Double(matrix[row, $0]) }.reduce(0, +).squareRoot()
  }
}
