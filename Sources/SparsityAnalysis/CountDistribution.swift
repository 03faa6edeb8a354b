// The distribution of a count per input, e.g. how many units are active on each input (L0).

/// How often each count 0...maximumCount occurred: `frequencies[k]` inputs had count k.
///
/// Used for the L0 "norm" of a layer's activations per input (active units per sample).
/// Statistics over the n recorded inputs:
///
///     mean   = (1/n) sum_k k * frequencies[k]
///     median = the middle count in sorted order; for even n the mean of the two middle ones
///
/// With no inputs recorded, mean, median, minimum and maximum are 0.
public struct CountDistribution: Sendable, Equatable {
  /// `frequencies[k]` inputs had count k, for k in 0...maximumCount.
  public private(set) var frequencies: [Int]

  /// An empty distribution of counts in 0...maximumCount.
  public init(maximumCount: Int) {
    precondition(maximumCount >= 0, "CountDistribution: maximumCount must be >= 0, got \(maximumCount)")
    frequencies = [Int](repeating: 0, count: maximumCount + 1)
  }

  /// Records one input with count `count`.
  public mutating func record(_ count: Int) {
    precondition(
      frequencies.indices.contains(count), "CountDistribution: count \(count) out of 0...\(frequencies.count - 1)")
    frequencies[count] += 1
  }

  /// Number of inputs recorded.
  public var total: Int { frequencies.reduce(0, +) }

  /// The mean count, accumulated exactly in integers.
  public var mean: Double {
    let n = total
    guard n > 0 else { return 0 }
    let sum = frequencies.enumerated().reduce(0) { $0 + $1.offset * $1.element }
    return Double(sum) / Double(n)
  }

  /// The median count (the mean of the two middle counts for an even number of inputs).
  public var median: Double {
    let n = total
    guard n > 0 else { return 0 }
    if n % 2 == 1 { return Double(count(atRank: n / 2)) }
    return Double(count(atRank: n / 2 - 1) + count(atRank: n / 2)) / 2
  }

  /// The smallest count recorded.
  public var minimum: Int { frequencies.firstIndex { $0 > 0 } ?? 0 }
  /// The largest count recorded.
  public var maximum: Int { frequencies.lastIndex { $0 > 0 } ?? 0 }

  /// The count at 0-based position `rank` in the sorted list of recorded counts.
  /// - Complexity: O(maximumCount).
  public func count(atRank rank: Int) -> Int {
    precondition(rank >= 0 && rank < total, "CountDistribution: rank \(rank) out of 0..<\(total)")
    var seen = 0
    for (k, frequency) in frequencies.enumerated() {
      seen += frequency
      if seen > rank { return k }
    }
    preconditionFailure("CountDistribution: unreachable")
  }
}
