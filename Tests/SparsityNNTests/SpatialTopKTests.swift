import SparsityCore
import Testing

@testable import SparsityNN

@Suite struct SpatialTopKTests {
  @Test func shapesAndDescription() {
    let layer = SpatialTopK(input: oddImage, k: 4, over: .channel)
    #expect(layer.description == "SpatialTopK(4, over: channel)" && layer.isActivation && layer.parameters.isEmpty)
    #expect(SpatialTopK(input: oddImage, k: 2, over: .position).description == "SpatialTopK(2, over: position)")
    #expect(layer.outputShape == oddImage && layer.outputFeatures(inputFeatures: 105) == 105)
  }

  @Test func keepsKPerChannelOrKPerPosition() {
    let input = distinctValues(3, 105, seed: 1)
    let perChannel = forward(SpatialTopK(input: oddImage, k: 4, over: .channel), input, training: true)
    for n in 0..<3 {
      for c in 0..<3 {
        let kept = (0..<35).map { c * 35 + $0 }.filter { perChannel[n, $0] != 0 }
        let smallestKept = kept.map { input[n, $0] }.min()!
        #expect(kept.count == 4 && kept.allSatisfy { perChannel[n, $0] == input[n, $0] })
        #expect((0..<35).map { c * 35 + $0 }.allSatisfy { kept.contains($0) || input[n, $0] < smallestKept })
      }
    }
    let perPosition = forward(SpatialTopK(input: oddImage, k: 2, over: .position), input, training: true)
    for n in 0..<3 {
      for p in 0..<35 {
        let values = (0..<3).map { input[n, $0 * 35 + p] }
        let dropped = values.firstIndex(of: values.min()!)!
        for c in 0..<3 { #expect(perPosition[n, c * 35 + p] == (c == dropped ? 0 : values[c])) }
      }
    }
  }

  @Test(arguments: [SpatialTopK.Group.channel, .position])
  func gradientPassesThroughKeptPositionsAndMatchesFiniteDifferences(group: SpatialTopK.Group) {
    let layer = SpatialTopK(input: oddImage, k: 2, over: group)
    let input = distinctValues(3, 105, seed: 2)
    let upstream = normalMatrix(3, 105, seed: 3)
    let output = forward(layer, input, training: false)
    let mask = output.map { $0 != 0 ? 1 : 0 }  // distinct values: no kept zero... except an exact 0
    let gradient = inputGradient(layer, input: input, output: output, upstream: upstream)
    for i in 0..<input.count where input.scalars[i] != 0 {
      #expect(gradient.scalars[i] == upstream.scalars[i] * mask.scalars[i])
    }
    let errors = GradientCheck.checkLayer(layer, input: input, seed: 4)
    #expect(errors.input < 1e-2, "\(group)")
  }

  @Test func kAtLeastTheGroupIsIdentityAndAnEmptyBatchWorks() {
    let input = normalMatrix(2, 105, seed: 5)
    #expect(forward(SpatialTopK(input: oddImage, k: 35, over: .channel), input, training: true) == input)
    #expect(forward(SpatialTopK(input: oddImage, k: 3, over: .position), input, training: true) == input)
    let layer = SpatialTopK(input: oddImage, k: 2, over: .position)
    #expect(emptyBatchShapes(layer, features: 105, training: true) == ([0, 105], [0, 105]))
  }
}
