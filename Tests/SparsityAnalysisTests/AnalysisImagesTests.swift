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
