// Random tensors drawn from a seeded generator.

extension Tensor {
  /// A tensor with elements uniform in `range`.
  public static func uniform(
    shape: [Int], in range: ClosedRange<Float> = 0...1, using generator: inout Xoshiro256StarStar
  ) -> Tensor {
    let count = shape.reduce(1, *)
    return Tensor(shape: shape, scalars: (0..<count).map { _ in generator.uniform(in: range) })
  }

  /// A tensor with normally distributed elements.
  public static func normal(
    shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
    using generator: inout Xoshiro256StarStar
  ) -> Tensor {
    let count = shape.reduce(1, *)
    return Tensor(shape: shape, scalars: (0..<count).map { _ in
      generator.normal(mean: mean, standardDeviation: standardDeviation)
    })
  }

  /// A copy in which each element is set to zero with probability `zeroFraction`, independently.
  ///
  /// Used to build test and benchmark data of a chosen sparsity.
  public func sparsified(zeroFraction: Double, using generator: inout Xoshiro256StarStar) -> Tensor {
    precondition((0...1).contains(zeroFraction), "Tensor.sparsified: zeroFraction \(zeroFraction) not in [0, 1]")
    let threshold = UInt64(zeroFraction * 18_446_744_073_709_551_615.0)
    return Tensor(shape: shape, scalars: scalars.map { value in
      zeroFraction >= 1 || generator.next() < threshold ? 0 : value
    })
  }
}
