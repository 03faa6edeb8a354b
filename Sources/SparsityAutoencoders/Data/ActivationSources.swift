// Activation data sets on disk as sources of training batches and as sets of rows to evaluate.
import SparsityIO

extension ActivationBatches: SAEBatchSource {
  /// Rows per epoch: the stream's range.
  public var rowCount: Int { range.count }
  /// Values per row.
  public var columns: Int { dataset.columns }

  /// Restarts the stream at `epoch`.
  public mutating func startEpoch(_ epoch: Int) { start(epoch: epoch) }

  /// The next shuffled batch.
  /// - Precondition: `capacity` is at least the stream's batch size.
  public mutating func next(into buffer: UnsafeMutablePointer<Float>, capacity: Int) throws -> Int {
    precondition(capacity >= batchSize, "ActivationBatches: room for \(capacity) rows, batches of \(batchSize)")
    return try next(into: buffer)
  }
}

/// A range of rows of an activation data set, read from disk on demand.
public struct ActivationRows: SAERowSet, Sendable {
  /// The data set.
  public let dataset: ActivationDataset
  /// The rows of it in this set.
  public let range: Range<Int>

  /// Rows `range` of `dataset` (all of them by default).
  public init(_ dataset: ActivationDataset, rows range: Range<Int>? = nil) {
    self.dataset = dataset
    self.range = range ?? 0..<dataset.rows
    precondition(self.range.upperBound <= dataset.rows, "ActivationRows: \(self.range) past \(dataset.rows) rows")
  }

  public var rowCount: Int { range.count }
  public var columns: Int { dataset.columns }

  /// Reads rows of the set (0 is the range's first).
  public func read(rows: Range<Int>, into buffer: UnsafeMutablePointer<Float>) throws {
    try dataset.read(rows: (range.lowerBound + rows.lowerBound)..<(range.lowerBound + rows.upperBound), into: buffer)
  }
}
