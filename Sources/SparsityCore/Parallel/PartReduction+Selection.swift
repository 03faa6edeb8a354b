// The k-th largest value of a batch whose parts several processes hold (BatchTopK's threshold
// when a batch is spread over MPI ranks), found without moving the values.

extension PartReduction {
  /// The `rank(count)`-th largest of all the values every process holds (`local`: this
  /// process's arrays), where `count` is how many values there are in all; nil when that rank is
  /// not in 1...count. Every process gets the same value, exactly the one a sort of all the
  /// values together would give.
  ///
  /// Radix selection, one byte of the values' ordered keys at a time (most significant first,
  /// as `TopKSelection`): each process counts its candidates per bucket of the current byte, the
  /// 256 counts are summed over the processes (`sum`: exact integers, so the order does not
  /// matter), and the bucket holding the rank keeps its candidates. Four exchanges of 256
  /// counts, whatever the number of values; each process passes over its values once, then over
  /// its shrinking candidates. NaN values give an unspecified result.
  public func largest(rank: (_ count: Int) -> Int, among local: [ArraySlice<Float>]) throws -> Float? {
    var keys = [UInt32]()
    keys.reserveCapacity(local.reduce(0) { $0 + $1.count })
    for values in local { for x in values { keys.append(TopKSelection.orderedKey(x)) } }
    var (prefix, remaining, candidates) = (UInt32(0), 0, keys.count)
    for shift in stride(from: 24, through: 0, by: -8) {
      var histogram = [Int64](repeating: 0, count: TopKSelection.histogramSize)
      let mask: UInt32 = shift == 24 ? 0 : ~0 &<< UInt32(shift + 8)
      // Keep the keys that match the prefix fixed so far, compacted, and count their byte.
      var kept = 0
      keys.withUnsafeMutableBufferPointer { keys in
        for j in 0..<candidates where keys[j] & mask == prefix {
          histogram[Int((keys[j] &>> UInt32(shift)) & 0xFF)] += 1
          keys[kept] = keys[j]
          kept += 1
        }
      }
      candidates = kept
      try sum(&histogram)
      if shift == 24 {
        let count = Int(histogram.reduce(0, +))
        remaining = rank(count)
        guard (1...Swift.max(count, 1)).contains(remaining), count > 0 else { return nil }
      }
      var (bucket, above) = (TopKSelection.histogramSize - 1, 0)
      while above + Int(histogram[bucket]) < remaining {
        above += Int(histogram[bucket])
        bucket -= 1
      }
      remaining -= above
      prefix |= UInt32(bucket) &<< UInt32(shift)
    }
    return TopKSelection.value(ofKey: prefix)
  }
}
