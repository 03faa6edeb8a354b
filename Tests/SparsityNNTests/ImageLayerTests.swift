import SparsityCore
import Testing

@testable import SparsityNN

@Suite struct ImageLayerTests {
  @Test func everyImageLayerReportsItsShapesAndFeatureCounts() {
    let window = SlidingWindow(kernelRows: 3, kernelColumns: 3, stride: 2, padding: 1)
    let layers: [any ImageLayer] = [
      MaxPool2d(input: oddImage, window: window), AvgPool2d(input: oddImage, window: window),
      GlobalAvgPool2d(input: oddImage), BatchNorm2d(input: oddImage),
      ChannelDropout(input: oddImage, probability: 0.1, seed: 0), SpatialTopK(input: oddImage, k: 3, over: .channel),
    ]
    for layer in layers {
      #expect(layer.inputShape == oddImage, "\(layer.description)")
      #expect(layer.outputFeatures(inputFeatures: 105) == layer.outputShape.featureCount, "\(layer.description)")
    }
    #expect(layers.filter(\.isActivation).map(\.description) == ["SpatialTopK(3, over: channel)"])
  }
}
