// Shuffled batches of activation rows with memory bounded by a buffer, not by the data set.

import SparsityCore

/// A stream of batches of rows drawn from a range of an `ActivationDataset`, each row once per
/// epoch, in a shuffled order, using a fixed amount of memory whatever the data set's size.
///
/// Shuffling, in two levels: the range is split into blocks of `blockRows` consecutive rows,
/// the blocks are visited in a seeded random order (`BlockPermutation`, which is computed, not
/// stored); a buffer of `bufferRows` rows is filled from the next blocks (one positioned read
/// per block), its rows are shuffled (Fisher-Yates on their indices), and batches are copied
/// from it in that order; when it is used up it is filled again. A buffer spans about 16
/// blocks, so a batch mixes rows from that many places of the range, while every read stays
/// long enough to run at disk speed. The order depends only on `seed` and `epoch`: the same
/// pair gives the same batches, a new epoch a new order.
///
/// Memory: the buffer (`bufferRows * columns` floats plus an index per row), see
/// `memoryEstimate(columns:batchSize:bufferRows:)`; the batch is the caller's.
public struct ActivationBatches: Sendable {
  /// The data set the rows come from.
  public let dataset: ActivationDataset
  /// The rows drawn from (the training part of the data set).
  public let range: Range<Int>
  /// The rows of a full batch; the last batch of an epoch may be shorter.
  public let batchSize: Int
  /// The rows the shuffle buffer holds.
  public let bufferRows: Int
  /// The rows of each block read whole.
  public let blockRows: Int
  /// The seed of the order.
  public let seed: UInt64
  /// The epoch being streamed.
  public private(set) var epoch: Int
  /// The rows written by `next(into:)` so far in this epoch.
  public private(set) var rowsDelivered = 0

  /// The default shuffle buffer's size: 64 MiB.
  public static let defaultBufferBytes = 64 << 20
  /// The longest default block.
  public static let maximumBlockRows = 4096

  private var storage: Storage
  private var generator: Xoshiro256StarStar
  private var blocks: BlockPermutation
  private var nextBlock = 0
  private var rowsTakenFromBlock = 0
  private var filled = 0
  private var emitted = 0

  /// A stream of `batchSize`-row batches of `range` (by default all rows of `dataset`) in the
  /// order of `seed` and `epoch`.
  /// - Parameters:
  ///   - dataset: the data set the rows come from.
  ///   - range: the rows to draw from (nil: all of them).
  ///   - batchSize: rows per batch.
  ///   - seed: the seed of every epoch's order.
  ///   - epoch: the epoch the stream starts at.
  ///   - bufferRows: the shuffle buffer's rows; by default `defaultBufferRows`, at most 64 MiB
  ///     and at least one batch. Never more than the range.
  ///   - blockRows: by default a sixteenth of the buffer, between 1 and 4096 rows.
  /// - Throws: `ActivationDataError.file(.exceedsMemory)` naming the data set's first file
  ///   when the buffer does not fit in the memory budget.
  /// - Precondition: `range` lies within the data set; `batchSize`, `bufferRows` and
  ///   `blockRows` are positive.
  public init(
    dataset: ActivationDataset, rows range: Range<Int>? = nil, batchSize: Int, seed: UInt64, epoch: Int = 0,
    bufferRows: Int? = nil, blockRows: Int? = nil
  ) throws(ActivationDataError) {
    let range = range ?? 0..<dataset.rows
    precondition(
      range.lowerBound >= 0 && range.upperBound <= dataset.rows,
      "ActivationBatches: rows \(range) outside 0..<\(dataset.rows)")
    precondition(batchSize > 0, "ActivationBatches: batch size \(batchSize) must be positive")
    precondition((bufferRows ?? 1) > 0 && (blockRows ?? 1) > 0, "ActivationBatches: buffer and block rows must be > 0")
    let buffer = min(bufferRows ?? Self.defaultBufferRows(columns: dataset.columns, batchSize: batchSize), range.count)
    let what = "a shuffle buffer of \(ArrayFileError.grouped(buffer)) rows of \(dataset.columns) floats"
    do {
      try ArrayFileError.checkMemory(
        Self.memoryEstimate(columns: dataset.columns, batchSize: 0, bufferRows: buffer), file: dataset.files[0].file,
        for: what)
    } catch { throw .file(error) }
    self.dataset = dataset
    self.range = range
    self.batchSize = batchSize
    self.bufferRows = buffer
    self.blockRows = blockRows ?? min(Self.maximumBlockRows, max(1, buffer / 16))
    self.seed = seed
    self.epoch = epoch
    storage = Storage(rows: buffer, columns: dataset.columns)
    generator = Xoshiro256StarStar(seed: 0)
    blocks = BlockPermutation(count: 0, using: &generator)
    start(epoch: epoch)
  }

  /// The default shuffle buffer: as many rows as 64 MiB of floats hold, at least one batch.
  public static func defaultBufferRows(columns: Int, batchSize: Int) -> Int {
    max(batchSize, defaultBufferBytes / (4 * max(1, columns)))
  }

  /// The bytes a stream holds: its buffer of `bufferRows` (by default `defaultBufferRows`)
  /// rows of `columns` floats with an index per row, plus one batch of `batchSize` rows (the
  /// caller's). Independent of the data set's size.
  public static func memoryEstimate(columns: Int, batchSize: Int, bufferRows: Int? = nil) -> MemoryEstimate {
    let rows = bufferRows ?? defaultBufferRows(columns: columns, batchSize: batchSize)
    return .floats(rows, columns) + .elements([rows], bytes: MemoryLayout<Int>.size) + .floats(batchSize, columns)
  }

  /// The batches of an epoch: the range's rows divided by the batch size, rounded up.
  public var batchesPerEpoch: Int { (range.count + batchSize - 1) / batchSize }

  /// Restarts the stream at the beginning of `epoch`, whose order depends on `seed` and `epoch`.
  public mutating func start(epoch: Int) {
    self.epoch = epoch
    generator = Xoshiro256StarStar(seed: Self.epochSeed(seed: seed, epoch: epoch))
    blocks = BlockPermutation(count: (range.count + blockRows - 1) / blockRows, using: &generator)
    (nextBlock, rowsTakenFromBlock, filled, emitted, rowsDelivered) = (0, 0, 0, 0, 0)
  }

  /// Writes the next batch into `destination` and returns its rows: `batchSize`, fewer for the
  /// last batch of the epoch, 0 once the epoch is over.
  /// - Parameter destination: room for `batchSize * dataset.columns` floats.
  /// - Throws: `ActivationDataError` from `ActivationDataset.read(rows:into:)` (a file that
  ///   cannot be read, a non-finite value naming its row).
  /// - Complexity: O(batchSize * columns), plus a buffer refill of O(bufferRows * columns)
  ///   every `bufferRows / batchSize` batches.
  public mutating func next(into destination: UnsafeMutablePointer<Float>) throws(ActivationDataError) -> Int {
    if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    let columns = dataset.columns
    var written = 0
    while written < batchSize {
      if emitted == filled {
        try refill()
        if filled == 0 { break }
      }
      let count = min(batchSize - written, filled - emitted)
      // Rows are spread over the cores: a batch is megabytes of copies that one core alone makes
      // the other wait for.
      let (rows, order, target) = (storage.rows, storage.order + emitted, destination + written * columns)
      Parallel.forEachChunk(of: count, minimumChunk: 128) { range in
        for k in range { (target + k * columns).update(from: rows + order[k] * columns, count: columns) }
      }
      written += count
      emitted += count
    }
    rowsDelivered += written
    return written
  }

  /// Fills the buffer from the next blocks (the last one possibly in part, the rest of it
  /// going to the next fill) and shuffles the order its rows are emitted in.
  private mutating func refill() throws(ActivationDataError) {
    (filled, emitted) = (0, 0)
    while filled < bufferRows && nextBlock < blocks.count {
      let blockStart = range.lowerBound + blocks[nextBlock] * blockRows
      let blockEnd = min(blockStart + blockRows, range.upperBound)
      let first = blockStart + rowsTakenFromBlock
      let count = min(blockEnd - first, bufferRows - filled)
      try dataset.read(rows: first..<(first + count), into: storage.rows + filled * dataset.columns)
      filled += count
      rowsTakenFromBlock += count
      if first + count == blockEnd { (nextBlock, rowsTakenFromBlock) = (nextBlock + 1, 0) }
    }
    let order = storage.order
    for i in 0..<filled { order[i] = i }
    for i in stride(from: filled - 1, to: 0, by: -1) {
      let j = Int(generator.next(upperBound: UInt64(i + 1)))
      (order[i], order[j]) = (order[j], order[i])
    }
  }

  /// A seed for one epoch from the stream's seed: both hashed together, so that neighbouring
  /// seeds or epochs give unrelated generators.
  static func epochSeed(seed: UInt64, epoch: Int) -> UInt64 {
    var generator = Xoshiro256StarStar(seed: seed)
    return generator.next() ^ (UInt64(bitPattern: Int64(epoch)) &* 0xD6E8_FEB8_6659_FD93)
  }

  /// The buffer's rows and their emission order, shared between copies until one of them
  /// reads (copy on write).
  private final class Storage: @unchecked Sendable {
    let rowCount: Int
    let columns: Int
    let rows: UnsafeMutablePointer<Float>
    let order: UnsafeMutablePointer<Int>

    init(rows rowCount: Int, columns: Int) {
      (self.rowCount, self.columns) = (rowCount, columns)
      rows = .allocate(capacity: rowCount * columns)
      rows.initialize(repeating: 0, count: rowCount * columns)
      order = .allocate(capacity: rowCount)
      order.initialize(repeating: 0, count: rowCount)
    }

    deinit {
      rows.deallocate()
      order.deallocate()
    }

    /// A copy of the rows and order.
    func copy() -> Storage {
      let other = Storage(rows: rowCount, columns: columns)
      other.rows.update(from: rows, count: rowCount * columns)
      other.order.update(from: order, count: rowCount)
      return other
    }
  }
}
