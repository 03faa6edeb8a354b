import SparsityCore
import Testing

@testable import SparsityNN

/// Channel dropout made deterministic for finite differences: every forward starts a fresh
/// layer from the same seed, so every forward draws the same mask.
private final class ReseededChannelDropout: Layer {
  let (image, probability, seed): (ImageShape, Float, UInt64)
  var layer: ChannelDropout

  init(image: ImageShape, probability: Float, seed: UInt64) {
    (self.image, self.probability, self.seed) = (image, probability, seed)
    layer = ChannelDropout(input: image, probability: probability, seed: seed)
  }

  var description: String { "Reseeded\(layer.description)" }
  func outputFeatures(inputFeatures: Int) -> Int { layer.outputFeatures(inputFeatures: inputFeatures) }

  func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
    layer = ChannelDropout(input: image, probability: probability, seed: seed)
    layer.forward(input, into: &output, training: training)
  }

  func backward(
    input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor, needsInputGradient: Bool
  ) {
    layer.backward(
      input: input, output: output, outputGradient: outputGradient, inputGradient: &inputGradient,
      needsInputGradient: needsInputGradient)
  }
}

@Suite struct ChannelDropoutTests {
  @Test func shapesAndDescription() {
    let layer = ChannelDropout(input: oddImage, probability: 0.2, seed: 0)
    #expect(layer.description == "ChannelDropout(0.2)" && !layer.isActivation && layer.parameters.isEmpty)
    #expect(layer.outputShape == oddImage && layer.outputFeatures(inputFeatures: 105) == 105)
  }

  @Test func trainingZeroesWholeChannelsAndScalesTheSurvivors() {
    let layer = ChannelDropout(input: oddImage, probability: 0.5, seed: 1)
    let input = awayFromZero(40, 105, seed: 2)
    let output = forward(layer, input, training: true)
    var dropped = 0
    for n in 0..<40 {
      for c in 0..<3 {
        let ratios = (0..<35).map { output[n, c * 35 + $0] / input[n, c * 35 + $0] }
        let zero = ratios.allSatisfy { $0 == 0 }
        #expect(zero || ratios.allSatisfy { abs($0 - 2) < 1e-6 }, "sample \(n), channel \(c)")
        dropped += zero ? 1 : 0
      }
    }
    #expect(dropped > 40 && dropped < 80)  // 120 channels, p = 0.5
  }

  @Test func sameSeedSameMasksAndEachForwardDrawsANewMask() {
    let input = Tensor(repeating: 1, shape: [4, 105])
    let (a, b) = (
      ChannelDropout(input: oddImage, probability: 0.5, seed: 3),
      ChannelDropout(input: oddImage, probability: 0.5, seed: 3)
    )
    let first = forward(a, input, training: true)
    #expect(first == forward(b, input, training: true))
    #expect(forward(a, input, training: true) != first)
    #expect(forward(ChannelDropout(input: oddImage, probability: 0.5, seed: 4), input, training: true) != first)
  }

  @Test func evaluationIsIdentityForwardAndBackward() {
    let layer = ChannelDropout(input: oddImage, probability: 0.5, seed: 5)
    let input = normalMatrix(3, 105, seed: 6)
    let upstream = normalMatrix(3, 105, seed: 7)
    let output = forward(layer, input, training: false)
    #expect(output == input)
    #expect(inputGradient(layer, input: input, output: output, upstream: upstream) == upstream)
  }

  @Test func backwardIsTheUpstreamGradientTimesTheMaskAndMatchesFiniteDifferences() {
    let layer = ChannelDropout(input: oddImage, probability: 0.3, seed: 8)
    let input = awayFromZero(3, 105, seed: 9)
    let upstream = normalMatrix(3, 105, seed: 10)
    let output = forward(layer, input, training: true)
    let mask = output / input
    #expect(
      inputGradient(layer, input: input, output: output, upstream: upstream).isApproximatelyEqual(to: upstream * mask))
    let reseeded = ReseededChannelDropout(image: oddImage, probability: 0.3, seed: 11)
    let errors = GradientCheck.checkLayer(reseeded, input: normalMatrix(3, 105, seed: 12), seed: 13, training: true)
    #expect(errors.input < 1e-2)
    #expect(forward(reseeded, input, training: true).scalars.contains(0))  // some channel is dropped
  }

  @Test func handlesAnEmptyBatch() {
    let layer = ChannelDropout(input: oddImage, probability: 0.5, seed: 14)
    #expect(emptyBatchShapes(layer, features: 105, training: true) == ([0, 105], [0, 105]))
  }
}
