import SparsityTestSupport
import SparsityCore
import Testing

@testable import SparsityNN

@Suite struct WeightL1Tests {
  /// A weight matrix (a vector given here becomes one row) and a bias.
  private func layer(weight: Tensor, bias: Tensor) -> [Parameter] {
    let matrix = weight.rank == 1 ? weight.reshaped([1, weight.count]) : weight
    return [Parameter(name: "weight", value: matrix), Parameter(name: "bias", value: bias)]
  }

  @Test func penaltyIsLambdaTimesL1NormOfWeightsOnly() {
    let parameters = layer(weight: Tensor(rows: [[1, -2], [0, 0.5]]), bias: Tensor([100, -100]))
    #expect(WeightL1(strength: 0.1).penalty(parameters) == 0.35)
    #expect(WeightL1(strength: 0.1, mode: .proximal).penalty(parameters) == 0.35)
  }

  @Test func subgradientMatchesFiniteDifferences() {
    let weight = RegularizerGradientCheck.awayFromZero(6, 7, low: 0.05, high: 2, seed: 11)
    let parameters = layer(weight: weight, bias: Tensor([1, 2, 3, 4, 5, 6]))
    let l1 = WeightL1(strength: 0.3)
    l1.addGradient(to: parameters)
    let numeric = RegularizerGradientCheck.numericalGradient(at: weight, step: 1e-2) { probe in
      l1.penalty([Parameter(name: "weight", value: probe)])
    }
    #expect(RegularizerGradientCheck.relativeError(parameters[0].gradient, numeric) < 1e-2)
    #expect(parameters[1].gradient == Tensor(zeros: [6]))  // biases untouched
  }

  @Test func subgradientOfZeroIsZeroAndGradientAccumulates() {
    let parameters = layer(weight: Tensor([0, 3, -3]), bias: Tensor([1]))
    parameters[0].gradient = Tensor(rows: [[1, 1, 1]])
    WeightL1(strength: 0.5).addGradient(to: parameters)
    #expect(parameters[0].gradient.scalars == [1, 1.5, 0.5])
  }

  @Test func proximalModeAddsNoGradientAndSubgradientModeNoProximalStep() {
    let parameters = layer(weight: Tensor([0.1, -3]), bias: Tensor([1]))
    WeightL1(strength: 1, mode: .proximal).addGradient(to: parameters)
    #expect(parameters[0].gradient.scalars == [0, 0])
    WeightL1(strength: 1, mode: .subgradient).applyProximalStep(to: parameters, learningRate: 1)
    #expect(parameters[0].value.scalars == [0.1, -3])
  }

  @Test func batchNormScalesAreNotWeightMatrices() {
    let scale = Parameter(name: "weight", value: Tensor([0.5, -0.5]))
    #expect(WeightL1(strength: 1).penalty([scale]) == 0)
    WeightL1(strength: 1, mode: .proximal).applyProximalStep(to: [scale], learningRate: 1)
    #expect(scale.value == Tensor([0.5, -0.5]))
  }

  @Test func proximalStepIsSoftThresholdingWithExactZeros() {
    // Threshold lr · λ = 0.5 · 0.4 = 0.2.
    let parameters = layer(weight: Tensor([0.5, -0.5, 0.2, -0.2, 0.1, -0.15, 0, 3]), bias: Tensor([0.1]))
    WeightL1(strength: 0.4, mode: .proximal).applyProximalStep(to: parameters, learningRate: 0.5)
    let expected: [Float] = [0.3, -0.3, 0, 0, 0, 0, 0, 2.8]
    #expect(zip(parameters[0].value.scalars, expected).allSatisfy { abs($0 - $1) < 1e-6 })
    #expect(parameters[0].value.scalars[2..<7].allSatisfy { $0 == 0 })
    #expect(parameters[1].value == Tensor([0.1]))  // the bias is not thresholded
  }

  @Test func proximalStepMinimizesTheProximalObjective() {
    // prox(w) = argmin_u ½(u − w)² + t|u|: no nearby u does better.
    let t: Float = 0.3
    for w: Float in [-1, -0.31, -0.1, 0, 0.2, 0.29, 0.7] {
      let u = softThreshold(w, t)
      let objective = { (x: Float) in 0.5 * (x - w) * (x - w) + t * abs(x) }
      #expect([-0.01, -0.001, 0.001, 0.01].allSatisfy { objective(u + $0) >= objective(u) - 1e-7 })
    }
  }

  /// Seeded end to end: proximal gradient descent (ISTA) on a least-squares problem whose true
  /// weights are sparse recovers exactly their support.
  @Test func proximalDescentRecoversASparseSupport() {
    var generator = Xoshiro256StarStar(seed: 7)
    let (samples, features) = (200, 20)
    let inputs = Tensor.normal(shape: [samples, features], using: &generator)
    var truth = [Float](repeating: 0, count: features)
    for (j, value) in [(2, 1.5), (7, -2.0), (13, 1.0)] as [(Int, Float)] { truth[j] = value }
    let targets = (0..<samples).map { i in (0..<features).reduce(Float(0)) { $0 + inputs[i, $1] * truth[$1] } }
    let weight = Parameter(name: "weight", value: Tensor(zeros: [1, features]))
    let (optimizer, l1) = (SGD(), WeightL1(strength: 0.05, mode: .proximal))
    for _ in 0..<300 {
      weight.zeroGradient()
      for i in 0..<samples {  // gradient of (1/2N) Σ (x·w − y)²
        let residual = (0..<features).reduce(Float(0)) { $0 + inputs[i, $1] * weight.value.scalars[$1] } - targets[i]
        for j in 0..<features { weight.gradient.scalars[j] += residual * inputs[i, j] / Float(samples) }
      }
      optimizer.step([weight], learningRate: 0.1)
      l1.applyProximalStep(to: [weight], learningRate: 0.1)
    }
    let support = weight.value.scalars.indices.filter { weight.value.scalars[$0] != 0 }
    #expect(support == [2, 7, 13])
  }
}
