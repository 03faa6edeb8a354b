import Foundation
import Testing

@testable import SparsityCore

/// The regularizer kernels and their twins do the same Float (and, for KL, Double) operations in
/// the same order, so results agree bit for bit.
@Suite struct RegularizerKernelsTests {
  @Test(arguments: kernelTestLengths)
  func signStepsAndScaledSumsMatchTheirTwins(count: Int) {
    let values = randomValues(count, zeroFraction: 0.3, seed: UInt64(count)).map { $0 == 0 ? -0.0 : $0 }
    let gradient = randomValues(count, seed: UInt64(count) + 1)
    var (fast, twin) = (gradient, gradient)
    addSignSteps(0.01, signsOf: values, to: &fast)
    addSignStepsReference(0.01, signsOf: values, to: &twin)
    #expect(bits(fast) == bits(twin), "\(count) entries")
    for i in 0..<count where values[i] == 0 { #expect(fast[i].bitPattern == gradient[i].bitPattern) }

    addScaled(values, by: 3e-4, to: &fast)
    addScaledReference(values, by: 3e-4, to: &twin)
    #expect(bits(fast) == bits(twin), "\(count) entries")
  }

  @Test(arguments: kernelTestLengths)
  func softThresholdingMatchesItsTwin(count: Int) {
    let values = randomValues(count, zeroFraction: 0.2, seed: UInt64(count) + 2)
    for threshold: Float in [0, 0.1, 1, 100] {
      var (fast, twin) = (values, values)
      softThresholdValues(&fast, threshold: threshold)
      softThresholdValuesReference(&twin, threshold: threshold)
      #expect(bits(fast) == bits(twin), "\(count) entries, threshold \(threshold)")
    }
  }

  @Test func softThresholdShrinksTowardsZero() {
    var values: [Float] = [3, -3, 0.5, -0.5, 0]
    softThresholdValues(&values, threshold: 1)
    #expect(values == [2, -2, 0, 0, 0])
  }

  /// (batch, units): one sample, around the SIMD width, odd; the activations are sigmoid-like
  /// values in (0, 1), with all-zero and all-one columns to hit both clamps.
  static let shapes: [(Int, Int)] = [(1, 1), (2, 16), (7, 17), (64, 33), (129, 100)]

  @Test(arguments: shapes)
  func klDivergenceMatchesItsTwin(batch: Int, units: Int) {
    var activation = randomMatrix(batch, units, zeroFraction: 0, seed: UInt64(batch + units)).map { 1 / (1 + exp(-$0)) }
    for i in 0..<batch { activation[i, 0] = 0 }
    if units > 1 { for i in 0..<batch { activation[i, units - 1] = 1 } }
    let (rho, margin) = (0.05, 1e-6)
    let fastSum = klDivergenceSum(activation: activation, target: rho, clampMargin: margin)
    let twinSum = klDivergenceSumReference(activation: activation, target: rho, clampMargin: margin)
    #expect(fastSum.bitPattern == twinSum.bitPattern && fastSum.isFinite, "\(batch) x \(units)")

    let gradient = randomMatrix(batch, units, zeroFraction: 0, seed: 5)
    var (fast, twin) = (gradient, gradient)
    addKLDivergenceGradient(
      activation: activation, target: rho, scale: 0.1 / Double(batch), clampMargin: margin, to: &fast)
    addKLDivergenceGradientReference(
      activation: activation, target: rho, scale: 0.1 / Double(batch), clampMargin: margin, to: &twin)
    #expect(bits(fast) == bits(twin), "\(batch) x \(units)")
  }
}
