// Fitting an axis to data: the range, round tick values and their labels, and value -> pixel.

import Foundation

/// An axis fitted to data: the range in scale space (log10 of values on a logarithmic axis,
/// slot numbers on a categorical one), the ticks, and the map from values to pixels.
///
/// Linear ticks are spaced 1, 2 or 5 times a power of ten and the range is widened to whole
/// ticks ("nice numbers"); logarithmic ticks sit at powers of ten.
/// Reference: P. S. Heckbert, "Nice Numbers for Graph Labels", Graphics Gems (1990), pp. 61-63.
struct AxisMapping {
  /// The lower end of the range in scale space.
  let lower: Double
  /// The upper end of the range in scale space.
  let upper: Double
  /// Tick positions in data space with their labels.
  let ticks: [(value: Double, label: String)]
  let scale: AxisScale

  /// The axis fitted to `values` (non-finite values ignored; on a log axis values <= 0 too).
  static func fit(_ axis: Axis, values: [Double], maxTicks: Int = 6) -> AxisMapping {
    switch axis.scale {
    case .linear: return linear(axis, values: values.filter(\.isFinite), maxTicks: maxTicks)
    case .logarithmic: return logarithmic(axis, values: values.filter { $0.isFinite && $0 > 0 }, maxTicks: maxTicks)
    case .categories(let labels): return categorical(labels, maxTicks: max(maxTicks, 12))
    }
  }

  /// `value` in scale space, or nil when the scale cannot show it (non-finite, <= 0 on a log axis).
  func transform(_ value: Double) -> Double? {
    guard value.isFinite else { return nil }
    switch scale {
    case .linear, .categories: return value
    case .logarithmic: return value > 0 ? log10(value) : nil
    }
  }

  /// The pixel of `value` on a segment from `start` (at `lower`) to `end` (at `upper`), clamped
  /// to the segment; nil when the scale cannot show the value.
  func pixel(_ value: Double, from start: Double, to end: Double) -> Double? {
    guard let t = transform(value) else { return nil }
    let fraction = upper > lower ? (t - lower) / (upper - lower) : 0.5
    return start + min(1, max(0, fraction)) * (end - start)
  }

  private static func linear(_ axis: Axis, values: [Double], maxTicks: Int) -> AxisMapping {
    var low = values.min() ?? 0
    var high = values.max() ?? 1
    if axis.includesZero {
      low = min(low, 0)
      high = max(high, 0)
    }
    if let range = axis.range { (low, high) = (range.lowerBound, range.upperBound) }
    if high <= low {
      let pad = low == 0 ? 1 : abs(low) * 0.05
      (low, high) = (low - (axis.includesZero && low >= 0 ? 0 : pad), high + pad)
    }
    var step = niceStep((high / 2 - low / 2) / Double(max(1, maxTicks - 1)) * 2)
    // Whole-number data (epochs, counts) gets whole-number ticks.
    if axis.range == nil, step < 1, high - low >= 1, !values.isEmpty, values.allSatisfy({ $0 == $0.rounded() }) {
      step = 1
    }
    let fixed = axis.range != nil
    let first = fixed ? ceil(low / step - 1e-9) : floor(low / step + 1e-9)
    let last = fixed ? floor(high / step + 1e-9) : ceil(high / step - 1e-9)
    guard first.isFinite, last.isFinite, last - first <= 100, (last * step).isFinite, (first * step).isFinite else {
      // Extreme magnitudes (near the float range or its resolution): label the ends only.
      return AxisMapping(
        lower: low, upper: high, ticks: [(low, NumberFormat.compact(low)), (high, NumberFormat.compact(high))],
        scale: .linear)
    }
    let ticks = stride(from: first, through: last, by: 1).map { k -> (value: Double, label: String) in
      (k * step, NumberFormat.tick(k * step, step: step))
    }
    return AxisMapping(
      lower: fixed ? low : first * step, upper: fixed ? high : last * step, ticks: ticks, scale: .linear)
  }

  private static func logarithmic(_ axis: Axis, values: [Double], maxTicks: Int) -> AxisMapping {
    var low: Double
    var high: Double
    if let range = axis.range {
      precondition(range.lowerBound > 0, "Axis: a logarithmic range must be positive, got \(range)")
      (low, high) = (log10(range.lowerBound), log10(range.upperBound))
    } else {
      low = floor(log10(values.min() ?? 1))
      high = ceil(log10(values.max() ?? 10))
    }
    if high <= low { high = low + 1 }
    let decades = Int(ceil(high) - floor(low))
    let every = max(1, Int(ceil(Double(decades) / Double(max(1, maxTicks - 1)))))
    let ticks = stride(from: ceil(low - 1e-9), through: floor(high + 1e-9), by: Double(every)).map {
      e -> (value: Double, label: String) in
      let value = pow(10, e)
      return (value, NumberFormat.compact(value))
    }
    return AxisMapping(lower: low, upper: high, ticks: ticks, scale: .logarithmic)
  }

  private static func categorical(_ labels: [String], maxTicks: Int) -> AxisMapping {
    let every = max(1, Int(ceil(Double(labels.count) / Double(maxTicks))))
    let ticks = labels.indices.filter { $0 % every == 0 }.map { (value: Double($0), label: labels[$0]) }
    return AxisMapping(
      lower: -0.5, upper: max(0.5, Double(labels.count) - 0.5), ticks: ticks, scale: .categories(labels))
  }

  /// The smallest of 1, 2, 5 times a power of ten that is at least `rough`.
  static func niceStep(_ rough: Double) -> Double {
    guard rough.isFinite, rough > 0 else { return 1 }
    let power = pow(10, floor(log10(rough)))
    let fraction = rough / power
    let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
    return nice * power
  }
}
