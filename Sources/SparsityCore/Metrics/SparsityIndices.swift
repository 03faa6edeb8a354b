// The two scale-invariant sparsity indices of Hurley & Rickard (2009): Hoyer and Gini.

extension SparsityMeasures {
  /// Hoyer's sparsity of `n` values with norms `l1` and `l2`.
  ///
  ///     hoyer = (sqrt(n) - l1 / l2) / (sqrt(n) - 1)
  ///
  /// It is 1 for a vector with one nonzero and 0 for a vector of equal magnitudes. Undefined for
  /// `n <= 1` and for the zero vector; both are reported as 0. The result is clamped to [0, 1]
  /// to absorb rounding.
  /// - Complexity: O(1).
  /// - Reference: P. O. Hoyer, "Non-negative Matrix Factorization with Sparseness Constraints",
  ///   JMLR 5, 2004.
  public static func hoyer(l1: Double, l2: Double, count n: Int) -> Double {
    guard n > 1, l2 > 0 else { return 0 }
    let root = Double(n).squareRoot()
    return Swift.min(1, Swift.max(0, (root - l1 / l2) / (root - 1)))
  }

  /// The Gini index of magnitudes `c_1 <= ... <= c_n`, given the nonzero ones in ascending order.
  ///
  ///     gini = 1 - 2 * sum_k (c_k / l1) * (n - k + 1/2) / n,   k = 1...n
  ///
  /// The `precedingZeros` zero magnitudes take ranks 1...z and add nothing to the sum, so only
  /// the nonzero magnitudes are passed: `n = precedingZeros + ascendingMagnitudes.count`. The
  /// index is 0 for equal magnitudes and `(n - 1) / n` for a single nonzero. Undefined for the
  /// zero vector (`l1 == 0`), reported as 0.
  /// - Parameters:
  ///   - ascendingMagnitudes: the nonzero magnitudes, sorted ascending.
  ///   - precedingZeros: how many zero magnitudes precede them.
  ///   - l1: their sum.
  /// - Complexity: O(m), `m` the number of nonzero magnitudes.
  /// - Reference: N. Hurley and S. Rickard, "Comparing Measures of Sparsity", 2009, eq. (15).
  public static func gini(
    ascendingMagnitudes: [Float], precedingZeros: Int, l1: Double
  ) -> Double {
    let n = Double(precedingZeros + ascendingMagnitudes.count)
    guard l1 > 0 else { return 0 }
    var weighted = 0.0
    for (i, magnitude) in ascendingMagnitudes.enumerated() {
      let k = Double(precedingZeros + i + 1)
      weighted += Double(magnitude) * (n - k + 0.5)
    }
    return Swift.max(0, 1 - 2 * weighted / (l1 * n))
  }
}
