import Foundation
import SparsityCore
import Testing

@testable import SparsityAutoencoders

/// Training with each batch cut into parts (what MPI ranks share, scripts/mpi.sh runs the ranks):
/// one part is the unfused reference step bit for bit, the sums fold in part order, a run in
/// parts trains and repeats itself exactly, and BatchTopK's threshold over parts is the whole
/// batch's.
@Suite struct SAEPartsTests {
  static let objectives: [SAEObjective] = [
    .topK(k: 4), .l1(coefficient: 0.05), .jumpReLU(coefficient: 0.02, bandwidth: 0.05), .batchTopK(k: 4),
  ]

  @Test(arguments: objectives)
  func onePartIsTheReferenceStep(objective: SAEObjective) throws {
    var (parted, batches) = SAETrainerTests.trainer(objective)
    var reference = parted
    for batch in batches {
      var (a, b) = (batch, batch)
      let rows = SAETrainerTests.rows
      let expected = b.withUnsafeMutableBufferPointer {
        reference.referenceStep($0.baseAddress!, rows: rows, totalSteps: 8)
      }
      let loss = try a.withUnsafeMutableBufferPointer {
        try parted.step(
          parts: [(rows: $0.baseAddress!, count: rows)], of: 1, reduction: LocalPartReduction(), totalSteps: 8)
      }
      #expect(loss == expected)
    }
    #expect(parted.parameters == reference.parameters)
    #expect(parted.rowsSinceFired == reference.rowsSinceFired)
    #expect(parted.batchThreshold == reference.batchThreshold)
    #expect(!parted.deadLatents.isEmpty || objective != .topK(k: 4), "AuxK ran in these steps")
  }

  @Test func partsAreAddedInPartOrder() throws {
    // In Double, ((0 + 1e17) + 1) − 1e17 is 0 (the 1 is lost), while adding the 1 last gives 1.
    let local = LocalPartReduction()
    let sum = try local.orderedSum([1e17, 1, -1e17], count: 1, parts: 3)
    #expect(sum == [((0 + 1e17) + 1) + -1e17])
    let floats = try local.orderedSum([Float(1), 2, 3, 4, 5, 6], count: 2, parts: 3)
    #expect(floats == [9, 12])
    #expect(local.localParts(total: 5) == 0..<5)
  }

  /// Three shards in memory, three parts a batch: the run learns, and a second run gives the
  /// same autoencoder bit for bit.
  @Test(arguments: [SAEObjective.topK(k: 3), .batchTopK(k: 3)])
  func aRunInPartsTrainsAndRepeatsExactly(objective: SAEObjective) throws {
    let (rows, inputs, parts) = (600, 16, 3)
    var generator = Xoshiro256StarStar(seed: 5)
    let directions = (0..<24).map { _ in (0..<inputs).map { _ in generator.normal() } }
    var data = [Float]()
    for _ in 0..<rows {
      var row = [Float](repeating: 0, count: inputs)
      for _ in 0..<3 {
        let atom = directions[Int(generator.next() % 24)]
        let weight = generator.uniform(in: 1...2)
        for c in 0..<inputs { row[c] += weight * atom[c] }
      }
      data += row
    }
    var settings = SAETrainingSettings(objective: objective, latents: 48)
    settings.batchSize = 60
    settings.epochs = 4
    settings.learningRate = 3e-3
    let shards = (0..<parts).map { BatchParts.range($0, of: parts, count: rows) }
    func train() throws -> SAETrainingResult {
      var sources = shards.enumerated().map { part, range in
        InMemoryBatchSource(
          Tensor(
            shape: [range.count, inputs],
            scalars: Array(data[(range.lowerBound * inputs)..<(range.upperBound * inputs)])),
          seed: UInt64(part))
      }
      return try SAETraining.train(
        settings, parts: parts, shardRows: shards.map(\.count), columns: inputs, sources: &sources,
        reduction: LocalPartReduction(), heldOut: Tensor(shape: [rows, inputs], scalars: data))
    }
    let first = try train()
    let second = try train()
    #expect(first.autoencoder == second.autoencoder)
    let fvu = try #require(first.epochs.last?.heldOut?.fvu)
    let start = try #require(first.epochs.first?.heldOut?.fvu)
    #expect(fvu < start && fvu < 0.5, "held-out FVU \(start) after one epoch, \(fvu) at the end")
  }

  @Test func theLargestValueOverPartsIsTheSortedOne() throws {
    // Values with ties, both zeros and negatives, in parts of different sizes (one empty).
    var generator = Xoshiro256StarStar(seed: 11)
    let values = (0..<500).map { i -> Float in
      i % 7 == 0 ? 0.5 : i % 11 == 0 ? -0.0 : Float(Int(generator.next() % 2001) - 1000) / 64
    }
    let cuts = [0, 120, 120, 333, 500]
    let parts = (0..<4).map { values[cuts[$0]..<cuts[$0 + 1]] }
    let sorted = values.map { $0 + 0 }.sorted(by: >)
    for rank in [1, 2, 37, 250, 499, 500] {
      let found = try LocalPartReduction().largest(
        rank: { count in
          #expect(count == 500)
          return rank
        }, among: parts)
      #expect(found == sorted[rank - 1], "rank \(rank)")
    }
    #expect(try LocalPartReduction().largest(rank: { $0 + 1 }, among: parts) == nil)
    #expect(try LocalPartReduction().largest(rank: { _ in 1 }, among: []) == nil)
  }

  @Test func batchTopKInPartsKeepsTheWholeBatchsShare() throws {
    // Each part computes its own product, which may round apart from the whole batch's, so the
    // codes are compared by what BatchTopK guarantees: k · rows entries kept in all (no ties
    // in random data), at a threshold within float rounding of the whole batch's.
    for parts in [2, 3] {
      var (parted, batches) = SAETrainerTests.trainer(.batchTopK(k: 4))
      var reference = parted
      let rows = SAETrainerTests.rows
      for batch in batches {
        var (a, b) = (batch, batch)
        let expected = b.withUnsafeMutableBufferPointer {
          reference.referenceStep($0.baseAddress!, rows: rows, totalSteps: 8)
        }
        let width = parted.inputs
        let loss = try a.withUnsafeMutableBufferPointer { buffer in
          let pieces = (0..<parts).map { p in
            let range = BatchParts.range(p, of: parts, count: rows)
            return (rows: buffer.baseAddress! + range.lowerBound * width, count: range.count)
          }
          return try parted.step(parts: pieces, of: parts, reduction: LocalPartReduction(), totalSteps: 8)
        }
        #expect(loss.l0 == 4 && expected.l0 == 4)
        #expect(abs(loss.smallestKept - expected.smallestKept) <= 1e-4 * expected.smallestKept)
        #expect(abs(loss.fvu - expected.fvu) <= 1e-3 * expected.fvu)
      }
      #expect(parted.batchThreshold != nil)
    }
  }
}
