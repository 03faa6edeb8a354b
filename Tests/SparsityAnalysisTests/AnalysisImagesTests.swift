import SparsityCore
import SparsityIO
import SparsityNN
import Testing

@testable import SparsityAnalysis

@Suite struct AnalysisImagesTests {
  @Test func squareShapes() {
    #expect(ImageShape.square(featureCount: 64) == ImageShape(rows: 8, columns: 8))
    #expect(ImageShape.square(featureCount: 784) == ImageShape(rows: 28, columns: 28))
    #expect(ImageShape.square(featureCount: 1) == ImageShape(rows: 1, columns: 1))
    #expect(ImageShape.square(featureCount: 63) == nil)
    #expect(ImageShape.square(featureCount: 0) == nil)
  }

  @Test func firstLayerWeightsTileEveryUnit() throws {
    // 4 units over 2x2 images; unit k lights pixel k only.
    let weight = (0..<4).map { k in (0..<4).map { Float($0 == k ? 1 : 0) } }
    let network = Sequential(inputFeatures: 4, [HandBuiltNetworks.linear(weight, bias: [0, 0, 0, 0]), ReLU()])
    let image = try #require(AnalysisImages.firstLayerWeights(of: network, shape: ImageShape(rows: 2, columns: 2)))
    // 2x2 grid of 2x2 tiles with a 1-pixel border: 7x7.
    #expect(image.width == 7 && image.height == 7)
    #expect(image[1, 1] == 1 && image[1, 2] == 0)  // tile 0: pixel 0 lit
    #expect(image[1, 5] == 1 && image[1, 4] == 0)  // tile 1: pixel 1 lit
    #expect(AnalysisImages.firstLayerWeights(of: network, shape: ImageShape(rows: 1, columns: 3)) == nil)
  }

  @Test func inputStripShowsTheChosenRows() {
    let features = Tensor(rows: [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1]])
    let strip = AnalysisImages.inputs([2, 0], of: features, shape: ImageShape(rows: 2, columns: 2))
    #expect(strip.width == 7 && strip.height == 4)
    #expect(strip[2, 2] == 1)  // first tile: input 2, pixel (1, 1)
    #expect(strip[1, 5] == 1)  // second tile: input 0, pixel (0, 1)
  }
}

@Suite struct ConvolutionImagesTests {
  /// Two 2x2 filters over two input channels: filter 0 reads +w and -w (mean 0, a flat gray
  /// tile), filter 1 reads the same pattern twice (its mean is the pattern).
  @Test func filtersAreTiledAsTheirMeanOverInputChannels() throws {
    let network = try ModelArchitecture(parsing: "2x4x4,conv:2:2x2,relu").makeSequential(seed: 0)
    let conv = try #require(network.layers[0] as? Conv2d)
    let pattern: [Float] = [1, 0, 0, 0]
    conv.weight.value = Tensor(shape: [2, 2, 2, 2], scalars: pattern + pattern.map { -$0 } + pattern + pattern)
    let image = try #require(AnalysisImages.convolutionFilters(of: network))
    #expect(image.width == 2 * 3 + 1 && image.height == 3 + 1)  // two 2x2 tiles side by side, 1-pixel borders
    #expect(image[1, 1] == 0.5 && image[1, 2] == 0.5)  // filter 0: constant, mid gray
    #expect(image[1, 4] == 1 && image[1, 5] == 0)  // filter 1: the pattern
    let mlp = try ModelArchitecture(parsing: "16-4-relu").makeSequential(seed: 0)
    #expect(AnalysisImages.convolutionFilters(of: mlp) == nil)
  }

  /// A max pool halves a 4x4 image; its maps are enlarged back to 4x4 next to their inputs.
  @Test func featureMapsSitNextToTheirInputsEnlarged() throws {
    let network = try ModelArchitecture(parsing: "1x4x4,maxpool:2,relu").makeSequential(seed: 0)
    var input = [Float](repeating: 0, count: 16)
    input[0] = 1  // top-left pixel: the top-left 2x2 of the map after enlarging
    let features = Tensor(shape: [2, 16], scalars: [Float](repeating: 0.5, count: 16) + input)
    let image = AnalysisImages.featureMaps(
      of: network, layerIndex: 1, inputShape: ImageShape(rows: 4, columns: 4),
      outputShape: ImageShape(rows: 2, columns: 2), features: features, pairs: [(channel: 0, input: 1)])
    #expect(image.width == 2 * 5 + 1 && image.height == 6)
    #expect(image[1, 1] == 1 && image[1, 2] == 0)  // the input
    #expect(image[1, 6] == 1 && image[2, 7] == 1 && image[1, 8] == 0 && image[3, 6] == 0)  // the map, 2x2 blocks
    #expect(
      AnalysisImages.enlarged(
        [1, 2, 3, 4][...], from: ImageShape(rows: 2, columns: 2), to: ImageShape(rows: 4, columns: 4))
        == [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
  }
}
