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
    let total = local.reduce(0) { $0 + $1.count }
    return try Scratch.withBuffer(of: UInt32.self, count: total) { keys in
      var histogram = Self.keysAndTopBytes(local, into: keys)
      var (prefix, remaining, candidates) = (UInt32(0), 0, total)
      for shift in stride(from: 24, through: 0, by: -8) {
        if shift < 24 {
          // Keep the keys that match the bytes fixed so far, compacted, and count their next byte.
          histogram = [Int64](repeating: 0, count: TopKSelection.histogramSize)
          let mask: UInt32 = ~0 &<< UInt32(shift + 8)
          var kept = 0
          for j in 0..<candidates where keys[j] & mask == prefix {
            histogram[Int((keys[j] &>> UInt32(shift)) & 0xFF)] += 1
            keys[kept] = keys[j]
            kept += 1
          }
          candidates = kept
        }
        try sum(&histogram)
        if shift == 24 {
          let count = Int(histogram.reduce(0, +))
          remaining = rank(count)
          guard count > 0, (1...count).contains(remaining) else { return nil }
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

  /// Writes every value's ordered key to `keys` (the arrays back to back) and returns the
  /// histogram of their top bytes; blocks of values spread over the cores.
  private static func keysAndTopBytes(_ local: [ArraySlice<Float>], into keys: UnsafeMutablePointer<UInt32>)
    -> [Int64]
  {
    let (size, block) = (TopKSelection.histogramSize, 1 << 16)
    var histogram = [Int64](repeating: 0, count: size)
    var base = 0
    for values in local where !values.isEmpty {
      let blocks = (values.count + block - 1) / block
      var counts = [Int64](repeating: 0, count: blocks * size)
      values.withUnsafeBufferPointer { v in
        counts.withUnsafeMutableBufferPointer { counts in
          let (v, counts, out) = (v.baseAddress!, counts.baseAddress!, keys + base)
          Parallel.forEachChunk(of: blocks, minimumChunk: 1) { range in
            for b in range {
              let own = counts + b * size
              for j in (b * block)..<Swift.min(values.count, (b + 1) * block) {
                let key = TopKSelection.orderedKey(v[j])
                out[j] = key
                own[Int(key &>> 24)] += 1
              }
            }
          }
        }
      }
      for b in 0..<blocks { for e in 0..<size { histogram[e] += counts[b * size + e] } }
      base += values.count
    }
    return histogram
  }
}
