// Element-wise arithmetic and activations on tensors of equal shape.

extension Tensor {
  /// A tensor of the same shape with `transform` applied to every element.
  @inlinable
  public func map(_ transform: (Float) -> Float) -> Tensor {
    Tensor(shape: shape, scalars: scalars.map(transform))
  }

  /// Combines two tensors of the same shape element by element.
  @inlinable
  public func zipWith(_ other: Tensor, _ combine: (Float, Float) -> Float) -> Tensor {
    precondition(shape == other.shape, "Tensor: shapes \(shape) and \(other.shape) differ")
    var out = scalars
    other.scalars.withUnsafeBufferPointer { b in
      out.withUnsafeMutableBufferPointer { a in
        for i in 0..<a.count { a[i] = combine(a[i], b[i]) }
      }
    }
    return Tensor(shape: shape, scalars: out)
  }

  /// output[i] = transform(input[i]) for arrays of equal length, in place (no allocation): the
  /// forward loop of an element-wise layer (`Array.map` would allocate a new array each call).
  /// Specialized into the caller, so `transform` is inlined and the loop vectorizes. It stays on
  /// one core: split over the cores, the closure was no longer inlined and the loop called it
  /// per element, several times slower on LeNet's ReLUs (`rectify` is the parallel ReLU).
  /// - Complexity: O(n).
  @inlinable
  public static func map(_ input: [Float], into output: inout [Float], _ transform: (Float) -> Float) {
    precondition(input.count == output.count, "Tensor.map: \(input.count) inputs, \(output.count) outputs")
    input.withUnsafeBufferPointer { x in
      output.withUnsafeMutableBufferPointer { y in
        for i in 0..<y.count { y[i] = transform(x[i]) }
      }
    }
  }

  /// output[i] = combine(a[i], b[i]) for arrays of equal length, in place: the backward loop of
  /// an element-wise layer (a = its output or input, b = the output gradient).
  /// - Complexity: O(n).
  @inlinable
  public static func zip(_ a: [Float], _ b: [Float], into output: inout [Float], _ combine: (Float, Float) -> Float) {
    precondition(
      a.count == output.count && b.count == output.count,
      "Tensor.zip: \(a.count) and \(b.count) values for \(output.count) outputs")
    a.withUnsafeBufferPointer { x in
      b.withUnsafeBufferPointer { z in
        output.withUnsafeMutableBufferPointer { y in
          for i in 0..<y.count { y[i] = combine(x[i], z[i]) }
        }
      }
    }
  }

  public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.zipWith(rhs, +) }
  public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.zipWith(rhs, -) }
  /// Element-wise (Hadamard) product.
  public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.zipWith(rhs, *) }
  public static func / (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.zipWith(rhs, /) }
  public static func * (lhs: Tensor, rhs: Float) -> Tensor { lhs.map { $0 * rhs } }
  public static func * (lhs: Float, rhs: Tensor) -> Tensor { rhs.map { lhs * $0 } }
  public static func + (lhs: Tensor, rhs: Float) -> Tensor { lhs.map { $0 + rhs } }
  public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs.map { $0 - rhs } }
  public static prefix func - (value: Tensor) -> Tensor { value.map { -$0 } }

  public static func += (lhs: inout Tensor, rhs: Tensor) { lhs = lhs + rhs }
  public static func -= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs - rhs }
  public static func *= (lhs: inout Tensor, rhs: Float) { lhs = lhs * rhs }

  /// Adds a row vector (length `columns`) to every row of a matrix: the bias add of a layer.
  public func addingRowVector(_ vector: Tensor) -> Tensor {
    let c = columns
    precondition(
      vector.count == c, "Tensor.addingRowVector: vector has \(vector.count) entries, matrix has \(c) columns")
    var out = scalars
    for i in 0..<rows {
      for j in 0..<c { out[i * c + j] += vector.scalars[j] }
    }
    return Tensor(shape: shape, scalars: out)
  }

  /// ReLU, max(0, x), element-wise.
  public func relu() -> Tensor { map { $0 > 0 ? $0 : 0 } }

  /// The absolute value of every element.
  public func absolute() -> Tensor { map { Swift.abs($0) } }

  /// True when every element is finite (no NaN, no infinity).
  public var isFinite: Bool { scalars.allSatisfy { $0.isFinite } }

  /// True when every element of `self` is within `tolerance * max(1, |other|)` of `other`.
  public func isApproximatelyEqual(to other: Tensor, relativeTolerance tolerance: Float = 1e-5) -> Bool {
    guard shape == other.shape else { return false }
    for i in 0..<count {
      let a = scalars[i]
      let b = other.scalars[i]
      if Swift.abs(a - b) > tolerance * Swift.max(1, Swift.abs(b)) { return false }
    }
    return true
  }
}
