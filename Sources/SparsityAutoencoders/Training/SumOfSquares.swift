// The one squared-norm loop of SAE training: batch variances, residuals, Weiszfeld distances.

/// Σ (a − b)² over `count` values (Σ a² when `b` is nil), sixteen lanes at a time in Float.
func sumOfSquares(_ a: UnsafePointer<Float>, minus b: UnsafePointer<Float>? = nil, count: Int) -> Float {
  var lanes = SIMD16<Float>()
  var c = 0
  while c + 16 <= count {
    var v = UnsafeRawPointer(a + c).loadUnaligned(as: SIMD16<Float>.self)
    if let b { v -= UnsafeRawPointer(b + c).loadUnaligned(as: SIMD16<Float>.self) }
    lanes += v * v
    c += 16
  }
  var total = lanes.sum()
  while c < count {
    let v = a[c] - (b?[c] ?? 0)
    total += v * v
    c += 1
  }
  return total
}
