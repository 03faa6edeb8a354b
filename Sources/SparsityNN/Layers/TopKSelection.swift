/// The row kernel of `TopK`: finds the k-th largest value of a row by radix selection.
///
/// Each Float is mapped to a UInt32 key whose unsigned order is the Float order; the key is
/// then fixed one byte at a time, most significant first: a histogram of the current byte over
/// the remaining candidates tells which bucket holds the k-th largest, and only that bucket's
/// keys stay candidates. Every pass is a straight loop without data-dependent branches, so it
/// runs at a few cycles per element where a quickselect loses most of its time to mispredicted
/// comparisons. The sorting reference in `TopKTests` is its twin.
///
/// Reference: the digit-by-digit selection of radix sort, as in D. E. Knuth, "The Art of
/// Computer Programming", vol. 3, section 5.2.5.
enum TopKSelection {
  /// Buckets of one key byte.
  static let histogramSize = 256

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

  /// The k-th largest of x[0..<count] (1 <= k <= count) and how many entries are strictly
  /// larger. `keys` holds `count` entries and `histogram` `histogramSize`, both scratch.
  /// NaN entries give an unspecified result.
  ///
  /// - Complexity: O(count + 4 * histogramSize).
  static func kthLargest(
    _ x: UnsafePointer<Float>, count: Int, k: Int, keys: UnsafeMutablePointer<UInt32>,
    histogram: UnsafeMutablePointer<UInt32>
  ) -> (value: Float, greater: Int) {
    for j in 0..<count { keys[j] = orderedKey(x[j]) }
    var (candidates, remaining, greater) = (count, k, 0)
    var answer: UInt32 = 0
    for shift in stride(from: UInt32(24), through: 0, by: -8) {
      histogram.update(repeating: 0, count: histogramSize)
      for j in 0..<candidates { histogram[Int((keys[j] >> shift) & 0xFF)] += 1 }
      // The bucket holding the remaining-th largest candidate, scanning from the top.
      var (bucket, above) = (histogramSize - 1, 0)
      while above + Int(histogram[bucket]) < remaining {
        above += Int(histogram[bucket])
        bucket -= 1
      }
      greater += above
      remaining -= above
      answer |= UInt32(bucket) << shift
      guard shift > 0 else { break }
      // Keep that bucket's keys, compacted to the front without a branch.
      var kept = 0
      for j in 0..<candidates {
        let key = keys[j]
        keys[kept] = key
        kept &+= (key >> shift) & 0xFF == UInt32(bucket) ? 1 : 0
      }
      candidates = kept
    }
    return (value(ofKey: answer), greater)
  }
}
