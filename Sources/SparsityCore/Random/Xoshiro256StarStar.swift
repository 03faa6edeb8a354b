/// The xoshiro256** pseudo-random generator, seeded through SplitMix64.
///
/// Every random choice in Sparsity (initialization, shuffling, dropout masks, benchmark data)
/// draws from one of these, so the same seed gives the same result on every run and machine.
///
/// Reference: D. Blackman and S. Vigna, "Scrambled Linear Pseudorandom Number Generators",
/// ACM TOMS 47(4), 2021. https://prng.di.unimi.it/
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
  @usableFromInline var state: (UInt64, UInt64, UInt64, UInt64)

  /// A generator whose 256-bit state is expanded from `seed` with SplitMix64.
  public init(seed: UInt64) {
    var splitMix = seed
    func nextSplitMix() -> UInt64 {
      splitMix &+= 0x9E37_79B9_7F4A_7C15
      var z = splitMix
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    state = (nextSplitMix(), nextSplitMix(), nextSplitMix(), nextSplitMix())
  }

  /// The next 64 random bits.
  @inlinable
  public mutating func next() -> UInt64 {
    let result = rotateLeft(state.1 &* 5, by: 7) &* 9
    let t = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= t
    state.3 = rotateLeft(state.3, by: 45)
    return result
  }

  @inlinable
  func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// A uniform `Float` in [0, 1) built from the top 24 bits.
  @inlinable
  public mutating func nextUnitFloat() -> Float {
    Float(next() >> 40) * (1.0 / 16_777_216.0)
  }

  /// A uniform `Float` in `range`.
  @inlinable
  public mutating func uniform(in range: ClosedRange<Float>) -> Float {
    range.lowerBound + (range.upperBound - range.lowerBound) * nextUnitFloat()
  }

  /// A standard normal sample (Box-Muller transform, in Double for accuracy).
  public mutating func normal(mean: Float = 0, standardDeviation: Float = 1) -> Float {
    // u1 in (0, 1] so the logarithm is finite.
    let u1 = Double((next() >> 11) + 1) * (1.0 / 9_007_199_254_740_992.0)
    let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    let radius = (-2.0 * _log(u1)).squareRoot()
    return mean + standardDeviation * Float(radius * _cos(2.0 * Double.pi * u2))
  }

  /// A uniformly random permutation of 0..<count (Fisher-Yates).
  public mutating func permutation(_ count: Int) -> [Int] {
    var indices = Array(0..<count)
    if count < 2 { return indices }
    for i in stride(from: count - 1, to: 0, by: -1) {
      let j = Int(next(upperBound: UInt64(i + 1)))
      indices.swapAt(i, j)
    }
    return indices
  }
}

#if canImport(Glibc)
  import Glibc
  @usableFromInline func _log(_ x: Double) -> Double { Glibc.log(x) }
  @usableFromInline func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#elseif canImport(Musl)
  import Musl
  @usableFromInline func _log(_ x: Double) -> Double { Musl.log(x) }
  @usableFromInline func _cos(_ x: Double) -> Double { Musl.cos(x) }
#else
  import Darwin
  @usableFromInline func _log(_ x: Double) -> Double { Darwin.log(x) }
  @usableFromInline func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
