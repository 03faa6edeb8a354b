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

  /// The C kernel makes the twin's operations in the twin's order (no fused multiply-add, the
  /// correctly rounded square root), so weights and moments agree bit for bit on every length,
  /// vector body and tail alike.
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
      #expect(bits(fast.weights) == bits(twin.weights), "\(count) entries, step \(step)")
      #expect(count == 0 || fast.weights != before, "\(count) entries, step \(step): nothing moved")
    }
  }

  /// The pointer form on one thread is the same kernel: the same bits as the array form.
  @Test func adamOnRawRowsMatchesTheArrayForm() {
    let count = 1000
    var (rows, array) = (AdamRun(count: count), AdamRun(count: count))
    let gradient = randomValues(count, seed: 7)
    let adamStep = AdamStep(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, l2: 0, learningRate: 1e-3, step: 1)
    rows.weights.withUnsafeMutableBufferPointer { w in
      rows.firstMoment.withUnsafeMutableBufferPointer { m in
        rows.secondMoment.withUnsafeMutableBufferPointer { v in
          gradient.withUnsafeBufferPointer { g in
            for start in stride(from: 0, to: count, by: 384) {
              let n = Swift.min(384, count - start)
              adamStep.apply(
                weights: w.baseAddress! + start, gradient: g.baseAddress! + start,
                firstMoment: m.baseAddress! + start, secondMoment: v.baseAddress! + start, count: n)
            }
          }
        }
      }
    }
    adamStep.apply(
      weights: &array.weights, gradient: gradient, firstMoment: &array.firstMoment, secondMoment: &array.secondMoment)
    #expect(bits(rows.weights) == bits(array.weights) && bits(rows.secondMoment) == bits(array.secondMoment))
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
