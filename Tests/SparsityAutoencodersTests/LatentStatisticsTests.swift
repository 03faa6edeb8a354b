import Foundation
import SparsityCore
import Testing

@testable import SparsityAutoencoders

/// Latent statistics on planted codes: an identity autoencoder with ReLU makes latent j's
/// activation on a row exactly the row's value j, so every statistic has a known answer.
@Suite struct LatentStatisticsTests {
  /// The d -> d identity autoencoder with ReLU.
  static func identity(_ d: Int) -> SparseAutoencoder {
    var eye = Tensor(zeros: [d, d])
    for j in 0..<d { eye[j, j] = 1 }
    return SparseAutoencoder(
      encoder: eye, encoderBias: [Float](repeating: 0, count: d), decoder: eye,
      decoderBias: [Float](repeating: 0, count: d), activation: .relu)
  }

  /// Rows where latent j's direction is present with probability `density`, weight in (0, 1],
  /// quantized to `levels` steps so that ties occur.
  static func planted(rows: Int, d: Int, density: Float, levels: Int, seed: UInt64) -> Tensor {
    var generator = Xoshiro256StarStar(seed: seed)
    var x = Tensor(zeros: [rows, d])
    for i in 0..<rows {
      for j in 0..<d where generator.nextUnitFloat() < density {
        x[i, j] = Float(1 + Int(generator.nextUnitFloat() * Float(levels - 1))) / Float(levels)
      }
    }
    return x
  }

  /// The sort-based twin of the heaps: every nonzero of column j, by activation descending,
  /// earlier rows first on ties, the first `top`.
  static func sortedTopRows(_ x: Tensor, latent j: Int, top: Int) -> [LatentActivation] {
    let all = (0..<x.rows).filter { x[$0, j] > 0 }.map { LatentActivation(row: $0, activation: x[$0, j]) }
    return Array(
      all.sorted { $0.activation > $1.activation || ($0.activation == $1.activation && $0.row < $1.row) }
        .prefix(top))
  }

  @Test(arguments: [(1, 5), (7, 3), (1024, 10), (300, 1)])
  func topRowsCountsAndFrequenciesMatchThePlantedCode(batchRows: Int, top: Int) throws {
    let x = Self.planted(rows: 600, d: 12, density: 0.2, levels: 7, seed: 3)
    let statistics = try LatentStatistics.compute(Self.identity(12), on: x, top: top, batchRows: batchRows)
    #expect(statistics.rows == 600 && statistics.latents == 12)
    for j in 0..<12 {
      let column = (0..<600).map { x[$0, j] }.filter { $0 > 0 }
      #expect(statistics.firingCounts[j] == column.count)
      #expect(abs(statistics.frequencies[j] - Double(column.count) / 600) < 1e-12)
      #expect(statistics.maxActivations[j] == column.max())
      #expect(abs(statistics.meanActivations[j] - column.reduce(0) { $0 + Double($1) } / Double(column.count)) < 1e-6)
      #expect(statistics.topRows[j] == Self.sortedTopRows(x, latent: j, top: top), "latent \(j)")
      let histogram = statistics.histograms[j]
      #expect(histogram.counts.reduce(0, +) == column.count)
      #expect(histogram.upperEdge >= column.max()! && histogram.upperEdge < 2 * column.max()!)
    }
    #expect(statistics.nonzeroCount == statistics.firingCounts.reduce(0, +))
  }

  @Test func theTopRowsAreExactlyThePlantedRowsWithTheLargestWeights() throws {
    var x = Tensor(zeros: [50, 4])
    let planted = [3: Float(0.9), 17: 2.5, 30: 1.25, 41: 0.5]
    for (row, weight) in planted { x[row, 2] = weight }
    for i in 0..<50 where planted[i] == nil { x[i, 0] = 0.1 }
    let statistics = try LatentStatistics.compute(Self.identity(4), on: x, top: 3, batchRows: 8)
    #expect(statistics.topRows[2].map(\.row) == [17, 30, 3])
    #expect(statistics.topRows[2].map(\.activation) == [2.5, 1.25, 0.9])
    #expect(statistics.firingCounts == [46, 0, 4, 0])
    #expect(statistics.deadFraction == 0.5)
    #expect(statistics.latentsByFrequency == [0, 2, 1, 3])
    #expect(statistics.histograms[2].upperEdge == 4)
    #expect(statistics.histograms[2].counts[2] == 1 && statistics.histograms[2].counts[12] == 1)
    #expect(statistics.allTopRows.count == 3 + 3)
  }

  @Test func theHeapKeepsTheTrueTopRowsOfRandomStreamsWithTies() {
    var generator = Xoshiro256StarStar(seed: 11)
    for capacity in [1, 2, 5, 16] {
      var heaps = LatentTopRows(latents: 3, capacity: capacity)
      var offered = [[LatentActivation]](repeating: [], count: 3)
      for row in 0..<400 {
        let latent = Int(generator.next() % 3)
        let activation = Float(Int(generator.nextUnitFloat() * 20))
        heaps.offer(latent: latent, row: row, activation: activation)
        offered[latent].append(LatentActivation(row: row, activation: activation))
      }
      for latent in 0..<3 {
        let expected = offered[latent].sorted { $1.ranksBelow($0) }.prefix(capacity)
        #expect(heaps.sorted(latent) == Array(expected), "capacity \(capacity), latent \(latent)")
      }
    }
  }

  @Test func theMemoryOfTheHeapsIsCheckedBeforeAllocating() {
    #expect(throws: MemoryBudgetError.self) {
      try MemoryBudget.check(
        LatentStatistics.memoryEstimate(latents: 1 << 40, top: 1000), for: "heaps",
        against: MemoryBudget.Budget(bytes: 1 << 30, source: "test"))
    }
  }
}
