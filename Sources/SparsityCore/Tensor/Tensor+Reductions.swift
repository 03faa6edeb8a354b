// Reductions over all elements and along an axis of a matrix.

extension Tensor {
  /// Sum of all elements (accumulated in Double).
  public func sum() -> Float {
    var total = 0.0
    for v in scalars { total += Double(v) }
    return Float(total)
  }

  /// Mean of all elements; 0 for an empty tensor.
  public func mean() -> Float { count == 0 ? 0 : sum() / Float(count) }

  /// Largest element; nil for an empty tensor.
  public func max() -> Float? { scalars.max() }

  /// Smallest element; nil for an empty tensor.
  public func min() -> Float? { scalars.min() }

  /// Column sums of a matrix (a vector of `columns` entries): sum over axis 0.
  public func sumOfRows() -> Tensor {
    let c = columns
    var out = [Double](repeating: 0, count: c)
    for i in 0..<rows {
      for j in 0..<c { out[j] += Double(scalars[i * c + j]) }
    }
    return Tensor(out.map { Float($0) })
  }

  /// Row sums of a matrix (a vector of `rows` entries): sum over axis 1.
  public func sumOfColumns() -> Tensor {
    let c = columns
    return Tensor(
      (0..<rows).map { i in
        var total = 0.0
        for j in 0..<c { total += Double(scalars[i * c + j]) }
        return Float(total)
      })
  }

  /// Index of the largest element of each row of a matrix (first one on ties).
  public func argmaxOfRows() -> [Int] {
    let c = columns
    precondition(c > 0, "Tensor.argmaxOfRows: matrix has no columns")
    return (0..<rows).map { i in
      var best = 0
      for j in 1..<c where scalars[i * c + j] > scalars[i * c + best] { best = j }
      return best
    }
  }
}
