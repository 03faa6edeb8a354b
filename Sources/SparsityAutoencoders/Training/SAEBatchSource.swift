// Where training rows come from: any source of shuffled batches, and one over rows in memory.
import SparsityCore

/// A source of rows for sparse-autoencoder training: every row once per epoch, in batches.
public protocol SAEBatchSource {
  /// Rows per epoch.
  var rowCount: Int { get }
  /// Values per row.
  var columns: Int { get }
  /// Starts epoch `epoch` (0-based): the order of its rows is a function of the epoch and the
  /// source's seed.
  mutating func startEpoch(_ epoch: Int) throws
  /// Writes up to `capacity` rows of the epoch to `buffer` (capacity x columns) and returns how
  /// many; 0 once the epoch is done.
  mutating func next(into buffer: UnsafeMutablePointer<Float>, capacity: Int) throws -> Int
}

/// The rows of a matrix in memory, shuffled each epoch by a seeded generator.
public struct InMemoryBatchSource: SAEBatchSource {
  /// The rows (count, columns).
  public let rows: Tensor
  /// The seed of the shuffles.
  public let seed: UInt64
  private var order: [Int] = []
  private var position = 0

  /// Rows of `rows`, shuffled by `seed`.
  public init(_ rows: Tensor, seed: UInt64) {
    precondition(rows.rank == 2, "InMemoryBatchSource: rows must be a matrix, shape \(rows.shape)")
    self.rows = rows
    self.seed = seed
  }

  public var rowCount: Int { rows.rows }
  public var columns: Int { rows.columns }

  public mutating func startEpoch(_ epoch: Int) {
    var generator = Xoshiro256StarStar(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(epoch + 1))
    order = generator.permutation(rows.rows)
    position = 0
  }

  public mutating func next(into buffer: UnsafeMutablePointer<Float>, capacity: Int) -> Int {
    let count = Swift.min(capacity, order.count - position)
    let width = columns
    rows.scalars.withUnsafeBufferPointer { x in
      for r in 0..<count {
        (buffer + r * width).update(from: x.baseAddress! + order[position + r] * width, count: width)
      }
    }
    position += count
    return count
  }
}
