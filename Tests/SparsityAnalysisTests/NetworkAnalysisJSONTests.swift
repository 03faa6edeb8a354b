import SparsityCore
import SparsityIO
import Testing

@testable import SparsityAnalysis

/// The JSON text of a small analysis built by hand: every member, its order and its numbers.
@Suite struct NetworkAnalysisJSONTests {
  /// Two inputs of 2 units: one with 1 active unit, one with 2.
  static func activeCounts() -> CountDistribution {
    var distribution = CountDistribution(maximumCount: 2)
    distribution.record(1)
    distribution.record(2)
    return distribution
  }

  static let input = ActivationAnalysis(
    layerIndex: nil, name: "input", units: 2, samples: 2, epsilon: 1e-6, zeroFraction: 0.25, nearZeroFraction: 0.25,
    activeUnitsPerInput: activeCounts(), firingRates: [1, 0.5], meanActivations: [1, 0.75], deadUnits: [],
    alwaysOnUnits: [0], classMeans: [], selectivity: [], topInputs: [[], []],
    valueHistogram: ValueHistogram(values: [0.5, 1.5], bins: 2))

  static let relu = ActivationAnalysis(
    layerIndex: 1, name: "ReLU", units: 2, samples: 2, epsilon: 1e-6, zeroFraction: 0.5, nearZeroFraction: 0.5,
    activeUnitsPerInput: activeCounts(), firingRates: [0.5, 0.5], meanActivations: [1, 0.25], deadUnits: [],
    alwaysOnUnits: [], classMeans: [[2, 0], [0.5, nil]],
    selectivity: [ClassSelectivity(index: 1, preferredClass: 0), ClassSelectivity(index: nil, preferredClass: nil)],
    topInputs: [[TopActivations.Entry(input: 0, value: 2, label: 0)], []],
    valueHistogram: ValueHistogram(values: [0.5, 1.5], bins: 2))

  static let weight = WeightAnalysis(
    layerIndex: 0, name: "Linear(2, 2)", weight: Tensor(rows: [[0, 0.5], [0, 0]]), epsilon: 1e-6, bins: 1)

  static let inputText =
    #"{"index":null,"name":"input","units":2,"zero_fraction":0.25,"near_zero_fraction":0.25,"#
    + #""active_units_per_input":{"mean":1.5,"median":1.5,"minimum":1,"maximum":2,"frequencies":[0,1,1]},"#
    + #""firing_rates":[1.0,0.5],"mean_activations":[1.0,0.75],"dead_units":[],"always_on_units":[0],"#
    + #""mean_selectivity":null,"selectivity":[],"preferred_class":[],"class_means":[],"top_inputs":[[],[]],"#
    + #""value_histogram":{"scale":"linear","edges":[0.5,1.0,1.5],"counts":[1,1],"outside":0}}"#

  static let reluText =
    #"{"index":1,"name":"ReLU","units":2,"zero_fraction":0.5,"near_zero_fraction":0.5,"#
    + #""active_units_per_input":{"mean":1.5,"median":1.5,"minimum":1,"maximum":2,"frequencies":[0,1,1]},"#
    + #""firing_rates":[0.5,0.5],"mean_activations":[1.0,0.25],"dead_units":[],"always_on_units":[],"#
    + #""mean_selectivity":1.0,"selectivity":[1.0,null],"preferred_class":[0,null],"#
    + #""class_means":[[2.0,0.0],[0.5,null]],"top_inputs":[[{"input":0,"value":2.0,"label":0}],[]],"#
    + #""value_histogram":{"scale":"linear","edges":[0.5,1.0,1.5],"counts":[1,1],"outside":0}}"#

  static let weightText =
    #"{"index":0,"name":"Linear(2, 2)","shape":[2,2],"zero_fraction":0.75,"near_zero_fraction":0.75,"#
    + #""small_fraction":0.75,"mean_magnitude":0.125,"maximum_magnitude":0.5,"zero_rows":[1],"#
    + #""magnitude_histogram":{"scale":"log10","edges":[0.5,0.5],"counts":[1],"outside":0}}"#

  @Test func layersWriteEveryMemberInOrder() throws {
    #expect(try JSONValue(encoding: Self.input).text == Self.inputText)
    #expect(try JSONValue(encoding: Self.relu).text == Self.reluText)
    #expect(try JSONValue(encoding: Self.weight).text == Self.weightText)
  }

  @Test func theAnalysisWritesItsSettingsThenItsLayers() throws {
    let analysis = NetworkAnalysis(
      samples: 2, classes: 2, classCounts: [2, 0], settings: .init(epsilon: 1e-6, topInputs: 1), input: Self.input,
      activations: [Self.relu], weights: [Self.weight])
    #expect(
      try JSONValue(encoding: analysis).text
        == #"{"samples":2,"classes":2,"class_counts":[2,0],"epsilon":1e-06,"top_inputs":1,"input":"#
        + Self.inputText + #","activations":["# + Self.reluText + #"],"weights":["# + Self.weightText + "]}")
  }

  @Test func topInputsCarryTheirLabelsOnlyWhenLabeled() throws {
    let labeled = NetworkAnalysis.analyze(
      network: HandBuiltNetworks.fourUnits(), features: HandBuiltNetworks.features, labels: HandBuiltNetworks.labels,
      classes: 3, settings: .init(topInputs: 2))
    let top = labeled.activations[0].topInputs
    #expect(top.allSatisfy { $0.allSatisfy { $0.label == HandBuiltNetworks.labels[$0.input] } })
    #expect(top.contains { !$0.isEmpty })
    let unlabeled = NetworkAnalysis.analyze(
      network: HandBuiltNetworks.fourUnits(), features: HandBuiltNetworks.features, labels: nil, classes: 3,
      settings: .init(topInputs: 2))
    #expect(unlabeled.activations[0].topInputs.allSatisfy { $0.allSatisfy { $0.label == nil } })
    #expect(
      try JSONValue(encoding: TopActivations.Entry(input: 3, value: 0.5)).text
        == #"{"input":3,"value":0.5,"label":null}"#)
  }
}
