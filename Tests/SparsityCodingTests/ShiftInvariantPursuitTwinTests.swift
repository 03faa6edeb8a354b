import Foundation
import SparsityCore
import Testing

@testable import SparsityCoding

/// The fast pursuit (FFT correlations, updated in Float through the atoms' cross-correlations,
/// block maxima) replayed against matching pursuit in Double that recomputes every correlation
/// of the residual at each step. Near-ties may go either way, so each fast pick must be a
/// maximum of the exact correlations within twice the drift bound, and its amplitude the exact
/// correlation within the drift bound:
///
///     drift <= (eps_c + n (4u + eps_G)) ||x||
///
/// after n picks, eps_c the factor of the signal's FFT correlation and eps_G that of the atoms'
/// cross-correlations (unit-norm atoms): each stored correlation starts within eps_c ||x|| of
/// exact (|c| <= ||x|| by Cauchy-Schwarz) and each update c - a G errs by at most
/// u (|c| + 2 |a G|) + |a| eps_G with |a| <= ||x||.
@Suite struct ShiftInvariantPursuitTwinTests {
  static let u = 0x1p-24

  static func drift(norm: Double, picks: Int, length n: Int, atoms k: Int = 5, atomLength l: Int = 128) -> Double {
    let eps = ShiftInvariantFixture.correlationErrorFactor(signalLength: n, filters: k, length: l)
    var lags = 1
    while lags < 2 * l - 1 { lags *= 2 }
    let epsG = ShiftInvariantFixture.correlationErrorFactor(blockSize: max(2, lags), length: l)
    return (eps + Double(picks) * (4 * u + epsG)) * norm
  }

  static func randomAtoms(_ k: Int, _ l: Int, seed: UInt64) -> Tensor {
    var generator = Xoshiro256StarStar(seed: seed)
    return ShiftInvariantFixture.atoms((0..<k).map { _ in (0..<l).map { _ in Double(generator.normal()) } })
  }

  @Test(arguments: [(6, 32, 3000, 60), (5, 128, 2000, 30)])
  func picksAreExactMaximaWithinDrift(k: Int, l: Int, n: Int, picks: Int) {
    let atoms = l == 128 ? ShiftInvariantFixture.soundAtoms(length: l) : Self.randomAtoms(k, l, seed: 7)
    var generator = Xoshiro256StarStar(seed: 8)
    let x = (0..<n).map { _ in generator.normal() }
    let code = ShiftInvariantPursuit(atoms: atoms).encodeInPickOrder(x, stoppingAt: .spikes(.total(picks)))
    #expect(code.spikes.count == picks)
    let h = (0..<k).map { j in (0..<l).map { Double(atoms[j, $0]) } }
    var r = x.map(Double.init)
    let norm = code.signalEnergy.squareRoot()
    for (step, spike) in code.spikes.enumerated() {
      let delta = Self.drift(norm: norm, picks: step, length: n, atoms: k, atomLength: l)
      var largest = 0.0
      for t in 0...(n - l) {
        for j in 0..<k { largest = max(largest, abs((0..<l).reduce(0.0) { $0 + r[t + $1] * h[j][$1] })) }
      }
      let exact = (0..<l).reduce(0.0) { $0 + r[spike.time + $1] * h[spike.atom][$1] }
      #expect(abs(exact) >= largest - 2 * delta, "step \(step): |c| \(abs(exact)) < max \(largest)")
      #expect(abs(Double(spike.amplitude) - exact) <= delta, "step \(step)")
      for i in 0..<l { r[spike.time + i] -= Double(spike.amplitude) * h[spike.atom][i] }
    }
    let rounding = code.spikes.reduce(0.0) { $0 + 2 * Self.u * (norm + Double(abs($1.amplitude))) }
    let mismatch = zip(r, code.residual).reduce(0.0) { $0 + ($1.0 - Double($1.1)) * ($1.0 - Double($1.1)) }
    #expect(mismatch.squareRoot() <= rounding)
  }

  /// The block maxima find the same argmax as a full scan after arbitrary window updates, and
  /// the update is c - a w up to rounding.
  @Test func blockMaximaTrackTheArgmax() {
    var generator = Xoshiro256StarStar(seed: 9)
    let (rows, columns) = (1000, 3)
    var c = (0..<(rows * columns)).map { _ in generator.normal() }
    c.withUnsafeMutableBufferPointer { buffer in
      let c = buffer.baseAddress!
      var maxima = CorrelationMaxima(c, rows: rows, columns: columns)
      for _ in 0..<200 {
        let lo = Int(generator.next(upperBound: UInt64(rows)))
        let hi = min(rows, lo + 1 + Int(generator.next(upperBound: UInt64(150))))
        let w = (0..<((hi - lo) * columns)).map { _ in generator.normal() }
        let a = generator.normal()
        let expected = (0..<((hi - lo) * columns)).map { c[lo * columns + $0] - a * w[$0] }
        w.withUnsafeBufferPointer { maxima.subtract(a, $0.baseAddress!, rows: lo..<hi, from: c) }
        // Fused (FMA) where the CPU has it: one rounding of a w and two final roundings apart.
        let close = (0..<((hi - lo) * columns)).allSatisfy {
          let bound = 1.01 * Float(Self.u) * (abs(a * w[$0]) + abs(c[lo * columns + $0]) + abs(expected[$0]))
          return abs(c[lo * columns + $0] - expected[$0]) <= bound
        }
        #expect(close)
        let magnitudes = (0..<(rows * columns)).map { abs(c[$0]) }
        let best = magnitudes.indices.max {
          magnitudes[$0] < magnitudes[$1] || (magnitudes[$0] == magnitudes[$1] && $0 > $1)
        }!
        let found = maxima.argmax(c)
        #expect(found.row * columns + found.column == best)
        #expect(maxima.maximum == magnitudes[best])
      }
    }
  }
}
