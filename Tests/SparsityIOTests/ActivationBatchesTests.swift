import Foundation
import Testing

@testable import SparsityCore
@testable import SparsityIO

/// A data set of `rows` indexed rows (see `indexedRows`) of `columns` columns in two float32
/// shards split at `split`, in `directory`.
private func indexedDataset(
  rows: Int, columns: Int = 3, split: Int, in directory: ActivationTestDirectory
) throws -> ActivationDataset {
  let first = try directory.write(
    "first.npy",
    npyFileBytes(
      descriptor: "<f4", shape: "(\(split), \(columns))", data: float32Bytes(indexedRows(0..<split, columns: columns))))
  let second = try directory.write(
    "second.npy",
    npyFileBytes(
      descriptor: "<f4", shape: "(\(rows - split), \(columns))",
      data: float32Bytes(indexedRows(split..<rows, columns: columns))))
  return try ActivationDataset(contentsOf: [first, second])
}

/// The batches of one epoch as lists of row indices, after checking that every row read is
/// the whole indexed row it claims to be.
private func epochRows(_ stream: inout ActivationBatches) throws -> [[Int]] {
  let columns = stream.dataset.columns
  var buffer = [Float](repeating: .nan, count: stream.batchSize * columns)
  var batches = [[Int]]()
  while true {
    let count = try buffer.withUnsafeMutableBufferPointer { try stream.next(into: $0.baseAddress!) }
    if count == 0 { break }
    let rows = (0..<count).map { Int(buffer[$0 * columns]) / columns }
    for (k, row) in rows.enumerated() {
      #expect(Array(buffer[(k * columns)..<((k + 1) * columns)]) == indexedRows(row..<(row + 1), columns: columns))
    }
    batches.append(rows)
  }
  return batches
}

@Suite struct ActivationBatchesTests {
  @Test func everyTrainingRowComesOncePerEpochInSeveralRefills() throws {
    let directory = try ActivationTestDirectory()
    defer { directory.remove() }
    let dataset = try indexedDataset(rows: 1100, split: 613, in: directory)
    var stream = try ActivationBatches(
      dataset: dataset, rows: 10..<1000, batchSize: 64, seed: 42, bufferRows: 100, blockRows: 16)
    #expect(stream.batchesPerEpoch == 16)
    let batches = try epochRows(&stream)
    #expect(batches.map(\.count) == [Int](repeating: 64, count: 15) + [990 - 15 * 64])
    #expect(batches.joined().sorted() == Array(10..<1000))
    #expect(stream.rowsDelivered == 990)
    let blocksInFirstBatch = Set(batches[0].map { ($0 - 10) / 16 })
    #expect(blocksInFirstBatch.count >= 4, "a batch mixes rows of several blocks")
  }

  @Test func theOrderDependsOnlyOnSeedAndEpoch() throws {
    let directory = try ActivationTestDirectory()
    defer { directory.remove() }
    let dataset = try indexedDataset(rows: 500, split: 200, in: directory)
    func order(seed: UInt64, epoch: Int) throws -> [Int] {
      var stream = try ActivationBatches(
        dataset: dataset, batchSize: 50, seed: seed, epoch: epoch, bufferRows: 128, blockRows: 8)
      return try epochRows(&stream).flatMap { $0 }
    }
    let base = try order(seed: 1, epoch: 0)
    #expect(base.sorted() == Array(0..<500))
    #expect(try order(seed: 1, epoch: 0) == base)
    #expect(try order(seed: 1, epoch: 1) != base)
    #expect(try order(seed: 2, epoch: 0) != base)
    var stream = try ActivationBatches(dataset: dataset, batchSize: 50, seed: 1, bufferRows: 128, blockRows: 8)
    _ = try epochRows(&stream)
    stream.start(epoch: 1)
    #expect(stream.epoch == 1 && stream.rowsDelivered == 0)
    #expect(try epochRows(&stream).flatMap { $0 } == order(seed: 1, epoch: 1))
  }

  @Test func aCopyOfAStreamContinuesIndependently() throws {
    let directory = try ActivationTestDirectory()
    defer { directory.remove() }
    let dataset = try indexedDataset(rows: 300, split: 100, in: directory)
    var stream = try ActivationBatches(dataset: dataset, batchSize: 32, seed: 5, bufferRows: 64)
    var buffer = [Float](repeating: 0, count: 32 * 3)
    _ = try buffer.withUnsafeMutableBufferPointer { try stream.next(into: $0.baseAddress!) }
    var copy = stream
    #expect(try epochRows(&copy) == epochRows(&stream))
  }

  @Test func shortRangesBatchesLargerThanTheRangeAndEmptyRanges() throws {
    let directory = try ActivationTestDirectory()
    defer { directory.remove() }
    let dataset = try indexedDataset(rows: 60, split: 20, in: directory)
    var large = try ActivationBatches(dataset: dataset, rows: 5..<42, batchSize: 500, seed: 7)
    #expect(large.bufferRows == 37)
    let batches = try epochRows(&large)
    #expect(batches.count == 1 && batches[0].sorted() == Array(5..<42))
    var tiny = try ActivationBatches(dataset: dataset, rows: 0..<60, batchSize: 25, seed: 7, bufferRows: 10)
    let tinyBatches = try epochRows(&tiny)
    #expect(tinyBatches.map(\.count) == [25, 25, 10])
    #expect(tinyBatches.joined().sorted() == Array(0..<60))
    var empty = try ActivationBatches(dataset: dataset, rows: 30..<30, batchSize: 8, seed: 7)
    #expect(try epochRows(&empty).isEmpty)
    #expect(empty.batchesPerEpoch == 0)
  }

  @Test func theMemoryEstimateIsTheBufferAndABatchWhateverTheRows() throws {
    let estimate = ActivationBatches.memoryEstimate(columns: 384, batchSize: 1024)
    let bufferRows = ActivationBatches.defaultBufferRows(columns: 384, batchSize: 1024)
    #expect(bufferRows * 384 * 4 <= ActivationBatches.defaultBufferBytes)
    #expect(estimate.bytes == bufferRows * (384 * 4 + 8) + 1024 * 384 * 4)
    #expect(ActivationBatches.defaultBufferRows(columns: 1 << 20, batchSize: 64) == 64)
    let directory = try ActivationTestDirectory()
    defer { directory.remove() }
    let small = try indexedDataset(rows: 50, columns: 384, split: 10, in: directory)
    let stream = try ActivationBatches(dataset: small, batchSize: 16, seed: 0)
    #expect(stream.bufferRows == 50)
    #expect(
      ActivationBatches.memoryEstimate(columns: 384, batchSize: 1024, bufferRows: nil)
        == ActivationBatches.memoryEstimate(columns: 384, batchSize: 1024))
  }

  @Test func blockPermutationsAreSeededBijections() {
    for count in Array(0...70) + [1000, 4097] {
      var generator = Xoshiro256StarStar(seed: UInt64(count))
      let permutation = BlockPermutation(count: count, using: &generator)
      let values = (0..<count).map { permutation[$0] }
      #expect(values.sorted() == Array(0..<count), "count \(count)")
      if count >= 8 { #expect(values != Array(0..<count), "count \(count)") }
    }
  }

  @Test func chunksReadTheRangeInOrder() throws {
    let directory = try ActivationTestDirectory()
    defer { directory.remove() }
    let dataset = try indexedDataset(rows: 50, split: 17, in: directory)
    var chunks = ActivationChunks(dataset: dataset, rows: 3..<45, chunkRows: 16)
    var buffer = [Float](repeating: 0, count: 16 * 3)
    var rows = [Float]()
    var counts = [Int]()
    while true {
      let count = try buffer.withUnsafeMutableBufferPointer { try chunks.next(into: $0.baseAddress!) }
      if count == 0 { break }
      counts.append(count)
      rows += buffer[0..<(count * 3)]
    }
    #expect(counts == [16, 16, 10])
    #expect(rows == indexedRows(3..<45, columns: 3))
    chunks.rewind()
    #expect(chunks.position == 3)
  }

  @Test func theHeldOutRowsAreTheLastOnes() {
    let split = ActivationSplit(rows: 1000, heldOutFraction: 0.1)
    #expect(split.training == 0..<900 && split.heldOut == 900..<1000)
    #expect(ActivationSplit(rows: 10, heldOutRows: 3) == ActivationSplit(rows: 10, heldOutFraction: 0.3))
    #expect(ActivationSplit(rows: 7, heldOutFraction: 0).heldOut.isEmpty)
    #expect(ActivationSplit(rows: 7, heldOutFraction: 1).training.isEmpty)
    #expect(ActivationSplit(rows: 0, heldOutRows: 0).training == 0..<0)
  }
}
