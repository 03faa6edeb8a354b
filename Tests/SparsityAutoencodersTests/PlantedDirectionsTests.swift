import Foundation
import SparsityCore
import Testing

@testable import SparsityAutoencoders

/// Planted structure: rows are sums of k of n known unit directions with positive weights plus
/// noise; a trained autoencoder must find the directions among its decoder rows.
@Suite struct PlantedDirectionsTests {
  /// (directions (n, d), rows (count, d)): each row a sum of `k` distinct directions with
  /// weights in [0.5, 1.5], plus Gaussian noise of standard deviation `noise` per value.
  static func planted(n: Int, d: Int, k: Int, count: Int, noise: Float, seed: UInt64) -> (Tensor, Tensor) {
    var generator = Xoshiro256StarStar(seed: seed)
    var directions = Tensor(zeros: [n, d])
    for j in 0..<n {
      let v = (0..<d).map { _ in generator.normal() }
      let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
      for c in 0..<d { directions[j, c] = v[c] / norm }
    }
    var rows = Tensor(zeros: [count, d])
    for i in 0..<count {
      // In the order drawn: a Set's iteration order depends on its storage's address, which
      // made the rows (which weight goes to which direction, the order of the sums) differ
      // from one run to the next.
      var chosen = [Int]()
      while chosen.count < k {
        let j = Int(generator.next() % UInt64(n))
        if !chosen.contains(j) { chosen.append(j) }
      }
      for j in chosen {
        let weight = 0.5 + generator.nextUnitFloat()
        for c in 0..<d { rows[i, c] += weight * directions[j, c] }
      }
      for c in 0..<d { rows[i, c] += noise * generator.normal() }
    }
    return (directions, rows)
  }

  /// For each planted direction, the largest cosine with a decoder row.
  static func bestCosines(_ directions: Tensor, _ decoder: Tensor) -> [Float] {
    (0..<directions.rows).map { j in
      (0..<decoder.rows).map { r in
        var (dot, norm) = (Float(0), Float(0))
        for c in 0..<directions.columns {
          dot += directions[j, c] * decoder[r, c]
          norm += decoder[r, c] * decoder[r, c]
        }
        return dot / Swift.max(norm.squareRoot(), 1e-12)
      }.max()!
    }
  }

  @Test(arguments: [SAEObjective.topK(k: 4), .batchTopK(k: 4)])
  func recoversNinetyPercentOfPlantedDirections(objective: SAEObjective) throws {
    let (directions, all) = Self.planted(n: 48, d: 32, k: 4, count: 31_000, noise: 0.01, seed: 1)
    let rows = Tensor(shape: [30_000, 32], scalars: Array(all.scalars[0..<(30_000 * 32)]))
    let heldOut = Tensor(shape: [1000, 32], scalars: Array(all.scalars[(30_000 * 32)...]))
    var settings = SAETrainingSettings(objective: objective, latents: 96)
    settings.epochs = 15
    settings.batchSize = 256
    settings.learningRate = 2e-3
    settings.seed = 3
    var source = InMemoryBatchSource(rows, seed: 5)
    let result = try SAETraining.train(settings, source: &source, heldOut: heldOut)
    let cosines = Self.bestCosines(directions, result.autoencoder.decoder)
    let recovered = cosines.filter { $0 > 0.9 }.count
    #expect(Double(recovered) >= 0.9 * Double(directions.rows), "\(objective): \(recovered) of 48 recovered")
    let last = try #require(result.epochs.last?.heldOut)
    #expect(last.fvu < 0.1, "held-out FVU \(last.fvu)")
    #expect(abs(last.l0 - 4) < 1.5, "held-out L0 \(last.l0)")
  }
}
