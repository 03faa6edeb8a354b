// Tiling many small images (dictionary atoms, patches) into one picture.
import SparsityCore

/// A mosaic of equally sized tiles separated by a border, the usual way to look at a learned
/// dictionary of image atoms.
///
/// Layout: `columns` tiles per row, tile k at grid row `k / columns`, grid column `k % columns`;
/// a `border`-pixel line of `borderValue` around and between tiles, so the image is
/// `columns * (tileWidth + border) + border` pixels wide and likewise high. Each tile is scaled
/// to its own range, `(x - min) / (max - min)`, since atoms differ in scale and sign; a constant
/// tile becomes 0.5. Grid cells without a tile are filled with `borderValue`.
public enum ImageGrid {
  /// The mosaic of the rows of `tiles` (tiles x (tileWidth * tileHeight), each row-major).
  /// - Parameters:
  ///   - tiles: one tile a row, tiles x (tileWidth * tileHeight).
  ///   - tileWidth: a tile's width in pixels.
  ///   - tileHeight: a tile's height in pixels.
  ///   - columns: tiles per grid row; nil for `ceil(sqrt(tiles))`, a near-square grid.
  ///   - border: pixels between and around tiles.
  ///   - borderValue: the border's intensity (1 white, 0 black).
  /// - Complexity: O(image pixels).
  public static func image(
    tiles: Tensor, tileWidth: Int, tileHeight: Int, columns: Int? = nil, border: Int = 1, borderValue: Float = 1
  ) -> GrayImage {
    precondition(
      tiles.rank == 2 && tiles.columns == tileWidth * tileHeight,
      "ImageGrid.image: \(tileWidth)x\(tileHeight) tiles need a tiles x \(tileWidth * tileHeight) matrix, got \(tiles.shape)"
    )
    precondition(tileWidth >= 1 && tileHeight >= 1 && border >= 0, "ImageGrid.image: bad tile size or border")
    let count = tiles.rows
    let gridColumns = max(1, columns ?? Int(Double(count).squareRoot().rounded(.up)))
    let gridRows = (count + gridColumns - 1) / gridColumns
    let width = gridColumns * (tileWidth + border) + border
    let height = gridRows * (tileHeight + border) + border
    var image = GrayImage(width: width, height: height, repeating: borderValue)
    for k in 0..<count {
      let tile = Array(tiles.scalars[(k * tileWidth * tileHeight)..<((k + 1) * tileWidth * tileHeight)])
      let scaled = rescaled(tile)
      let top = border + (k / gridColumns) * (tileHeight + border)
      let left = border + (k % gridColumns) * (tileWidth + border)
      for row in 0..<tileHeight {
        for column in 0..<tileWidth { image[top + row, left + column] = scaled[row * tileWidth + column] }
      }
    }
    return image
  }

  /// The mosaic of square `size` x `size` tiles (for example a dictionary of patch atoms).
  public static func image(tiles: Tensor, size: Int, columns: Int? = nil, border: Int = 1, borderValue: Float = 1)
    -> GrayImage
  {
    image(tiles: tiles, tileWidth: size, tileHeight: size, columns: columns, border: border, borderValue: borderValue)
  }

  /// `values` mapped linearly onto 0...1 by their own min and max; all 0.5 when constant
  /// (or not finite).
  static func rescaled(_ values: [Float]) -> [Float] {
    guard let low = values.min(), let high = values.max(), high > low, (high - low).isFinite else {
      return values.map { _ in 0.5 }
    }
    let scale = 1 / (high - low)
    return values.map { ($0 - low) * scale }
  }
}
