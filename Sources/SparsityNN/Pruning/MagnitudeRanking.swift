import SparsityCore

/// Orders weights for pruning: smaller magnitude first, ties broken by position, and weights an
/// earlier mask already pruned before all others.
///
/// Every weight gets one distinct 64-bit key,
///
///     key = position                                   (already pruned)
///     key = (bits(|w|) + 1) << 32 | position           (otherwise)
///
/// where bits(|w|) is the IEEE-754 bit pattern of the magnitude, which for finite non-negative
/// floats orders exactly as the values do. Because the keys are distinct, "the k smallest keys"
/// is one well-defined set: pruning is deterministic whatever the ties, and a mask that is
/// recomputed at a higher sparsity keeps everything it pruned before (masks only grow).
enum MagnitudeRanking {
  /// Positions are packed into the low 32 bits of a key.
  static let maximumCount = 1 << 32

  /// Writes the key of every element of `values` into `keys` (appended), numbering positions
  /// from `offset`. `previous`, when given, marks elements pruned earlier.
  /// - Complexity: O(values.count).
  static func appendKeys(of values: Tensor, previous: PruningMask?, offset: Int, to keys: inout [UInt64]) {
    precondition(offset + values.count <= maximumCount, "MagnitudeRanking: more than 2^32 weights")
    precondition(
      previous == nil || previous!.shape == values.shape,
      "MagnitudeRanking: mask \(previous!.shape), values \(values.shape)")
    keys.reserveCapacity(keys.count + values.count)
    for (i, w) in values.scalars.enumerated() {
      precondition(w.isFinite, "MagnitudeRanking: weight \(i) is \(w)")
      let position = UInt64(offset + i)
      if let previous, !previous.keep[i] {
        keys.append(position)
      } else {
        keys.append((UInt64(w.magnitude.bitPattern) + 1) << 32 | position)
      }
    }
  }

  /// The k-th smallest of `keys` (k ≥ 1): the keys ≤ it are exactly the k smallest.
  ///
  /// Quickselect (Hoare 1961) with a median-of-three pivot on a copy of `keys`.
  /// - Complexity: O(n) expected, O(n) extra memory.
  static func kthSmallest(_ keys: [UInt64], k: Int) -> UInt64 {
    precondition(k >= 1 && k <= keys.count, "MagnitudeRanking.kthSmallest: k \(k) of \(keys.count)")
    var keys = keys
    let target = k - 1
    var (low, high) = (0, keys.count - 1)
    while low < high {
      let pivot = medianOfThree(keys[low], keys[(low + high) / 2], keys[high])
      var (i, j) = (low, high)
      while i <= j {
        while keys[i] < pivot { i += 1 }
        while keys[j] > pivot { j -= 1 }
        if i <= j {
          keys.swapAt(i, j)
          i += 1
          j -= 1
        }
      }
      if target <= j { high = j } else if target >= i { low = i } else { return keys[target] }
    }
    return keys[target]
  }

  /// The reference twin of `kthSmallest`: sorts.
  /// - Complexity: O(n log n).
  static func kthSmallestBySorting(_ keys: [UInt64], k: Int) -> UInt64 {
    precondition(k >= 1 && k <= keys.count, "MagnitudeRanking.kthSmallestBySorting: k \(k) of \(keys.count)")
    return keys.sorted()[k - 1]
  }

  private static func medianOfThree(_ a: UInt64, _ b: UInt64, _ c: UInt64) -> UInt64 {
    Swift.max(Swift.min(a, b), Swift.min(Swift.max(a, b), c))
  }
}
