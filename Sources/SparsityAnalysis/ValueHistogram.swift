// Counts of values in equal-width bins, on a linear or a logarithmic axis.

import Foundation

/// A histogram: `counts[b]` values fell in bin b of `bins` equal-width bins between
/// `lowerBound` and `upperBound`, measured on a linear axis or on log10 of the value.
///
/// Bin of a value v (linear; on a logarithmic axis read log10 v, log10 lower, log10 upper):
///
///     b = floor((v - lower) / (upper - lower) * bins), with v == upper in the last bin
///
/// so every bin is half-open `[edge_b, edge_(b+1))` except the last, which is closed. Values
/// outside the range, non-finite values and, on a logarithmic axis, values <= 0 are not binned
/// but counted in `outside`. When `lowerBound == upperBound` every value equal to it goes into
/// the first bin.
public struct ValueHistogram: Sendable, Equatable {
  /// How bins are spaced.
  public enum Scale: Sendable, Equatable {
    /// Equal widths in the value.
    case linear
    /// Equal widths in log10 of the value (for magnitudes spanning decades; positive values only).
    case logarithmic
  }

  /// How bins are spaced.
  public let scale: Scale
  /// The left edge of the first bin.
  public let lowerBound: Double
  /// The right edge of the last bin.
  public let upperBound: Double
  /// Values per bin.
  public private(set) var counts: [Int]
  /// Values that fell in no bin (out of range, non-finite, or <= 0 on a logarithmic axis).
  public private(set) var outside = 0

  /// An empty histogram of `bins` bins on `lowerBound...upperBound`.
  /// - Precondition: `bins > 0`, finite bounds with `lowerBound <= upperBound`, and a positive
  ///   `lowerBound` on a logarithmic axis.
  public init(scale: Scale, lowerBound: Double, upperBound: Double, bins: Int) {
    precondition(bins > 0, "ValueHistogram: bins must be positive, got \(bins)")
    precondition(
      lowerBound.isFinite && upperBound.isFinite && lowerBound <= upperBound,
      "ValueHistogram: bad range \(lowerBound)...\(upperBound)")
    precondition(
      scale == .linear || lowerBound > 0,
      "ValueHistogram: a logarithmic axis needs a positive lower bound, got \(lowerBound)")
    self.scale = scale
    self.lowerBound = lowerBound
    self.upperBound = upperBound
    counts = [Int](repeating: 0, count: bins)
  }

  /// The histogram of `values` with the range spanning their smallest and largest binnable
  /// value (finite; positive on a logarithmic axis); `[0, 1]` (or `[1, 10]`) when there is none.
  /// - Complexity: O(n).
  public init(values: some Collection<Double>, bins: Int, scale: Scale = .linear) {
    var low = Double.infinity
    var high = -Double.infinity
    for value in values where value.isFinite && (scale == .linear || value > 0) {
      low = Swift.min(low, value)
      high = Swift.max(high, value)
    }
    if low > high { (low, high) = scale == .linear ? (0, 1) : (1, 10) }
    self.init(scale: scale, lowerBound: low, upperBound: high, bins: bins)
    for value in values { add(value) }
  }

  /// Number of bins.
  public var bins: Int { counts.count }

  /// Values binned (not counting `outside`).
  public var total: Int { counts.reduce(0, +) }

  /// The `bins + 1` bin edges, `lowerBound` first and `upperBound` last (log-spaced on a
  /// logarithmic axis).
  public var edges: [Double] {
    let (low, high) = axis(lowerBound, upperBound)
    return (0...bins).map { b in
      let x = b == bins ? high : low + (high - low) * Double(b) / Double(bins)
      let value = scale == .linear ? x : Self.exp10(x)
      return b == 0 ? lowerBound : (b == bins ? upperBound : value)
    }
  }

  /// The bin of `value`, nil when it falls in none.
  public func bin(of value: Double) -> Int? {
    guard value.isFinite, scale == .linear || value > 0, value >= lowerBound, value <= upperBound else { return nil }
    let (low, high) = axis(lowerBound, upperBound)
    guard high > low else { return 0 }
    let x = scale == .linear ? value : Self.log10(value)
    return Swift.min(bins - 1, Swift.max(0, Int((x - low) / (high - low) * Double(bins))))
  }

  /// Counts `value` in its bin (or in `outside`).
  public mutating func add(_ value: Double) {
    if let b = bin(of: value) { counts[b] += 1 } else { outside += 1 }
  }

  /// Adds the counts of `other`, which must have the same scale, range and bins.
  public mutating func merge(_ other: ValueHistogram) {
    precondition(
      other.scale == scale && other.lowerBound == lowerBound && other.upperBound == upperBound && other.bins == bins,
      "ValueHistogram.merge: histograms differ in scale, range or bins")
    for b in counts.indices { counts[b] += other.counts[b] }
    outside += other.outside
  }

  private func axis(_ low: Double, _ high: Double) -> (Double, Double) {
    scale == .linear ? (low, high) : (Self.log10(low), Self.log10(high))
  }

  static func log10(_ x: Double) -> Double { Foundation.log10(x) }
  static func exp10(_ x: Double) -> Double { pow(10, x) }
}
