// A seeded random permutation of 0..<count that is computed, not stored: O(1) memory.

import SparsityCore

/// A pseudo-random permutation of `0..<count` evaluated one index at a time, so that a shuffle
/// of millions of blocks costs no memory: a balanced Feistel network over the smallest
/// power-of-four domain holding `count`, with round keys drawn from a `Xoshiro256StarStar`,
/// applied repeatedly until the value falls below `count` ("cycle walking"; fewer than 4
/// applications on average). A Feistel network is a bijection whatever its round function, and
/// cycle walking keeps it one on `0..<count`.
///
/// Reference: J. Black and P. Rogaway, "Ciphers with Arbitrary Finite Domains", CT-RSA 2002.
struct BlockPermutation: Sendable {
  /// The size of the permuted range.
  let count: Int
  /// The bits of each half of the Feistel domain.
  private let halfBits: UInt64
  private let keys: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

  /// A permutation of `0..<count` with keys drawn from `generator`.
  /// - Precondition: `count >= 0`.
  init(count: Int, using generator: inout Xoshiro256StarStar) {
    precondition(count >= 0, "BlockPermutation: negative count \(count)")
    self.count = count
    let bits = max(2, UInt64.bitWidth - UInt64(max(count - 1, 1)).leadingZeroBitCount)
    halfBits = UInt64((bits + 1) / 2)
    keys = (generator.next(), generator.next(), generator.next(), generator.next(), generator.next(), generator.next())
  }

  /// The value the permutation sends `index` to.
  /// - Precondition: `0 <= index < count`.
  /// - Complexity: O(1) expected.
  subscript(index: Int) -> Int {
    precondition(index >= 0 && index < count, "BlockPermutation: index \(index) outside 0..<\(count)")
    var value = UInt64(index)
    repeat { value = encrypt(value) } while value >= UInt64(count)
    return Int(value)
  }

  /// One pass of the six-round Feistel network over `0..<4^halfBits`.
  private func encrypt(_ value: UInt64) -> UInt64 {
    let mask: UInt64 = (1 << halfBits) - 1
    var (left, right) = (value >> halfBits, value & mask)
    for key in [keys.0, keys.1, keys.2, keys.3, keys.4, keys.5] {
      (left, right) = (right, left ^ (Self.mix(right ^ key) & mask))
    }
    return (left << halfBits) | right
  }

  /// The SplitMix64 finalizer: every input bit affects every output bit.
  private static func mix(_ input: UInt64) -> UInt64 {
    var z = input &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
