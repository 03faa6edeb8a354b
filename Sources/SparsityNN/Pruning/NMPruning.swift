import SparsityCore

/// N:M semi-structured pruning of a weight matrix along its input dimension.
///
/// W is (outputFeatures, inputFeatures), as in `Linear`. Each row is cut into groups of M
/// consecutive inputs (the last group shorter when M does not divide the row); in every group
/// the max(0, size − N) weights of smallest |w| are pruned, so at most N stay nonzero. Ties are
/// broken by position (the earlier input goes first) and weights a `previous` mask pruned go
/// first, exactly as in `MagnitudePruning`. 2:4 prunes half of every row.
///
/// Reference: Mishra et al., "Accelerating Sparse Deep Neural Networks", arXiv:2104.08378, 2021;
/// Zhou et al., "Learning N:M Fine-grained Structured Sparse Neural Networks From Scratch",
/// ICLR 2021.
public enum NMPruning {
  /// The N:M mask of the matrix `weight`.
  ///
  /// - Parameters:
  ///   - weight: A rank-2 tensor (outputFeatures, inputFeatures).
  ///   - n: Weights kept per group, 1 ≤ n < m.
  ///   - m: Group length.
  ///   - previous: A mask from an earlier pruning step, whose pruned weights go first.
  /// - Complexity: O(rows · columns · m) time (insertion sort of each group), O(m) extra memory.
  public static func mask(for weight: Tensor, n: Int, m: Int, previous: PruningMask? = nil) -> PruningMask {
    precondition(n >= 1 && n < m, "NMPruning: need 1 <= N < M, got \(n):\(m)")
    precondition(weight.rank == 2, "NMPruning: weight must be a matrix, got shape \(weight.shape)")
    var keys: [UInt64] = []
    MagnitudeRanking.appendKeys(of: weight, previous: previous, offset: 0, to: &keys)
    var keep = [Bool](repeating: true, count: weight.count)
    var group: [UInt64] = []
    group.reserveCapacity(m)
    let columns = weight.columns
    for row in 0..<weight.rows {
      for start in stride(from: 0, to: columns, by: m) {
        let range = (row * columns + start)..<(row * columns + Swift.min(start + m, columns))
        let pruned = range.count - n
        guard pruned > 0 else { continue }
        group.removeAll(keepingCapacity: true)
        group.append(contentsOf: keys[range])
        group.sort()
        let threshold = group[pruned - 1]
        for i in range where keys[i] <= threshold { keep[i] = false }
      }
    }
    return PruningMask(shape: weight.shape, keep: keep)
  }
}
