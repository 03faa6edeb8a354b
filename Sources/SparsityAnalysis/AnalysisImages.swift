// Pictures for image data: first-layer weights as a grid, top-activating inputs as strips.

import SparsityCore
import SparsityIO
import SparsityNN

extension ImageShape {
  /// The square image shape side x side when `featureCount` is a perfect square (64 gives
  /// 8x8, 784 gives 28x28), else nil.
  public static func square(featureCount: Int) -> ImageShape? {
    guard featureCount > 0 else { return nil }
    var side = Int(Double(featureCount).squareRoot().rounded())
    while side * side > featureCount { side -= 1 }
    while (side + 1) * (side + 1) <= featureCount { side += 1 }
    return side * side == featureCount ? ImageShape(rows: side, columns: side) : nil
  }
}

/// Images of what a network sees and responds to, for inputs that are images.
public enum AnalysisImages {
  /// The weight rows of the network's first layer with a weight matrix, each shown as an image
  /// of `shape` (what each first-layer unit looks for), tiled by `ImageGrid` with each tile
  /// scaled to its own range; nil when there is no such layer or its inputs are not
  /// `shape.pixelCount` pixels.
  /// - Parameters:
  ///   - network: the network whose first weight matrix is shown.
  ///   - shape: the pixel grid of the network's inputs.
  ///   - units: the rows to show, in order; nil for all.
  ///   - columns: tiles per grid row; nil for a near-square grid.
  /// - Complexity: O(units * pixels).
  public static func firstLayerWeights(
    of network: Sequential, shape: ImageShape, units: [Int]? = nil, columns: Int? = nil
  ) -> GrayImage? {
    guard let weight = network.layers.lazy.compactMap({ $0.parameters.first { $0.name == "weight" }?.value }).first,
      weight.rank == 2, weight.columns == shape.pixelCount, weight.columns == network.inputFeatures
    else { return nil }
    let rows = units ?? Array(0..<weight.rows)
    precondition(
      rows.allSatisfy { (0..<weight.rows).contains($0) },
      "AnalysisImages.firstLayerWeights: unit out of 0..<\(weight.rows)")
    return ImageGrid.image(
      tiles: weight.gatherRows(rows), tileWidth: shape.columns, tileHeight: shape.rows, columns: columns)
  }

  /// The rows `inputs` of `features` side by side as images of `shape` (one grid row unless
  /// `columns` says otherwise), each scaled to its own range.
  /// - Complexity: O(inputs * pixels).
  public static func inputs(_ inputs: [Int], of features: Tensor, shape: ImageShape, columns: Int? = nil) -> GrayImage {
    precondition(
      features.rank == 2 && features.columns == shape.pixelCount,
      "AnalysisImages.inputs: features \(features.shape) are not \(shape) images")
    return ImageGrid.image(
      tiles: features.gatherRows(inputs), tileWidth: shape.columns, tileHeight: shape.rows,
      columns: columns ?? Swift.max(1, inputs.count))
  }
}
