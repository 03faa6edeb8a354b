import SparsityCore

/// N:M semi-structured pruning of a weight matrix along its input dimension.
///
/// W is (outputFeatures, inputFeatures), as in `Linear`, or a convolution's filters (out,
/// in / groups, kernel rows, kernel columns), whose groups run along the input channels at each
/// filter tap (as NVIDIA's 2:4 sparsity prunes convolutions). Each row is cut into groups of M
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
  ///   - weight: A rank-2 tensor (outputFeatures, inputFeatures) or a rank-4 one (out, in,
  ///     kernel rows, kernel columns).
  ///   - n: Weights kept per group, 1 ≤ n < m.
  ///   - m: Group length.
  ///   - previous: A mask from an earlier pruning step, whose pruned weights go first.
  /// - Complexity: O(rows · columns · m) time (insertion sort of each group), O(m) extra memory.
  public static func mask(for weight: Tensor, n: Int, m: Int, previous: PruningMask? = nil) -> PruningMask {
    precondition(n >= 1 && n < m, "NMPruning: need 1 <= N < M, got \(n):\(m)")
    precondition(
      weight.rank == 2 || weight.rank == 4, "NMPruning: weight must be a matrix or filters, got \(weight.shape)")
    if weight.rank == 4 {
      // (out, in, taps) -> (out * taps, in): each row one tap of one filter across its inputs.
      let (outputs, inputs, taps) = (weight.shape[0], weight.shape[1], weight.shape[2] * weight.shape[3])
      func permuted<T>(_ values: [T], forward: Bool) -> [T] {
        var result = values
        for o in 0..<outputs {
          for c in 0..<inputs {
            for t in 0..<taps {
              let (filterIndex, rowIndex) = ((o * inputs + c) * taps + t, (o * taps + t) * inputs + c)
              if forward { result[rowIndex] = values[filterIndex] } else { result[filterIndex] = values[rowIndex] }
            }
          }
        }
        return result
      }
      let matrix = Tensor(shape: [outputs * taps, inputs], scalars: permuted(weight.scalars, forward: true))
      let previousRows = previous.map { PruningMask(shape: matrix.shape, keep: permuted($0.keep, forward: true)) }
      let rows = mask(for: matrix, n: n, m: m, previous: previousRows)
      return PruningMask(shape: weight.shape, keep: permuted(rows.keep, forward: false))
    }
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
