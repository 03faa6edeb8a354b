import Foundation
import Testing

@testable import SparsityCore

@Suite struct OptimizerKernelsTests {
  /// A few steps of one parameter; the moments start at zero as in a fresh optimizer.
  private struct AdamRun {
    var weights: [Float]
    var firstMoment: [Float]
    var secondMoment: [Float]

    init(count: Int) {
      weights = randomValues(count, seed: UInt64(count))
      firstMoment = [Float](repeating: 0, count: count)
      secondMoment = firstMoment
    }
  }

  /// The moments are computed with the same operations in both, so they agree bit for bit. The
  /// weights differ only through √v: `vectorSquareRoot` is within 2 ulp (relative 2^-22) of the
  /// correctly rounded root, and the three roundings after it (divide, add ε, divide m by the
  /// denominator) may each land one half-ulp apart, so the step η̂ m / d differs by at most
  /// (2^-22 + 3 · 2^-24) < 2^-20 relative, plus half an ulp of the new weight on each side.
  @Test(arguments: kernelTestLengths)
  func adamMatchesItsTwin(count: Int) {
    var (fast, twin) = (AdamRun(count: count), AdamRun(count: count))
    for step in 1...3 {
      let gradient = randomValues(count, zeroFraction: 0.2, seed: UInt64(100 + step))
      let l2: Float = step == 2 ? 0.01 : 0  // the coupled L2 term on one of the steps
      let adamStep = AdamStep(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, l2: l2, learningRate: 1e-2, step: step)
      let before = twin.weights
      adamStep.apply(
        weights: &fast.weights, gradient: gradient, firstMoment: &fast.firstMoment, secondMoment: &fast.secondMoment)
      adamStep.applyReference(
        weights: &twin.weights, gradient: gradient, firstMoment: &twin.firstMoment, secondMoment: &twin.secondMoment)
      #expect(bits(fast.firstMoment) == bits(twin.firstMoment), "\(count) entries, step \(step)")
      #expect(bits(fast.secondMoment) == bits(twin.secondMoment), "\(count) entries, step \(step)")
      let outside = (0..<count).filter { i in
        Swift.abs(fast.weights[i] - twin.weights[i]) > Swift.abs(before[i] - twin.weights[i]) * 0x1p-20
          + twin.weights[i].ulp
      }
      #expect(outside.isEmpty, "\(count) entries, step \(step): weights \(outside.prefix(5)) outside the bound")
      // A share of fewer than 2^15 entries runs on one thread and ends in a scalar tail: exact.
      let tail = (count < 1 << 15 ? count & ~15 : count)..<count
      #expect(bits(Array(fast.weights[tail])) == bits(Array(twin.weights[tail])))
      fast.weights = twin.weights  // the next step starts from the same weights
    }
  }

  /// The bias corrections are computed in Double from the Float hyperparameters.
  @Test func adamStepConstantsAreTheBiasCorrections() {
    let (beta1, beta2, learningRate): (Float, Float, Float) = (0.9, 0.999, 1e-3)
    let adamStep = AdamStep(beta1: beta1, beta2: beta2, epsilon: 1e-8, l2: 0, learningRate: learningRate, step: 2)
    let (b1, b2) = (Double(beta1), Double(beta2))
    #expect(adamStep.stepSize == Float(Double(learningRate) / (1 - pow(b1, 2))))
    #expect(adamStep.secondCorrectionRoot == Float((1 - pow(b2, 2)).squareRoot()))
  }

  @Test(arguments: kernelTestLengths)
  func sgdStepsMatchTheirTwins(count: Int) {
    let gradient = randomValues(count, zeroFraction: 0.1, seed: UInt64(count) + 5)
    for weightDecay: Float in [0, 1e-2] {
      var (fast, twin) = (randomValues(count, seed: 9), randomValues(count, seed: 9))
      sgdStep(weights: &fast, gradient: gradient, learningRate: 0.1, weightDecay: weightDecay)
      sgdStepReference(weights: &twin, gradient: gradient, learningRate: 0.1, weightDecay: weightDecay)
      #expect(bits(fast) == bits(twin), "\(count) entries, decay \(weightDecay)")
      for nesterov in [false, true] {
        var (fastBuffer, twinBuffer) = (randomValues(count, seed: 4), randomValues(count, seed: 4))
        for _ in 0..<2 {
          sgdMomentumStep(
            weights: &fast, momentumBuffer: &fastBuffer, gradient: gradient, learningRate: 0.1, momentum: 0.9,
            nesterov: nesterov, weightDecay: weightDecay)
          sgdMomentumStepReference(
            weights: &twin, momentumBuffer: &twinBuffer, gradient: gradient, learningRate: 0.1, momentum: 0.9,
            nesterov: nesterov, weightDecay: weightDecay)
        }
        #expect(bits(fast) == bits(twin) && bits(fastBuffer) == bits(twinBuffer), "\(count), nesterov \(nesterov)")
      }
    }
  }
}
