import SparsityCore
import SparsityIO
import SparsityNN
import Testing

@testable import SparsityAnalysis

@Suite struct OrientationAnalysisTests {
  @Test func levelsAreTheFirstAndNinetyNinthPercentiles() {
    let features = Tensor(shape: [4, 25], scalars: (0..<100).map { Float(99 - $0) })
    let (low, high) = OrientationAnalysis.levels(of: features)
    #expect(low == 1 && high == 98)  // ranks round(0.01 * 99) = 1 and round(0.99 * 99) = 98
    #expect(OrientationAnalysis.levels(of: Tensor(repeating: 0.5, shape: [3, 4])) == (0.5, 1.5))
    #expect(OrientationAnalysis.levels(of: Tensor(shape: [1, 2], scalars: [.nan, .infinity])) == (0, 1))
  }

  private func built(_ text: String) throws -> (Sequential, [ModelArchitecture.SampleShape]) {
    let architecture = try ModelArchitecture(parsing: text)
    return (architecture.makeSequential(seed: 0), architecture.shapes)
  }

  @Test func theProbedLayerIsTheFirstActivationAfterTheFirstConvolution() throws {
    let (network, shapes) = try built("1x8x8,bn,conv:4:3x3,bn,maxpool:2,relu,conv:2:3x3:p1,relu,flatten,10")
    let probed = try #require(OrientationAnalysis.probedLayer(of: network, shapes: shapes))
    #expect(probed.convolution == 1 && probed.activation == 4)
    #expect(probed.input == ImageShape(rows: 8, columns: 8))
    #expect(probed.output == ImageShape(channels: 4, rows: 3, columns: 3))
    let (flatAfter, flatShapes) = try built("1x8x8,conv:4:3x3,flatten,relu,10")
    #expect(OrientationAnalysis.probedLayer(of: flatAfter, shapes: flatShapes) == nil)
    let (mlp, mlpShapes) = try built("64-8-relu-10")
    #expect(OrientationAnalysis.probedLayer(of: mlp, shapes: mlpShapes) == nil)
  }

  /// A hand-built vertical-edge filter on digits-sized images, probed at the levels of data in
  /// [-1, 3]: found vertical, and the JSON names the convolution, the levels and the units.
  @Test func aVerticalEdgeFilterIsAVerticalLineUnit() throws {
    let (network, shapes) = try built("1x8x8,conv:1:3x3,relu")
    let conv = try #require(network.layers[0] as? Conv2d)
    conv.weight.value = Tensor(shape: [1, 1, 3, 3], scalars: [-1, 0, 1, -2, 0, 2, -1, 0, 1])
    conv.bias!.value = Tensor(zeros: [1])
    let features = Tensor(shape: [5, 64], scalars: (0..<320).map { Float($0 % 5) - 1 })
    let orientation = try #require(OrientationAnalysis.measure(network, shapes: shapes, features: features))
    #expect(orientation.background == -1 && orientation.foreground == 3)
    #expect(orientation.convolutionIndex == 0 && orientation.convolutionName == conv.description)
    #expect(orientation.tuning.units[0].preferredAngle == 90)
    #expect(orientation.tuning.verticalUnits() == [0])
    #expect(orientation.stimuli == orientation.tuning.angles.count * (2 * 8 + 12))  // 12 bar offsets on 8x8
    let json = try JSONValue(encoding: orientation).text
    #expect(
      json.hasPrefix(#"{"convolution_index":0,"convolution":"Conv2d(1, 1, 3x3)","background":-1.0,"foreground":3.0,"#))
    for key in [#""layer_index":1"#, #""angles":[0.0,15.0"#, #""preferred_angle":90.0"#, #""vertical_units":[0]"#] {
      #expect(json.contains(key), "\(key)")
    }
  }
}
