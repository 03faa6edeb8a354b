// Cutting square patches out of a gray image, and normalizing them, for dictionary learning.
import SparsityCore

/// Square image patches as training vectors: one patch per row of a `patches x (size * size)`
/// tensor, each patch's pixels row-major.
///
/// This is the data of the natural-image dictionary learning experiments: patches are cut on a
/// grid or at random, then each is centered and contrast-normalized, optionally whitened.
///
/// References: J. Mairal, F. Bach, J. Ponce, G. Sapiro, "Online Dictionary Learning for Sparse
/// Coding", ICML 2009; scikit-learn `feature_extraction.image.extract_patches_2d` and the
/// "Image denoising using dictionary learning" example.
public enum Patches {
  /// The top-left corner of a patch in its image.
  public struct Position: Equatable, Hashable, Sendable {
    /// The 0-based row of the patch's top edge.
    public let row: Int
    /// The 0-based column of the patch's left edge.
    public let column: Int

    /// A corner at (`row`, `column`).
    public init(row: Int, column: Int) {
      self.row = row
      self.column = column
    }
  }

  /// Where patches are cut.
  public enum Placement: Equatable, Sendable {
    /// Every `stride`-th position in both directions, row-major, starting at (0, 0); a patch
    /// never crosses the image border, so the last row/column of pixels may be left out.
    case grid(stride: Int)
    /// `count` corners drawn uniformly (with replacement) from all valid ones with
    /// `Xoshiro256StarStar(seed:)`: the same seed gives the same patches.
    case random(count: Int, seed: UInt64)
  }

  /// A normalization applied to the patch matrix; `preprocessed(_:_:)` applies a list in order.
  public enum Preprocessing: Equatable, Sendable {
    /// Subtract each patch's mean (its DC component), so every row sums to zero.
    case removeMean
    /// Divide each patch by its standard deviation plus `epsilon`, `x / (std(x) + epsilon)`; the
    /// standard deviation is taken around the patch mean, which is not removed: put `.removeMean` first.
    case normalizeContrast(epsilon: Float)
    /// ZCA whitening of the whole matrix (`ZCAWhitening`) with regularizer `epsilon`.
    case whiten(epsilon: Float)
  }

  /// The corners of the patches of `size` x `size` pixels that `placement` cuts from an image
  /// of `width` x `height` pixels.
  ///
  /// A grid over an image smaller than the patch has no positions; random placement there is a
  /// programmer error (check `size <= min(width, height)` first).
  /// - Complexity: O(number of positions).
  public static func positions(width: Int, height: Int, size: Int, placement: Placement) -> [Position] {
    precondition(size >= 1, "Patches.positions: patch size \(size) is below 1")
    switch placement {
    case .grid(let stride):
      precondition(stride >= 1, "Patches.positions: grid stride \(stride) is below 1")
      guard size <= width, size <= height else { return [] }
      return Swift.stride(from: 0, through: height - size, by: stride).flatMap { row in
        Swift.stride(from: 0, through: width - size, by: stride).map { Position(row: row, column: $0) }
      }
    case .random(let count, let seed):
      precondition(count >= 0, "Patches.positions: negative patch count \(count)")
      precondition(
        count == 0 || (size <= width && size <= height),
        "Patches.positions: a \(size)x\(size) patch does not fit in a \(width)x\(height) image")
      var generator = Xoshiro256StarStar(seed: seed)
      return (0..<count).map { _ in
        let row = Int(generator.next(upperBound: UInt64(height - size + 1)))
        return Position(row: row, column: Int(generator.next(upperBound: UInt64(width - size + 1))))
      }
    }
  }

  /// The patches of `size` x `size` pixels that `placement` cuts from `image`, one per row.
  /// - Returns: a `positions x (size * size)` tensor.
  /// - Complexity: O(positions * size^2).
  public static func extract(from image: GrayImage, size: Int, placement: Placement) -> Tensor {
    extract(
      from: image, size: size, at: positions(width: image.width, height: image.height, size: size, placement: placement)
    )
  }

  /// The patches of `size` x `size` pixels with the given top-left corners, one per row.
  public static func extract(from image: GrayImage, size: Int, at positions: [Position]) -> Tensor {
    var scalars = [Float]()
    scalars.reserveCapacity(positions.count * size * size)
    for position in positions {
      precondition(
        image.contains(row: position.row, column: position.column)
          && image.contains(row: position.row + size - 1, column: position.column + size - 1),
        "Patches.extract: a \(size)x\(size) patch at \(position) leaves the \(image.width)x\(image.height) image")
      for row in position.row..<(position.row + size) {
        let start = row * image.width + position.column
        scalars += image.pixels[start..<(start + size)]
      }
    }
    return Tensor(shape: [positions.count, size * size], scalars: scalars)
  }

  /// `patches` after each step of `steps` in order.
  public static func preprocessed(_ patches: Tensor, _ steps: [Preprocessing]) -> Tensor {
    steps.reduce(patches) { current, step in
      switch step {
      case .removeMean: return removingMean(current)
      case .normalizeContrast(let epsilon): return contrastNormalized(current, epsilon: epsilon)
      case .whiten(let epsilon): return ZCAWhitening(fitting: current, epsilon: epsilon).apply(current)
      }
    }
  }

  /// Each row minus its mean.
  /// - Complexity: O(count).
  public static func removingMean(_ patches: Tensor) -> Tensor {
    mapRows(patches) { row in
      let mean = row.reduce(0, +) / Float(row.count)
      return row.map { $0 - mean }
    }
  }

  /// Each row divided by its standard deviation (population, around the row mean) plus `epsilon`.
  /// - Complexity: O(count).
  public static func contrastNormalized(_ patches: Tensor, epsilon: Float) -> Tensor {
    precondition(epsilon >= 0, "Patches.contrastNormalized: negative epsilon \(epsilon)")
    return mapRows(patches) { row in
      let n = Double(row.count)
      let mean = row.reduce(0.0) { $0 + Double($1) } / n
      let variance = row.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
      let scale = Float(1 / (variance.squareRoot() + Double(epsilon)))
      return row.map { $0 * scale }
    }
  }

  /// `patches` with every row replaced by `transform(row)` (of the same length).
  private static func mapRows(_ patches: Tensor, _ transform: (ArraySlice<Float>) -> [Float]) -> Tensor {
    precondition(patches.rank == 2, "Patches: expected a patches x pixels matrix, got shape \(patches.shape)")
    let width = patches.columns
    guard width > 0 else { return patches }
    var out = [Float]()
    out.reserveCapacity(patches.count)
    for row in 0..<patches.rows { out += transform(patches.scalars[(row * width)..<((row + 1) * width)]) }
    return Tensor(shape: patches.shape, scalars: out)
  }
}
