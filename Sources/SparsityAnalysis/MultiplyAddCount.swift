// How many of a network's multiply-adds involve a zero, and could be skipped.

import SparsityCore
import SparsityNN

/// The multiply-adds of a network's Linear layers on a data set: all of them, as dense BLAS
/// does them, and the ones where neither the input nor the weight is zero.
///
/// For a Linear layer y = W x + b with W (outputs x inputs) and an input x,
///
///     dense  = outputs · inputs
///     needed = Σ_{i : x_i ≠ 0} nnz(column i of W)
///
/// A kernel that skips zero inputs and zero weights does `needed` of the `dense` products; the
/// ratio bounds the work, not the time (memory access and bookkeeping cost too).
public struct MultiplyAddCount: Sendable, Equatable {
  /// One Linear layer's counts, summed over the samples.
  public struct Layer: Sendable, Equatable {
    /// The layer's index in its `Sequential`.
    public var index: Int
    public var dense: Int
    public var needed: Int
    /// needed / dense (0 when dense is 0).
    public var fraction: Double { dense == 0 ? 0 : Double(needed) / Double(dense) }
  }

  /// Every Linear layer, first to last.
  public var layers: [Layer]
  /// Samples counted.
  public var samples: Int

  public var dense: Int { layers.reduce(0) { $0 + $1.dense } }
  public var needed: Int { layers.reduce(0) { $0 + $1.needed } }
  /// The fraction of the dense multiply-adds that remain when zeros are skipped.
  public var fraction: Double { dense == 0 ? 0 : Double(needed) / Double(dense) }

  /// Counts over `features` (samples x inputFeatures), running `network` in evaluation mode in
  /// batches. O(one forward pass + samples · Σ inputs).
  public static func measure(_ network: Sequential, features: Tensor, batchSize: Int = 256) -> MultiplyAddCount {
    precondition(
      features.rank == 2 && features.columns == network.inputFeatures,
      "MultiplyAddCount.measure: features \(features.shape), the network takes \(network.inputFeatures)")
    precondition(batchSize > 0, "MultiplyAddCount.measure: batch size must be positive")
    let linear = network.layers.indices.filter { network.layers[$0] is Linear }
    let columnCounts = linear.map { nonzerosPerColumn((network.layers[$0] as! Linear).weight.value) }
    var layers = linear.map { Layer(index: $0, dense: 0, needed: 0) }
    for start in stride(from: 0, to: features.rows, by: batchSize) {
      network.forward(features.rows(start..<Swift.min(start + batchSize, features.rows)), training: false)
      for (k, index) in linear.enumerated() {
        let input = network.activations[index]
        let counts = columnCounts[k]
        layers[k].dense += input.rows * input.columns * network.features[index + 1]
        for row in 0..<input.rows {
          let base = row * input.columns
          for i in 0..<input.columns where input.scalars[base + i] != 0 { layers[k].needed += counts[i] }
        }
      }
    }
    return MultiplyAddCount(layers: layers, samples: features.rows)
  }

  /// nnz of every column of `weight` (outputs x inputs).
  static func nonzerosPerColumn(_ weight: Tensor) -> [Int] {
    var counts = [Int](repeating: 0, count: weight.columns)
    for row in 0..<weight.rows {
      for column in 0..<weight.columns where weight.scalars[row * weight.columns + column] != 0 { counts[column] += 1 }
    }
    return counts
  }
}
