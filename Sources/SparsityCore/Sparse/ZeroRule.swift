/// Which entries of a dense tensor count as zero when it is turned into a sparse format.
public enum ZeroRule: Sendable, Equatable {
  /// Only entries equal to 0 (or -0) are dropped.
  case exactZero
  /// Entries with |x| <= threshold are dropped (magnitude pruning at a fixed threshold).
  case magnitudeAtMost(Float)

  /// True when `value` is kept (stored) under this rule.
  @inlinable
  public func keeps(_ value: Float) -> Bool {
    switch self {
    case .exactZero: return value != 0
    case .magnitudeAtMost(let threshold): return Swift.abs(value) > threshold
    }
  }
}
