import SparsityCore
import SparsityNN
import Testing

@testable import SparsityAnalysis

@Suite struct NetworkAnalysisTests {
  let analysis = NetworkAnalysis.analyze(
    network: HandBuiltNetworks.fourUnits(), features: HandBuiltNetworks.features, labels: HandBuiltNetworks.labels,
    classes: 3, settings: .init(epsilon: 1e-6, topInputs: 3))

  @Test func findsTheActivationLayerAndTheWeights() {
    #expect(analysis.samples == 7)
    #expect(analysis.classCounts == [3, 2, 2])
    #expect(analysis.activations.map(\.layerIndex) == [1])
    #expect(analysis.activations[0].name == "ReLU")
    #expect(analysis.weights.map(\.layerIndex) == [0, 2])
    #expect(analysis.weights.map(\.shape) == [[4, 3], [3, 4]])
  }

  @Test func unitThatCannotFireIsDeadAndBigBiasIsAlwaysOn() {
    let relu = analysis.activations[0]
    #expect(relu.deadUnits == [0])
    #expect(relu.alwaysOnUnits == [1])
    #expect(relu.firingRates == [0, 1, 2.0 / 7, 4.0 / 7])
    #expect(relu.selectivity[0] == ClassSelectivity(index: nil, preferredClass: nil))
  }

  @Test func unitWiredToClassTwoHasSelectivityOne() {
    let relu = analysis.activations[0]
    #expect(relu.selectivity[2] == ClassSelectivity(index: 1, preferredClass: 2))
    #expect(relu.classMeans[2] == [0, 0, 2])
    // Always on, equally for every class: selectivity 0.
    #expect(relu.selectivity[1] == ClassSelectivity(index: 0, preferredClass: 0))
    // Unit 3: class means 1, 3, 0; (3 - 0.5) / (3 + 0.5).
    #expect(relu.classMeans[3] == [1, 3, 0])
    #expect(relu.selectivity[3].preferredClass == 1)
    #expect(abs(relu.selectivity[3].index! - 5.0 / 7) < 1e-12)
    #expect(relu.mostSelectiveUnits(10) == [2, 3, 1])
    #expect(abs(relu.meanSelectivity! - (1 + 0 + 5.0 / 7) / 3) < 1e-12)
  }

  @Test func firingRateFloorLeavesOutRarelyActiveUnits() {
    // Firing rates [0, 1, 2/7, 4/7]: a floor of 0.5 keeps units 1 (selectivity 0) and 3 (5/7).
    let relu = analysis.activations[0]
    #expect(relu.mostSelectiveUnits(10, minimumFiringRate: 0.5) == [3, 1])
    #expect(abs(relu.meanSelectivity(minimumFiringRate: 0.5)! - (0 + 5.0 / 7) / 2) < 1e-12)
    #expect(relu.meanSelectivity(minimumFiringRate: 0) == relu.meanSelectivity)
    #expect(relu.meanSelectivity(minimumFiringRate: 1.5) == nil)
  }

  @Test func topInputsAreTheRightIndicesInOrder() {
    let top = analysis.activations[0].topInputs
    #expect(top[3].map(\.input) == [5, 1, 4])  // values 4, 2, 2: the tie goes to the earlier input
    #expect(top[3].map(\.value) == [4, 2, 2])
    #expect(top[2].map(\.input) == [3, 2])  // values 3 and 1; inactive inputs are never listed
    #expect(top[0].isEmpty)  // dead
    #expect(top[1].map(\.input) == [0, 1, 2])  // all equal: first inputs
  }

  @Test func activeUnitsPerInputAndZeroCounts() {
    let relu = analysis.activations[0]
    #expect(relu.activeUnitsPerInput.frequencies == [0, 1, 6, 0, 0])
    #expect(relu.activeUnitsPerInput.mean == 13.0 / 7)
    #expect(relu.activeUnitsPerInput.median == 2)
    #expect(relu.zeroFraction == 15.0 / 28)
    #expect(relu.nearZeroFraction == 15.0 / 28)
    #expect(relu.meanActivations == [0, 5, 4.0 / 7, 9.0 / 7])
    #expect(relu.valueHistogram.total == 13)
    #expect(relu.valueHistogram.lowerBound == 1 && relu.valueHistogram.upperBound == 5)
  }

  @Test func inputIsAnalysedAsALayer() {
    let input = analysis.input
    #expect(input.name == "input" && input.layerIndex == nil)
    #expect(input.zeroFraction == 15.0 / 21)
    #expect(input.deadUnits.isEmpty)
    #expect(input.activeUnitsPerInput.frequencies == [1, 6, 0, 0])
    #expect(input.topInputs.allSatisfy { $0.isEmpty })
  }

  @Test func weightSparsityIsExact() {
    #expect(analysis.weights[0].zeroFraction == 9.0 / 12)
    #expect(analysis.weights[0].zeroRows == [0, 1])
    #expect(analysis.weights[1].zeroFraction == 9.0 / 12)
    #expect(analysis.weights[1].zeroRows.isEmpty)
  }

  @Test func batchSizeDoesNotChangeTheResult() {
    for batch in [1, 2, 3] {
      var batched = NetworkAnalysis.analyze(
        network: HandBuiltNetworks.fourUnits(), features: HandBuiltNetworks.features, labels: HandBuiltNetworks.labels,
        classes: 3, settings: .init(epsilon: 1e-6, topInputs: 3, batchSize: batch))
      #expect(batched.settings.batchSize == batch)
      batched.settings = analysis.settings
      #expect(batched == analysis, "batch \(batch)")
    }
  }

  @Test func epsilonSeparatesNearZerosFromActiveUnits() {
    // Unit 0 passes the input (0, 1, 2); unit 1 is a constant 1e-7: not zero, but below 1e-6.
    let network = Sequential(inputFeatures: 1, [HandBuiltNetworks.linear([[1], [0]], bias: [0, 1e-7]), ReLU()])
    let features = Tensor(rows: [[0], [1], [2]])
    let strict = NetworkAnalysis.analyze(
      network: network, features: features, labels: nil, classes: 0, settings: .init(epsilon: 1e-6)
    ).activations[0]
    #expect(strict.zeroFraction == 1.0 / 6)
    #expect(strict.nearZeroFraction == 4.0 / 6)
    #expect(strict.deadUnits == [1])
    #expect(strict.alwaysOnUnits.isEmpty)
    #expect(strict.firingRates == [2.0 / 3, 0])
    let exact = NetworkAnalysis.analyze(
      network: network, features: features, labels: nil, classes: 0, settings: .init(epsilon: 0)
    ).activations[0]
    #expect(exact.nearZeroFraction == 1.0 / 6)
    #expect(exact.deadUnits.isEmpty)
    #expect(exact.alwaysOnUnits == [1])
    #expect(exact.selectivity.isEmpty && exact.classMeans.isEmpty)
  }

  @Test func sigmoidUnitsAreNeverZero() {
    let network = Sequential(
      inputFeatures: 3, [HandBuiltNetworks.linear([[1, -1, 0], [0, 0, 0]], bias: [0, 0]), Sigmoid()])
    let layer = NetworkAnalysis.analyze(network: network, features: HandBuiltNetworks.features, labels: nil, classes: 0)
      .activations[0]
    #expect(layer.zeroFraction == 0)
    #expect(layer.alwaysOnUnits == [0, 1])
    #expect(layer.activeUnitsPerInput.frequencies == [0, 0, 7])
  }

  @Test func topKLayerKeepsKUnitsPerInput() {
    var generator = Xoshiro256StarStar(seed: 3)
    let features = Tensor.uniform(shape: [20, 5], in: 0.1...1, using: &generator)
    let network = Sequential(
      inputFeatures: 5,
      [
        HandBuiltNetworks.linear((0..<5).map { i in (0..<5).map { $0 == i ? 1 : 0 } }, bias: [0, 0, 0, 0, 0]),
        TopK(k: 2),
      ])
    let layer = NetworkAnalysis.analyze(network: network, features: features, labels: nil, classes: 0).activations[0]
    #expect(layer.activeUnitsPerInput.frequencies == [0, 0, 20, 0, 0, 0])
    #expect(layer.zeroFraction == 0.6)
  }
}
