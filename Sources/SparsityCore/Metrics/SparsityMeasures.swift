// How sparse a set of values is: zero counts, norms, and the Hoyer and Gini indices in one report.

/// Sparsity measures of a set of `Float` values, computed in one pass plus one sort.
///
/// With `x` the values, `n = count`:
/// - `zeros = #{i : x_i == 0}`, `active = n - zeros` (the L0 "norm"), `sparsity = zeros / n`;
/// - `nearZeros = #{i : |x_i| <= epsilon}`, `nearZeroSparsity = nearZeros / n`;
/// - `l1 = sum |x_i|`, `l2 = sqrt(sum x_i^2)`, accumulated in `Double`;
/// - `hoyer` and `gini` as defined in `SparsityMeasures.hoyer(l1:l2:count:)` and
///   `SparsityMeasures.gini(ascendingMagnitudes:precedingZeros:l1:)`.
///
/// Conventions:
/// - An empty input has every count and measure 0.
/// - Non-finite values (NaN, +-infinity) are counted in `count`, `active` and `nonFiniteCount`,
///   and left out of `nearZeros`, `l1`, `l2`, `hoyer` and `gini`, which are then measures of the
///   finite values only, so that a report is always finite. Callers that need clean input check
///   `nonFiniteCount == 0` (the command-line tool rejects such input).
/// - Hoyer and Gini are undefined for an all-zero input; both are reported as 0 there (see
///   `sparsity`, which is 1, to tell "all zero" from "uniform").
///
/// Reference: N. Hurley and S. Rickard, "Comparing Measures of Sparsity", IEEE Transactions on
/// Information Theory 55(10), 2009.
public struct SparsityMeasures: Sendable, Equatable {
  /// The default near-zero threshold: float32 values of magnitude at most 1e-6 count as
  /// near-zero, well below the resolution that matters for activations of order 1.
  public static let defaultEpsilon: Float = 1e-6

  /// Number of values measured, `n`.
  public let count: Int
  /// Number of values exactly equal to zero (either sign).
  public let zeros: Int
  /// Number of finite values with `|x| <= epsilon`; includes the exact zeros.
  public let nearZeros: Int
  /// The near-zero threshold used for `nearZeros`.
  public let epsilon: Float
  /// Number of NaN or infinite values.
  public let nonFiniteCount: Int
  /// The L1 norm of the finite values, `sum |x_i|`.
  public let l1: Double
  /// The L2 norm of the finite values, `sqrt(sum x_i^2)`.
  public let l2: Double
  /// Hoyer's sparsity in [0, 1]: 0 for equal magnitudes, 1 for a single nonzero.
  public let hoyer: Double
  /// The Gini index of the magnitudes in [0, 1 - 1/n]: 0 for equal magnitudes.
  public let gini: Double

  /// Number of values that are not exactly zero: the L0 "norm".
  public var active: Int { count - zeros }
  /// Fraction of values that are exactly zero, `zeros / count`; 0 when empty.
  public var sparsity: Double { count == 0 ? 0 : Double(zeros) / Double(count) }
  /// Fraction of values with `|x| <= epsilon`, `nearZeros / count`; 0 when empty.
  public var nearZeroSparsity: Double { count == 0 ? 0 : Double(nearZeros) / Double(count) }
  /// Fraction of values that are not exactly zero, `1 - sparsity`; 0 when empty.
  public var density: Double { count == 0 ? 0 : Double(active) / Double(count) }

  /// Measures `values`.
  ///
  /// - Parameters:
  ///   - values: the values to measure.
  ///   - epsilon: the near-zero threshold, finite and non-negative.
  /// - Complexity: O(n + m log m) time and O(m) extra memory, `m` the number of nonzeros (one
  ///   pass of the kernel `tallyMagnitudes`, then a sort).
  public init(_ values: [Float], epsilon: Float = SparsityMeasures.defaultEpsilon) {
    precondition(epsilon >= 0 && epsilon.isFinite, "SparsityMeasures: epsilon must be finite and >= 0, got \(epsilon)")
    self.init(tally: tallyMagnitudes(values, epsilon: epsilon), count: values.count, epsilon: epsilon)
  }

  /// The measures of `count` values from their one-pass `tally`.
  /// - Complexity: O(m), `m` the number of nonzeros.
  init(tally: MagnitudeTally, count: Int, epsilon: Float) {
    let l2 = tally.sumOfSquares.squareRoot()
    self.count = count
    self.zeros = tally.zeros
    self.nearZeros = tally.nearZeros
    self.epsilon = epsilon
    self.nonFiniteCount = tally.nonFinite
    self.l1 = tally.l1
    self.l2 = l2
    self.hoyer = Self.hoyer(l1: tally.l1, l2: l2, count: count - tally.nonFinite)
    self.gini = Self.gini(ascendingMagnitudes: tally.ascendingMagnitudes, precedingZeros: tally.zeros, l1: tally.l1)
  }
}
