// The rows on which each latent fires most: one bounded min-heap per latent, in flat arrays.

/// A row and a latent's activation on it.
public struct LatentActivation: Equatable, Sendable {
  /// The row's index in the data set.
  public var row: Int
  /// The latent's activation on the row.
  public var activation: Float

  /// A row and an activation.
  public init(row: Int, activation: Float) {
    self.row = row
    self.activation = activation
  }

  /// Whether `self` ranks below `other`: a smaller activation, or an equal one on a later row
  /// (earlier rows win ties, so the result does not depend on how the rows were chunked).
  func ranksBelow(_ other: LatentActivation) -> Bool {
    activation < other.activation || (activation == other.activation && row > other.row)
  }
}

/// The `capacity` highest-ranking rows of each of `latents` latents, kept in one min-heap per
/// latent (root: the lowest kept row) stored side by side in flat arrays of latents x capacity.
///
/// Offering a row costs O(1) when it ranks below a full heap's root, O(log capacity) otherwise;
/// memory is latents x capacity x 16 bytes.
struct LatentTopRows {
  let latents: Int
  let capacity: Int
  private var entries: [LatentActivation]
  private var sizes: [Int]

  /// Empty heaps.
  init(latents: Int, capacity: Int) {
    precondition(latents >= 0 && capacity >= 0, "LatentTopRows: \(latents) latents, capacity \(capacity)")
    self.latents = latents
    self.capacity = capacity
    entries = [LatentActivation](repeating: LatentActivation(row: 0, activation: 0), count: latents * capacity)
    sizes = [Int](repeating: 0, count: latents)
  }

  /// Offers `row` with `activation` to `latent`'s heap; rows must be offered in increasing order.
  mutating func offer(latent: Int, row: Int, activation: Float) {
    guard capacity > 0 else { return }
    let base = latent * capacity
    let candidate = LatentActivation(row: row, activation: activation)
    let size = sizes[latent]
    if size < capacity {
      var child = size
      entries[base + child] = candidate
      while child > 0 {
        let parent = (child - 1) / 2
        guard entries[base + child].ranksBelow(entries[base + parent]) else { break }
        entries.swapAt(base + child, base + parent)
        child = parent
      }
      sizes[latent] = size + 1
      return
    }
    guard entries[base].ranksBelow(candidate) else { return }
    entries[base] = candidate
    var parent = 0
    while true {
      let (left, right) = (2 * parent + 1, 2 * parent + 2)
      var lowest = parent
      if left < capacity && entries[base + left].ranksBelow(entries[base + lowest]) { lowest = left }
      if right < capacity && entries[base + right].ranksBelow(entries[base + lowest]) { lowest = right }
      guard lowest != parent else { return }
      entries.swapAt(base + parent, base + lowest)
      parent = lowest
    }
  }

  /// `latent`'s kept rows, highest first.
  func sorted(_ latent: Int) -> [LatentActivation] {
    let base = latent * capacity
    return entries[base..<(base + sizes[latent])].sorted { $1.ranksBelow($0) }
  }
}
