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
    return Tensor(
      shape: shape,
      scalars: (0..<count).map { _ in
        generator.normal(mean: mean, standardDeviation: standardDeviation)
      })
  }

  /// A copy in which each element is set to zero with probability `zeroFraction`, independently.
  ///
  /// Used to build test and benchmark data of a chosen sparsity.
  public func sparsified(zeroFraction: Double, using generator: inout Xoshiro256StarStar) -> Tensor {
    precondition((0...1).contains(zeroFraction), "Tensor.sparsified: zeroFraction \(zeroFraction) not in [0, 1]")
    return Tensor(
      shape: shape,
      scalars: scalars.map { value in
        // A uniform double in [0, 1) from the top 53 bits.
        Double(generator.next() >> 11) * 0x1p-53 < zeroFraction ? 0 : value
      })
  }
}
