// Pictures of a convolutional network: its first filters, and feature maps next to their inputs.

import SparsityCore
import SparsityIO
import SparsityNN

extension AnalysisImages {
  /// The filters of the network's first top-level `Conv2d` as a grid of kernel-sized tiles,
  /// each scaled to its own range (dark: most negative, light: most positive); a filter that
  /// reads several input channels is shown as its mean over them (for RGB input, roughly the
  /// filter's response to brightness). Nil when the network has no convolution.
  /// - Parameters:
  ///   - network: the network whose first convolution is shown.
  ///   - columns: tiles per grid row; nil for a near-square grid.
  /// - Complexity: O(weights).
  public static func convolutionFilters(of network: Sequential, columns: Int? = nil) -> GrayImage? {
    guard let conv = network.layers.lazy.compactMap({ $0 as? Conv2d }).first else { return nil }
    let shape = conv.weight.value.shape  // (out, in / groups, kernel rows, kernel columns)
    let (filters, inputs, taps) = (shape[0], shape[1], shape[2] * shape[3])
    let weights = conv.weight.value.scalars
    var tiles = [Float](repeating: 0, count: filters * taps)
    for o in 0..<filters {
      for c in 0..<inputs {
        for t in 0..<taps { tiles[o * taps + t] += weights[(o * inputs + c) * taps + t] / Float(inputs) }
      }
    }
    return ImageGrid.image(
      tiles: Tensor(shape: [filters, taps], scalars: tiles), tileWidth: shape[3], tileHeight: shape[2],
      columns: columns)
  }

  /// For each (channel, input) of `pairs`, the input next to that channel's feature map: the
  /// output of layer `layerIndex` on the input, enlarged to the input's size by repeating pixels
  /// (nearest neighbour). Tiles alternate input, map, input, map, ... in reading order,
  /// `pairsPerRow` pairs to a grid row; each tile is scaled to its own range, and an input of
  /// several channels is shown as their mean.
  /// - Parameters:
  ///   - network: the network to run (in evaluation mode) on the inputs.
  ///   - layerIndex: the layer whose output is shown.
  ///   - inputShape: the network's input image; `features` has its feature count per row.
  ///   - outputShape: the layer's output image.
  ///   - features: the inputs, samples x input features.
  ///   - pairs: the channel and the row of `features` of each pair shown.
  ///   - pairsPerRow: input-and-map pairs per grid row.
  /// - Complexity: one forward pass of the distinct inputs, O(pairs * input pixels).
  public static func featureMaps(
    of network: Sequential, layerIndex: Int, inputShape: ImageShape, outputShape: ImageShape, features: Tensor,
    pairs: [(channel: Int, input: Int)], pairsPerRow: Int = 4
  ) -> GrayImage {
    precondition(
      features.rank == 2 && features.columns == inputShape.featureCount && network.inputFeatures == features.columns,
      "AnalysisImages.featureMaps: features \(features.shape) are not \(inputShape) inputs of the network")
    precondition(
      network.features[layerIndex + 1] == outputShape.featureCount,
      "AnalysisImages.featureMaps: layer \(layerIndex) does not output \(outputShape) images")
    let inputs = Array(Set(pairs.map(\.input))).sorted()
    network.forward(features.gatherRows(inputs), training: false)
    let outputs = network.activations[layerIndex + 1]
    let pixels = inputShape.pixelCount
    var tiles = [Float]()
    tiles.reserveCapacity(pairs.count * 2 * pixels)
    for (channel, input) in pairs {
      precondition((0..<outputShape.channels).contains(channel), "AnalysisImages.featureMaps: channel \(channel)")
      let row = inputs.firstIndex(of: input)!
      tiles += channelMean(features.scalars, offset: input * inputShape.featureCount, shape: inputShape)
      let plane = (row * outputShape.channels + channel) * outputShape.pixelCount
      tiles += enlarged(outputs.scalars[plane..<(plane + outputShape.pixelCount)], from: outputShape, to: inputShape)
    }
    return ImageGrid.image(
      tiles: Tensor(shape: [2 * pairs.count, pixels], scalars: tiles), tileWidth: inputShape.columns,
      tileHeight: inputShape.rows, columns: 2 * Swift.max(1, Swift.min(pairsPerRow, pairs.count)))
  }

  /// The mean over the channels of one sample (rows x columns values).
  static func channelMean(_ values: [Float], offset: Int, shape: ImageShape) -> [Float] {
    var plane = [Float](repeating: 0, count: shape.pixelCount)
    for c in 0..<shape.channels {
      for p in 0..<shape.pixelCount { plane[p] += values[offset + c * shape.pixelCount + p] / Float(shape.channels) }
    }
    return plane
  }

  /// A plane of `from.rows x from.columns` values resized to `to.rows x to.columns` by nearest
  /// neighbour: pixel (r, c) takes source pixel (r * from.rows / to.rows, c * from.columns / to.columns).
  static func enlarged(_ plane: ArraySlice<Float>, from: ImageShape, to: ImageShape) -> [Float] {
    let base = plane.startIndex
    return (0..<(to.rows * to.columns)).map { p in
      let (r, c) = (p / to.columns, p % to.columns)
      return plane[base + (r * from.rows / to.rows) * from.columns + c * from.columns / to.columns]
    }
  }
}
