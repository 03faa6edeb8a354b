// Activation rows in their stored order, a chunk at a time: for evaluation.

import SparsityCore

/// The rows of a range of an `ActivationDataset` in order, `chunkRows` at a time, into the
/// caller's buffer: the sequential reader for evaluation, where every held-out row is visited
/// once and order does not matter, so nothing is buffered or shuffled.
public struct ActivationChunks: Sendable {
  /// The data set the rows come from.
  public let dataset: ActivationDataset
  /// The rows read, in order.
  public let range: Range<Int>
  /// The rows of a full chunk; the last chunk may be shorter.
  public let chunkRows: Int
  /// The first row the next chunk starts at.
  public private(set) var position: Int

  /// A reader of `range` (by default every row of `dataset`) in chunks of `chunkRows` rows.
  /// - Precondition: `range` lies within the data set; `chunkRows > 0`.
  public init(dataset: ActivationDataset, rows range: Range<Int>? = nil, chunkRows: Int) {
    let range = range ?? 0..<dataset.rows
    precondition(
      range.lowerBound >= 0 && range.upperBound <= dataset.rows,
      "ActivationChunks: rows \(range) outside 0..<\(dataset.rows)")
    precondition(chunkRows > 0, "ActivationChunks: chunk rows \(chunkRows) must be positive")
    self.dataset = dataset
    self.range = range
    self.chunkRows = chunkRows
    position = range.lowerBound
  }

  /// Writes the next chunk into `destination` and returns its rows: `chunkRows`, fewer for
  /// the last chunk, 0 at the end of the range.
  /// - Parameter destination: room for `chunkRows * dataset.columns` floats.
  /// - Throws: `ActivationDataError` from `ActivationDataset.read(rows:into:)`.
  public mutating func next(into destination: UnsafeMutablePointer<Float>) throws(ActivationDataError) -> Int {
    let count = min(chunkRows, range.upperBound - position)
    guard count > 0 else { return 0 }
    try dataset.read(rows: position..<(position + count), into: destination)
    position += count
    return count
  }

  /// Starts again at the first row of the range.
  public mutating func rewind() { position = range.lowerBound }
}
