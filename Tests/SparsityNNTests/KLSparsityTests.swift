import SparsityTestSupport
import Foundation
import SparsityCore
import Testing

@testable import SparsityNN

@Suite struct KLSparsityTests {
  private func sigmoidActivations(_ batch: Int, _ features: Int, seed: UInt64) -> Tensor {
    var generator = Xoshiro256StarStar(seed: seed)
    return Tensor.uniform(shape: [batch, features], in: 0.05...0.6, using: &generator)
  }

  @Test func penaltyMatchesTheKLFormula() {
    // ρ̂ = (0.2, 0.5); β Σ_j ρ log(ρ/ρ̂_j) + (1 − ρ) log((1 − ρ)/(1 − ρ̂_j)).
    let activation = Tensor(rows: [[0.1, 0.4], [0.3, 0.6]])
    let (rho, beta) = (0.05, 3.0)
    let expected =
      [0.2, 0.5].reduce(0.0) { total, mean in
        total + rho * log(rho / mean) + (1 - rho) * log((1 - rho) / (1 - mean))
      } * beta
    let penalty = KLSparsity(target: Float(rho), weight: Float(beta)).penalty(activation: activation)
    #expect(abs(Double(penalty) - expected) < 1e-5 * expected)
  }

  @Test func penaltyAndGradientVanishAtTheTarget() {
    let activation = Tensor(rows: [[0.25, 0.0], [0.0, 0.25], [0.0, 0.0], [0.25, 0.25]])  // means 0.125
    let kl = KLSparsity(target: 0.125, weight: 2)
    var gradient = Tensor(zeros: activation.shape)
    kl.addGradient(activation: activation, to: &gradient)
    #expect(abs(kl.penalty(activation: activation)) < 1e-6)
    #expect(gradient.scalars.allSatisfy { abs($0) < 1e-6 })
  }

  @Test func gradientMatchesFiniteDifferences() {
    let activation = sigmoidActivations(8, 6, seed: 9)
    let kl = KLSparsity(target: 0.1, weight: 0.5)
    var gradient = Tensor(zeros: activation.shape)
    kl.addGradient(activation: activation, to: &gradient)
    let numeric = RegularizerGradientCheck.numericalGradient(at: activation, step: 1e-3) { kl.penalty(activation: $0) }
    #expect(RegularizerGradientCheck.relativeError(gradient, numeric) < 1e-2)
  }

  @Test func gradientPushesMeansTowardsTheTarget() {
    // Column 0 is too active (mean 0.5 > ρ), column 1 not active enough (mean 0.01 < ρ).
    let activation = Tensor(rows: [[0.5, 0.01], [0.5, 0.01]])
    var gradient = Tensor(zeros: activation.shape)
    KLSparsity(target: 0.1, weight: 1).addGradient(activation: activation, to: &gradient)
    #expect(gradient[0, 0] > 0 && gradient[1, 0] > 0)
    #expect(gradient[0, 1] < 0 && gradient[1, 1] < 0)
  }

  @Test func clampKeepsDeadAndSaturatedUnitsFinite() {
    let activation = Tensor(rows: [[0, 1], [0, 1]])
    let kl = KLSparsity(target: 0.05, weight: 1)
    var gradient = Tensor(zeros: activation.shape)
    kl.addGradient(activation: activation, to: &gradient)
    #expect(kl.penalty(activation: activation).isFinite)
    #expect(gradient.isFinite)
    #expect(kl.penalty(activation: Tensor(zeros: [0, 2])) == 0)
  }
}
