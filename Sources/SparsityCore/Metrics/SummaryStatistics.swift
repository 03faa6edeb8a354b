// Mean, minimum and maximum of a list of measurements, e.g. the sparsity of every unit.

/// The mean, minimum and maximum of a list of values, to summarize per-row or per-column
/// measures in one line.
///
///     mean = (1/n) sum_i v_i,  minimum = min_i v_i,  maximum = max_i v_i
///
/// An empty list has `count` 0 and every statistic 0.
public struct SummaryStatistics: Sendable, Equatable {
  /// Number of values summarized.
  public let count: Int
  /// Arithmetic mean, accumulated in `Double`.
  public let mean: Double
  /// Smallest value.
  public let minimum: Double
  /// Largest value.
  public let maximum: Double

  /// Summarizes `values`.
  /// - Complexity: O(n).
  public init(_ values: some Collection<Double>) {
    count = values.count
    guard count > 0 else {
      mean = 0
      minimum = 0
      maximum = 0
      return
    }
    var total = 0.0
    var low = Double.infinity
    var high = -Double.infinity
    for value in values {
      total += value
      low = Swift.min(low, value)
      high = Swift.max(high, value)
    }
    mean = total / Double(count)
    minimum = low
    maximum = high
  }
}
