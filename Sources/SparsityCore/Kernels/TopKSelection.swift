/// The row kernel of `selectTopK`: finds the k-th largest value of a row by radix selection.
///
/// Each Float is mapped to a UInt32 key whose unsigned order is the Float order; the key is
/// then fixed one byte at a time, most significant first: a histogram of the current byte over
/// the remaining candidates tells which bucket holds the k-th largest, and only that bucket's
/// keys stay candidates (compacted while the next byte's histogram is taken, in one pass).
/// Once a handful of candidates is left, an insertion sort finishes. The passes are straight
/// loops without data-dependent branches, where a quickselect loses most of its time to
/// mispredicted comparisons. The sorting reference `selectTopKReference` is its twin.
///
/// Reference: the digit-by-digit selection of radix sort (D. E. Knuth, "The Art of Computer
/// Programming", vol. 3, section 5.2.5).
enum TopKSelection {
  /// Buckets of one key byte.
  static let histogramSize = 256
  /// Candidate sets this small are finished by insertion sort.
  static let smallCandidates = 16

  /// A key whose unsigned order is the order of `x`; -0 and +0 share the key of +0.
  @inline(__always)
  static func orderedKey(_ x: Float) -> UInt32 {
    let bits = (x + 0).bitPattern  // -0 + 0 == +0
    return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
  }

  /// The Float whose key is `key` (the inverse of `orderedKey` on +0 and all other values).
  @inline(__always)
  static func value(ofKey key: UInt32) -> Float {
    Float(bitPattern: key & 0x8000_0000 != 0 ? key & 0x7FFF_FFFF : ~key)
  }

  /// The k-th largest value t of x[0..<count] (1 <= k <= count), how many entries are
  /// strictly larger than t and how many equal it. `keys` holds `count` entries and
  /// `histogram` `histogramSize`, both scratch. NaN entries give an unspecified result.
  ///
  /// - Complexity: O(count) per byte level, at most four levels, usually two.
  static func kthLargest(
    _ x: UnsafePointer<Float>, count: Int, k: Int, keys: UnsafeMutablePointer<UInt32>,
    histogram: UnsafeMutablePointer<UInt32>
  ) -> (value: Float, greater: Int, equal: Int) {
    histogram.update(repeating: 0, count: histogramSize)
    for j in 0..<count {
      let key = orderedKey(x[j])
      keys[j] = key
      histogram[Int(key &>> 24)] &+= 1
    }
    var (candidates, remaining, greater, shift) = (count, k, 0, UInt32(24))
    var answer: UInt32 = 0
    while candidates > smallCandidates {
      let (bucket, above) = bucketHolding(rank: remaining, histogram: histogram)
      greater += above
      remaining -= above
      answer |= UInt32(bucket) &<< shift
      guard shift > 0 else { return (value(ofKey: answer), greater, Int(histogram[bucket])) }
      candidates = compact(keys, count: candidates, bucket: UInt32(bucket), shift: shift, histogram: histogram)
      shift -= 8
    }
    let small = selectSmall(keys, count: candidates, rank: remaining)
    return (value(ofKey: small.key), greater + small.greater, small.equal)
  }

  /// The bucket holding the rank-th largest key (1-based) and how many keys lie in the buckets
  /// above it.
  @inline(__always)
  private static func bucketHolding(rank: Int, histogram: UnsafeMutablePointer<UInt32>) -> (bucket: Int, above: Int) {
    var (bucket, above) = (histogramSize - 1, 0)
    while above &+ Int(histogram[bucket]) < rank {
      above &+= Int(histogram[bucket])
      bucket &-= 1
    }
    return (bucket, above)
  }

  /// Keeps the keys whose byte at `shift` is `bucket`, compacted to the front, and leaves the
  /// histogram of their next byte in `histogram`. Returns how many were kept.
  @inline(__always)
  private static func compact(
    _ keys: UnsafeMutablePointer<UInt32>, count: Int, bucket: UInt32, shift: UInt32,
    histogram: UnsafeMutablePointer<UInt32>
  ) -> Int {
    histogram.update(repeating: 0, count: histogramSize)
    let nextShift = shift &- 8
    var kept = 0
    for j in 0..<count {
      let key = keys[j]
      let match: UInt32 = (key &>> shift) & 0xFF == bucket ? 1 : 0
      keys[kept] = key
      histogram[Int((key &>> nextShift) & 0xFF)] &+= match
      kept &+= Int(match)
    }
    return kept
  }

  /// The rank-th largest of a few keys (1 <= rank <= count), by insertion sort, with how many
  /// keys are strictly larger and how many equal it. Reorders `keys`.
  private static func selectSmall(
    _ keys: UnsafeMutablePointer<UInt32>, count: Int, rank: Int
  ) -> (key: UInt32, greater: Int, equal: Int) {
    for i in 1..<Swift.max(count, 1) {
      let key = keys[i]
      var j = i
      while j > 0 && keys[j - 1] < key {
        keys[j] = keys[j - 1]
        j -= 1
      }
      keys[j] = key
    }
    let answer = keys[rank - 1]
    var (greater, equal) = (0, 0)
    for i in 0..<count {
      greater += keys[i] > answer ? 1 : 0
      equal += keys[i] == answer ? 1 : 0
    }
    return (answer, greater, equal)
  }
}
