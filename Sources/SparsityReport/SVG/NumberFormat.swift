// Compact, locale-independent number text for tick labels, tables and captions.

import Foundation

/// Short, locale-independent renderings of numbers for charts and tables.
public enum NumberFormat {
  /// `value` with at most `significantDigits` significant digits and no trailing zeros:
  /// `0`, `0.25`, `1234`, `98.05`; scientific notation (`1e-4`, `2.5e+06` written `2.5e6`) when
  /// `|value| < 1e-3` or `|value| >= 1e6`; `NaN`, `inf`, `-inf` for non-finite values.
  /// - Complexity: O(1).
  public static func compact(_ value: Double, significantDigits: Int = 4) -> String {
    precondition(
      significantDigits >= 1 && significantDigits <= 17, "NumberFormat.compact: significantDigits must be in 1...17")
    guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "inf" : "-inf") }
    if value == 0 { return "0" }
    let magnitude = abs(value)
    if magnitude < 1e-3 || magnitude >= 1e6 { return scientific(value, significantDigits: significantDigits) }
    let exponent = Int(floor(log10(magnitude)))
    let decimals = max(0, significantDigits - 1 - exponent)
    return trimmed(String(format: "%.\(decimals)f", value))
  }

  /// `value` in scientific notation with a short exponent: `1e-4`, `-2.5e6`, `3.142e-5`.
  public static func scientific(_ value: Double, significantDigits: Int = 4) -> String {
    guard value.isFinite, value != 0 else { return compact(value) }
    let text = String(format: "%.\(max(0, significantDigits - 1))e", value)
    guard let e = text.firstIndex(of: "e") else { return text }
    let mantissa = trimmed(String(text[..<e]))
    let exponent = Int(text[text.index(after: e)...]) ?? 0
    return "\(mantissa)e\(exponent)"
  }

  /// `fraction` (0.5) as a percentage with `decimals` decimals: `50.0%`.
  public static func percent(_ fraction: Double, decimals: Int = 1) -> String {
    guard fraction.isFinite else { return compact(fraction) }
    return String(format: "%.\(max(0, decimals))f%%", fraction * 100)
  }

  /// A byte count in binary units: `12.5 KiB` below one MiB, `4.20 MiB` from it on.
  public static func bytes(_ count: Int) -> String {
    count >= 1 << 20
      ? String(format: "%.2f MiB", Double(count) / Double(1 << 20)) : String(format: "%.1f KiB", Double(count) / 1024)
  }

  /// Tick label for `value` on an axis whose ticks are `step` apart: just enough decimals to
  /// tell neighbouring ticks apart (`0.25`, `0.5`, `0.75`), scientific for tiny or huge values.
  static func tick(_ value: Double, step: Double) -> String {
    guard value.isFinite, step.isFinite, step > 0 else { return compact(value) }
    if abs(value) < step * 1e-9 { return "0" }
    let largest = max(abs(value), step)
    if largest >= 1e6 || step < 1e-3 { return scientific(value, significantDigits: 3) }
    var decimals = max(0, -Int(floor(log10(step) + 1e-9)))
    while decimals < 12, abs((step * pow(10, Double(decimals))).rounded() - step * pow(10, Double(decimals))) > 1e-6 {
      decimals += 1
    }
    return trimmed(String(format: "%.\(decimals)f", value))
  }

  /// Removes trailing zeros after a decimal point (and the point itself when nothing is left).
  private static func trimmed(_ text: String) -> String {
    guard text.contains(".") else { return text }
    var out = Substring(text)
    while out.hasSuffix("0") { out = out.dropLast() }
    if out.hasSuffix(".") { out = out.dropLast() }
    return out == "-0" ? "0" : String(out)
  }
}
