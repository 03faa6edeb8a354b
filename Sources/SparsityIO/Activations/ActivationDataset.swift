// Several activation files read as one matrix of rows, any row range at a time, with pread.

import Foundation
import SparsityCore

/// Activation rows stored in one or more files (shards), read as one rows x columns matrix
/// whose rows are those of the files in order.
///
/// Only headers are read when the data set is made; `read(rows:into:)` then reads any range of
/// rows, across shard boundaries, with positioned reads (`pread`) into the caller's buffer,
/// converting the elements to `Float` as it goes. Nothing is mapped and no file is read whole,
/// so a data set larger than memory costs only the rows read. Every value read is checked to
/// be finite. Each read opens the files it needs and closes them again (a few microseconds),
/// so a data set of thousands of shards holds no descriptors and can be shared by threads.
public struct ActivationDataset: Equatable, Sendable {
  /// The shards in order.
  public let files: [ActivationFile]
  /// The number of rows of all files together.
  public let rows: Int
  /// The number of columns, the same in every file.
  public let columns: Int
  /// The first row of each file in the data set.
  private let firstRows: [Int]

  /// Bytes read per `pread`: a chunk stays in cache between its read, its conversion and its
  /// check for non-finite values.
  static let chunkBytes = 128 << 10

  /// A data set of `files`, in that order.
  /// - Throws: `ActivationDataError.noFiles` for an empty list, `.columnMismatch` naming the
  ///   first file whose column count differs from the first file's.
  public init(files: [ActivationFile]) throws(ActivationDataError) {
    guard let first = files.first else { throw .noFiles }
    var firstRows = [Int]()
    var total = 0
    for file in files {
      guard file.columns == first.columns else {
        throw .columnMismatch(file: file.file, columns: file.columns, firstFile: first.file, expected: first.columns)
      }
      firstRows.append(total)
      total += file.rows
    }
    self.files = files
    self.rows = total
    self.columns = first.columns
    self.firstRows = firstRows
  }

  /// A data set of the `.npy` and `.safetensors` files at `urls`, in that order, reading only
  /// their headers (see `ActivationFile`).
  /// - Parameters:
  ///   - urls: the files, one data set in this order.
  ///   - tensor: the tensor to read from every `.safetensors` file; nil to take each file's
  ///     only tensor of rank 2 or more.
  /// - Throws: `ActivationDataError` naming the first file at fault.
  /// - Complexity: O(total header size).
  public init(contentsOf urls: [URL], tensor: String? = nil) throws(ActivationDataError) {
    var files = [ActivationFile]()
    for url in urls { files.append(try ActivationFile(contentsOf: url, tensor: tensor)) }
    try self.init(files: files)
  }

  /// The file holding data set row `row` and the row's index within it.
  /// - Precondition: `0 <= row < rows`.
  /// - Complexity: O(log files).
  public func location(ofRow row: Int) -> (file: Int, row: Int) {
    precondition(row >= 0 && row < rows, "ActivationDataset: row \(row) outside 0..<\(rows)")
    // The last file starting at or before `row`: empty files start where the next one does.
    var (low, high) = (0, firstRows.count - 1)
    while low < high {
      let middle = (low + high + 1) / 2
      if firstRows[middle] <= row { low = middle } else { high = middle - 1 }
    }
    return (low, row - firstRows[low])
  }

  /// Reads rows `range` as `Float`, row after row, into `destination`.
  /// - Parameters:
  ///   - range: data set rows, possibly spanning several files.
  ///   - destination: room for `range.count * columns` floats.
  /// - Throws: `ActivationDataError.file` when a file cannot be opened or read (it shrank,
  ///   or vanished), `.nonFinite` naming the file, the data set row and the file row of the
  ///   first NaN or infinity.
  /// - Precondition: `range` lies within `0..<rows`.
  /// - Complexity: O(range.count * columns), one `pread` per 128 KiB of the file.
  public func read(rows range: Range<Int>, into destination: UnsafeMutablePointer<Float>) throws(ActivationDataError) {
    precondition(
      range.lowerBound >= 0 && range.upperBound <= rows,
      "ActivationDataset.read: rows \(range) outside 0..<\(rows)")
    var row = range.lowerBound
    while row < range.upperBound {
      let (index, first) = location(ofRow: row)
      let count = min(range.upperBound - row, files[index].rows - first)
      try Self.read(
        files[index], rows: first..<(first + count), dataSetRow: row,
        into: destination + (row - range.lowerBound) * columns)
      row += count
    }
  }

  /// Rows `range` as a `range.count` x `columns` tensor, after checking that it fits in the
  /// memory budget.
  /// - Throws: `ActivationDataError` as `read(rows:into:)` does, and `.file(.exceedsMemory)`.
  public func tensor(rows range: Range<Int>) throws(ActivationDataError) -> Tensor {
    precondition(
      range.lowerBound >= 0 && range.upperBound <= rows,
      "ActivationDataset.tensor: rows \(range) outside 0..<\(rows)")
    let what = "\(ArrayFileError.grouped(range.count)) rows of \(columns) floats"
    do { try ArrayFileError.checkMemory(.floats(range.count, columns), file: files[0].file, for: what) } catch {
      throw .file(error)
    }
    let scalars = try [Float](unsafeUninitializedCapacity: range.count * columns) {
      (buffer, initialized) throws(ActivationDataError) in
      if let base = buffer.baseAddress { try read(rows: range, into: base) }
      initialized = range.count * columns
    }
    return Tensor(shape: [range.count, columns], scalars: scalars)
  }

  /// Reads rows `local` of one file into `destination` and checks them, naming the first
  /// non-finite value by its data set row (`dataSetRow` is that of `local.lowerBound`).
  private static func read(
    _ shard: ActivationFile, rows local: Range<Int>, dataSetRow: Int, into destination: UnsafeMutablePointer<Float>
  ) throws(ActivationDataError) {
    let handle: PositionalFile
    do { handle = try PositionalFile(reopening: shard.url, size: shard.fileSize) } catch { throw .file(error) }
    let type = shard.elementType
    let count = local.count * shard.columns
    let offset = shard.dataOffset + local.lowerBound * shard.rowBytes
    let firstBad: Int?
    do {
      firstBad = try withUnsafeTemporaryAllocation(byteCount: chunkBytes, alignment: 64) {
        (staging) throws(ArrayFileError) -> Int? in
        let chunk = chunkBytes / type.size
        for start in stride(from: 0, to: count, by: chunk) {
          let n = min(chunk, count - start)
          if type == .float32 {
            try handle.read(into: destination + start, count: n * 4, at: offset + start * 4)
          } else {
            try handle.read(into: staging.baseAddress!, count: n * type.size, at: offset + start * type.size)
            ActivationElementType.convert(type, from: staging.baseAddress!, count: n, to: destination + start)
          }
          if let bad = ActivationElementType.firstNonFinite(destination + start, count: n) { return start + bad }
        }
        return nil
      }
    } catch {
      throw .file(error)
    }
    if let bad = firstBad {
      let (row, column) = bad.quotientAndRemainder(dividingBy: shard.columns)
      throw .nonFinite(
        file: shard.file, row: dataSetRow + row, rowInFile: local.lowerBound + row, column: column,
        value: destination[bad])
    }
  }
}
