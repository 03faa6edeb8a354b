import SparsityCore
import SparsityIO
import SparsityNN
import Testing

@testable import SparsityAnalysis

@Suite struct ChannelAnalysisTests {
  /// Three inputs of two 2x2 channels, classes [0, 1, 1]; channel 1 is zero everywhere (dead).
  ///
  ///     input 0: channel 0 = [0, 2, 0, 2]  (max 2, mean 1)
  ///     input 1: channel 0 = [4, 0, 0, 0]  (max 4, mean 1)
  ///     input 2: channel 0 = [2, 2, 2, 2]  (max 2, mean 2)
  static let shape = ImageShape(channels: 2, rows: 2, columns: 2)
  static let batch = Tensor(rows: [
    [0, 2, 0, 2, 0, 0, 0, 0],
    [4, 0, 0, 0, 0, 0, 0, 0],
    [2, 2, 2, 2, 0, 0, 0, 0],
  ])
  static let labels = [0, 1, 1]

  /// The analysis of `batch`, added in two batches (input 0, then inputs 1 and 2).
  static func analysis(ranking: ChannelAnalysis.Ranking) -> ChannelAnalysis {
    var accumulator = ChannelAccumulator(shape: shape, classes: 2, epsilon: 1e-6, ranking: ranking, topInputs: 3)
    accumulator.add(batch.rows(0..<1), firstInput: 0, labels: labels[0..<1])
    accumulator.add(batch.rows(1..<3), firstInput: 1, labels: labels[1..<3])
    return accumulator.result(layerIndex: 1, name: "ReLU", labeled: true)
  }

  @Test func zerosFiringAndDeadChannelsAreExact() {
    let layer = Self.analysis(ranking: .maximum)
    #expect(layer.samples == 3 && layer.channels == 2)
    #expect(layer.zeroFractions == [5.0 / 12, 1])
    #expect(layer.activePixelFractions == [7.0 / 12, 0])
    let overall: Double = (5.0 / 12 + 1) / 2
    #expect(layer.zeroFraction == overall)
    #expect(layer.firingRates == [1, 0])
    #expect(layer.deadChannels == [1])
    #expect(layer.alwaysOnChannels == [0])
    #expect(layer.meanActivations == [4.0 / 3, 0])
  }

  @Test func selectivityUsesTheSpatialMeans() {
    let layer = Self.analysis(ranking: .maximum)
    // Class 0: input 0 (mean 1); class 1: inputs 1 and 2 (means 1 and 2): 1.5.
    #expect(layer.classMeans == [[1, 1.5], [0, 0]])
    #expect(layer.selectivity[0] == ClassSelectivity(index: 0.2, preferredClass: 1))  // (1.5 - 1) / (1.5 + 1)
    #expect(layer.selectivity[1] == ClassSelectivity(index: nil, preferredClass: nil))
    #expect(layer.meanSelectivity() == 0.2)
    #expect(layer.mostSelectiveChannels(5) == [0])
  }

  @Test func topInputsByMaximumOrMean() {
    let byMaximum = Self.analysis(ranking: .maximum).topInputs
    #expect(byMaximum[0].map(\.input) == [1, 0, 2])  // 4, then the tie 2, 2 by input order
    #expect(byMaximum[0].map(\.value) == [4, 2, 2])
    #expect(byMaximum[0].map(\.label) == [1, 0, 1])
    #expect(byMaximum[1].isEmpty)  // dead
    let byMean = Self.analysis(ranking: .mean).topInputs
    #expect(byMean[0].map(\.input) == [2, 0, 1])
    #expect(byMean[0].map(\.value) == [2, 1, 1])
  }

  @Test func jsonWritesEveryMemberInOrder() throws {
    let overall: Double = (5.0 / 12 + 1) / 2
    let expected =
      #"{"index":1,"name":"ReLU","shape":[2,2,2],"ranking":"maximum","zero_fraction":\#(overall),"#
      + #""zero_fractions":[\#(5.0 / 12),1.0],"active_pixel_fractions":[\#(7.0 / 12),0.0],"firing_rates":[1.0,0.0],"#
      + #""mean_activations":[\#(4.0 / 3),0.0],"dead_channels":[1],"always_on_channels":[0],"mean_selectivity":0.2,"#
      + #""selectivity":[0.2,null],"preferred_class":[1,null],"class_means":[[1.0,1.5],[0.0,0.0]],"top_inputs":[["#
      + #"{"input":1,"value":4.0,"label":1},{"input":0,"value":2.0,"label":0},{"input":2,"value":2.0,"label":1}],[]]}"#
    #expect(try JSONValue(encoding: Self.analysis(ranking: .maximum)).text == expected)
  }

  @Test func unlabeledDataHasNoSelectivity() {
    var accumulator = ChannelAccumulator(shape: Self.shape, classes: 0, epsilon: 0, ranking: .maximum, topInputs: 1)
    accumulator.add(Self.batch, firstInput: 0, labels: nil)
    let layer = accumulator.result(layerIndex: 1, name: "ReLU", labeled: false)
    #expect(layer.classMeans.isEmpty && layer.selectivity.isEmpty && layer.meanSelectivity() == nil)
    #expect(layer.topInputs[0].map(\.input) == [1])
  }

  /// A small convolutional network analysed end to end: only the image-shaped activation
  /// layer is aggregated per channel, consistently with its per-unit analysis.
  @Test func networkAnalysisAggregatesImageLayersOnly() throws {
    let network = try ModelArchitecture(parsing: "1x6x6,conv:3:3x3:p1,relu,flatten,4,relu,2").makeSequential(seed: 1)
    var generator = Xoshiro256StarStar(seed: 2)
    let features = Tensor(shape: [20, 36], scalars: (0..<720).map { _ in Float.random(in: 0...1, using: &generator) })
    let labels = (0..<20).map { $0 % 2 }
    let analysis = NetworkAnalysis.analyze(network: network, features: features, labels: labels, classes: 2)
    #expect(analysis.activations.map(\.layerIndex) == [1, 4])
    #expect(analysis.channels.map(\.layerIndex) == [1])
    let channels = analysis.channels[0]
    #expect(channels.shape == ImageShape(channels: 3, rows: 6, columns: 6))
    #expect(abs(channels.zeroFraction - analysis.activations[0].zeroFraction) < 1e-12)
    let units = analysis.activations[0].firingRates
    for k in 0..<3 {
      // A channel is active on an input when one of its pixels is: at least its busiest pixel's rate.
      #expect(channels.firingRates[k] >= units[(k * 36)..<((k + 1) * 36)].max()!)
    }
    #expect(analysis.weights.map(\.shape) == [[3, 1, 3, 3], [4, 108], [2, 4]])
    let orientation = try #require(analysis.orientation)
    #expect(orientation.convolutionIndex == 0 && orientation.tuning.layerIndex == 1)
    #expect(orientation.tuning.units.count == 3)
    guard case .object(let members) = try JSONValue(encoding: analysis) else {
      Issue.record("the analysis is not a JSON object")
      return
    }
    #expect(
      members.map(\.0) == [
        "samples", "classes", "class_counts", "epsilon", "top_inputs", "input", "activations", "channels", "weights",
        "orientation",
      ])
  }

  @Test func flatNetworksHaveNoChannelsAndNoOrientation() {
    let analysis = NetworkAnalysis.analyze(
      network: HandBuiltNetworks.fourUnits(), features: HandBuiltNetworks.features, labels: HandBuiltNetworks.labels,
      classes: 3)
    #expect(analysis.channels.isEmpty)
    #expect(analysis.orientation == nil)
  }
}
