import SparsityCore

/// The running argmax of |c[t, k]| over a T x K correlation matrix (shifts by atoms, row-major)
/// that changes in short windows of shifts: the maximum of each block of `blockSize` shifts (a
/// contiguous blockSize x K piece), and a
/// tournament tree over the blocks, so that after a change in shifts lo..<hi only the blocks
/// there are rescanned (O(K (hi - lo + 2 blockSize))) and the tree path of each is replayed
/// (O(log(T / blockSize))), and the argmax scans one block (O(K blockSize)).
///
/// The tree holds the bit patterns of the maxima |c|, which as unsigned integers order
/// non-negative floats as their values do (and compare exactly in `argmax`).
struct CorrelationMaxima {
  static let blockSize = 32
  /// T, the shifts.
  let rows: Int
  /// K, the atoms.
  let columns: Int
  let blocks: Int
  /// The leaf count, a power of two >= blocks.
  let leaves: Int
  /// tree[leaves + b] is the largest magnitude bits of block b; tree[i] = max(tree[2i], tree[2i+1]).
  var tree: [UInt32]

  /// The maxima of c (rows x columns, row-major).
  init(_ c: UnsafePointer<Float>, rows: Int, columns: Int) {
    (self.rows, self.columns) = (rows, columns)
    blocks = (rows + Self.blockSize - 1) / Self.blockSize
    var leaves = 1
    while leaves < blocks { leaves *= 2 }
    self.leaves = leaves
    tree = [UInt32](repeating: 0, count: 2 * leaves)
    for b in 0..<blocks { tree[leaves + b] = blockMaximum(c, block: b) }
    for i in stride(from: leaves - 1, through: 1, by: -1) { tree[i] = Swift.max(tree[2 * i], tree[2 * i + 1]) }
  }

  /// The largest |c| over all entries.
  var maximum: Float { Float(bitPattern: tree.count > 1 ? tree[1] : 0) }

  /// The (row, column) of the largest |c|, the first in row-major order (earliest shift, then
  /// lowest atom). O(log blocks + columns blockSize).
  func argmax(_ c: UnsafePointer<Float>) -> (row: Int, column: Int) {
    var node = 1
    while node < leaves { node = tree[2 * node] >= tree[2 * node + 1] ? 2 * node : 2 * node + 1 }
    let start = (node - leaves) * Self.blockSize * columns
    let end = Swift.min(rows, (node - leaves + 1) * Self.blockSize) * columns
    let target = tree[1]
    for index in start..<end where c[index].bitPattern & 0x7FFF_FFFF == target {
      return (index / columns, index % columns)
    }
    return (start / columns, 0)
  }

  /// c[r, j] -= a w[(r - lo) K + j] for rows r in lo..<hi (w holds (hi - lo) x K values), and the
  /// maxima of the blocks those rows touch, in one pass over each block (one thread: splitting a
  /// spike's 2L - 1 rows over the cores cost more in hand-offs than it saved, measured).
  /// O(K (hi - lo + 2 blockSize) + log(blocks) per block).
  mutating func subtract(
    _ a: Float, _ w: UnsafePointer<Float>, rows range: Range<Int>, from c: UnsafeMutablePointer<Float>
  ) {
    guard !range.isEmpty else { return }
    let (first, last) = (range.lowerBound / Self.blockSize, (range.upperBound - 1) / Self.blockSize)
    for block in first...last { replay(block: block, maximum: subtractInBlock(block, a, w, rows: range, from: c)) }
  }

  /// The update of `subtract` within block b, returning the block's new maximum bits.
  @inline(__always)
  private func subtractInBlock(
    _ b: Int, _ a: Float, _ w: UnsafePointer<Float>, rows range: Range<Int>, from c: UnsafeMutablePointer<Float>
  ) -> UInt32 {
    let (start, end) = (b * Self.blockSize, Swift.min(rows, (b + 1) * Self.blockSize))
    let (from, to) = (Swift.max(start, range.lowerBound), Swift.min(end, range.upperBound))
    let n = columns
    var best = subtractScaledReturningMaximumMagnitude(
      c + from * n, a, w + (from - range.lowerBound) * n, count: (to - from) * n)
    best = Swift.max(best, maximumMagnitude(c + start * n, count: (from - start) * n))
    best = Swift.max(best, maximumMagnitude(c + to * n, count: (end - to) * n))
    return best.bitPattern
  }

  /// Sets block b's maximum and replays its path to the root.
  private mutating func replay(block b: Int, maximum: UInt32) {
    var node = leaves + b
    tree[node] = maximum
    while node > 1 {
      node /= 2
      let best = Swift.max(tree[2 * node], tree[2 * node + 1])
      if tree[node] == best { break }
      tree[node] = best
    }
  }

  /// The largest magnitude bits in block b (rows b blockSize ..< (b + 1) blockSize).
  private func blockMaximum(_ c: UnsafePointer<Float>, block b: Int) -> UInt32 {
    let start = b * Self.blockSize * columns
    let end = Swift.min(rows, (b + 1) * Self.blockSize) * columns
    return maximumMagnitude(c + start, count: end - start).bitPattern
  }
}
