import SparsityCore

/// One-shot magnitude pruning: zero the weights of smallest |w|.
///
/// For sparsity s in [0, 1), a set of N weights loses the k = ⌊s · N + 10⁻⁹⌋ of smallest
/// magnitude (floor: the sparsity reached never exceeds the one asked for, and a layer is never
/// pruned away entirely; the 10⁻⁹ absorbs rounding error in s · N, so 0.29 · 100 gives 29). With
/// `.global` scope N counts the weights of all tensors together, with `.perLayer` each tensor
/// separately. Ties are broken by position (tensor order, then row-major index: the earlier
/// weight goes first), and weights a `previous` mask pruned go before any other, so the
/// result is deterministic and a gradually raised sparsity only ever adds to the pruned set.
///
/// Reference: Han, Pool, Tran and Dally, "Learning both Weights and Connections for Efficient
/// Neural Networks", NeurIPS 2015; Zhu and Gupta, "To prune, or not to prune", ICLR workshop 2018.
public enum MagnitudePruning {
  /// The number of weights pruned out of `count` at `sparsity`: ⌊sparsity · count + 10⁻⁹⌋.
  public static func prunedCount(sparsity: Double, count: Int) -> Int {
    precondition(sparsity >= 0 && sparsity < 1, "MagnitudePruning: sparsity \(sparsity) must be in [0, 1)")
    return Swift.min(count, Int((sparsity * Double(count) + 1e-9).rounded(.down)))
  }

  /// The masks that prune `weights` to `sparsity` over `scope`.
  ///
  /// - Parameters:
  ///   - weights: The tensors to prune (any shapes; usually `Linear` weights).
  ///   - sparsity: The fraction to prune, in [0, 1).
  ///   - scope: Rank all tensors together (`.global`) or each on its own (`.perLayer`).
  ///   - previous: Masks from an earlier pruning step, one per tensor; the weights they pruned
  ///     rank before all others (`Pruner` also intersects with them, so masks only grow).
  /// - Returns: One mask per tensor.
  /// - Complexity: O(N) expected time and O(N) memory for N weights (quickselect on keys).
  public static func masks(
    for weights: [Tensor], sparsity: Double, scope: PruningScope, previous: [PruningMask]? = nil
  ) -> [PruningMask] {
    precondition(
      previous == nil || previous!.count == weights.count,
      "MagnitudePruning: \(previous!.count) masks for \(weights.count) tensors")
    switch scope {
    case .perLayer:
      return weights.indices.map { index in
        masks(jointlyFor: [weights[index]], sparsity: sparsity, previous: previous.map { [$0[index]] })[0]
      }
    case .global:
      return masks(jointlyFor: weights, sparsity: sparsity, previous: previous)
    }
  }

  /// Prunes the smallest ⌊s · N⌋ weights of all `weights` ranked together.
  private static func masks(jointlyFor weights: [Tensor], sparsity: Double, previous: [PruningMask]?) -> [PruningMask] {
    var keys: [UInt64] = []
    var offset = 0
    for (index, weight) in weights.enumerated() {
      MagnitudeRanking.appendKeys(of: weight, previous: previous?[index], offset: offset, to: &keys)
      offset += weight.count
    }
    let k = prunedCount(sparsity: sparsity, count: keys.count)
    let threshold = k == 0 ? nil : MagnitudeRanking.kthSmallest(keys, k: k)
    offset = 0
    return weights.map { weight in
      defer { offset += weight.count }
      guard let threshold else { return PruningMask(keepingAll: weight.shape) }
      return PruningMask(shape: weight.shape, keep: keys[offset..<(offset + weight.count)].map { $0 > threshold })
    }
  }
}
