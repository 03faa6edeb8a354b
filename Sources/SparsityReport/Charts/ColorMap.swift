// Mapping numbers to colors for heat maps: a perceptually uniform ramp.

/// A sequential color ramp for heat maps, sampled from matplotlib's "viridis" (dark purple for
/// low values through blue and green to yellow for high ones), perceptually uniform and readable
/// in gray scale and with color blindness.
///
/// Reference: S. van der Walt and N. Smith, "A better default colormap for Matplotlib" (SciPy
/// 2015); the stops below are viridis at 0, 1/8, ..., 1.
public enum ColorMap {
  private static let stops: [(Double, Double, Double)] = [
    (68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141),
    (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37),
  ]

  /// The color of `fraction` in 0...1 (clamped) as `#rrggbb`, linearly interpolated between stops;
  /// a non-finite fraction is light gray `#cccccc`.
  /// - Complexity: O(1).
  public static func viridis(_ fraction: Double) -> String {
    guard fraction.isFinite else { return "#cccccc" }
    let (r, g, b) = channels(fraction)
    return "#" + [r, g, b].map { hex(Int($0.rounded())) }.joined()
  }

  /// The red, green and blue intensities (0...1) of `fraction` in 0...1 (clamped), as
  /// `viridis(_:)` colors it, for raster images; a non-finite fraction is light gray.
  /// - Complexity: O(1).
  public static func viridisComponents(_ fraction: Double) -> (Double, Double, Double) {
    guard fraction.isFinite else { return (0.8, 0.8, 0.8) }
    let (r, g, b) = channels(fraction)
    return (r / 255, g / 255, b / 255)
  }

  /// The 0...255 channels of a finite `fraction`, interpolated between the stops.
  private static func channels(_ fraction: Double) -> (Double, Double, Double) {
    let t = min(1, max(0, fraction)) * Double(stops.count - 1)
    let i = min(stops.count - 2, Int(t))
    let f = t - Double(i)
    let (a, b) = (stops[i], stops[i + 1])
    return (a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f, a.2 + (b.2 - a.2) * f)
  }

  private static func hex(_ value: Int) -> String {
    let digits = Array("0123456789abcdef")
    let v = min(255, max(0, value))
    return String([digits[v / 16], digits[v % 16]])
  }
}
