// How far a result is from a reference: the one measure kernels, benchmarks and tests compare by.

/// max |a - b| / max |b| over all entries (the max-norm relative error of `a` against the
/// reference `b`), in Double; the absolute difference max |a - b| when `b` is all zero.
/// - Precondition: equal lengths.
/// - Complexity: O(n).
public func maxNormRelativeError(_ a: [Float], _ b: [Float]) -> Double {
  precondition(a.count == b.count, "maxNormRelativeError: \(a.count) against \(b.count) values")
  var difference = 0.0
  var scale = 0.0
  for i in 0..<a.count {
    difference = Swift.max(difference, Double(Swift.abs(a[i] - b[i])))
    scale = Swift.max(scale, Double(Swift.abs(b[i])))
  }
  return scale == 0 ? difference : difference / scale
}

/// `maxNormRelativeError` of two tensors of the same shape.
/// - Precondition: equal shapes.
public func maxNormRelativeError(_ a: Tensor, _ b: Tensor) -> Double {
  precondition(a.shape == b.shape, "maxNormRelativeError: shapes \(a.shape) and \(b.shape)")
  return maxNormRelativeError(a.scalars, b.scalars)
}
