// Sums over one contiguous plane of pixels, eight lanes at a time: the reductions behind global
// average pooling and batch normalization's statistics and gradients.

/// Eight-lane sums over `count` contiguous values, then the lanes and the tail added up.
/// The summation order differs from a sequential loop, so results match a sequential twin to
/// rounding, not bit for bit.
enum PlaneReductions {
  /// sum_i x[i].
  /// - Complexity: O(count).
  @inline(__always)
  static func sum(_ x: UnsafePointer<Float>, count: Int) -> Float {
    var lanes = SIMD8<Float>(repeating: 0)
    var i = 0
    while i + 8 <= count {
      lanes += load(x + i)
      i += 8
    }
    var total = lanes.sum()
    while i < count {
      total += x[i]
      i += 1
    }
    return total
  }

  /// sum_i (x[i] - mean)^2.
  /// - Complexity: O(count).
  @inline(__always)
  static func sumOfSquaredDeviations(_ x: UnsafePointer<Float>, count: Int, mean: Float) -> Float {
    let center = SIMD8<Float>(repeating: mean)
    var lanes = SIMD8<Float>(repeating: 0)
    var i = 0
    while i + 8 <= count {
      let deviation = load(x + i) - center
      lanes += deviation * deviation
      i += 8
    }
    var total = lanes.sum()
    while i < count {
      total += (x[i] - mean) * (x[i] - mean)
      i += 1
    }
    return total
  }

  /// (sum_i g[i], sum_i g[i] (x[i] - mean)): a gradient's sum and its product with the
  /// deviations of x.
  /// - Complexity: O(count).
  @inline(__always)
  static func sumAndDeviationProduct(
    _ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, count: Int, mean: Float
  ) -> (sum: Float, product: Float) {
    let center = SIMD8<Float>(repeating: mean)
    var (sums, products) = (SIMD8<Float>(repeating: 0), SIMD8<Float>(repeating: 0))
    var i = 0
    while i + 8 <= count {
      let gradient = load(g + i)
      sums += gradient
      products += gradient * (load(x + i) - center)
      i += 8
    }
    var (sum, product) = (sums.sum(), products.sum())
    while i < count {
      sum += g[i]
      product += g[i] * (x[i] - mean)
      i += 1
    }
    return (sum, product)
  }

  @inline(__always)
  private static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
  }
}
