// What every chart shares: rendering to SVG, axes with titles and units, size, colors.

/// A chart that renders itself as a standalone SVG element (valid XML, no scripts, no external
/// resources), ready to be inlined into an HTML page or saved as an `.svg` file.
public protocol SVGChart: Sendable {
  /// The chart's title, also its accessible name.
  var title: String { get }
  /// The chart as one `<svg>` element with an `xmlns` attribute.
  func svg() -> String
}

/// How values map onto an axis.
public enum AxisScale: Sendable, Equatable {
  /// Equal distances for equal differences; ticks at 1, 2 or 5 times a power of ten.
  case linear
  /// Equal distances for equal ratios (base 10); values <= 0 are skipped with a note.
  case logarithmic
  /// One slot per label: the value `i` (0, 1, 2, ...) sits at label `i`. For sweeps over
  /// settings such as `0, 1e-4, 1e-3` that neither scale shows well.
  case categories([String])
}

/// One axis of a chart: its title, unit and scale.
public struct Axis: Sendable, Equatable {
  /// What the axis shows, e.g. "test accuracy".
  public var title: String
  /// The unit shown after the title in parentheses, e.g. "%"; nil for none.
  public var unit: String?
  /// How values map onto the axis.
  public var scale: AxisScale
  /// A fixed range; nil to fit the data (widened to round tick values).
  public var range: ClosedRange<Double>?
  /// When fitting the data on a linear scale, widen the range to include 0 (for counts, bars).
  public var includesZero: Bool

  /// An axis; see the properties for the parameters.
  public init(
    _ title: String, unit: String? = nil, scale: AxisScale = .linear, range: ClosedRange<Double>? = nil,
    includesZero: Bool = false
  ) {
    if let range { precondition(range.lowerBound.isFinite && range.upperBound.isFinite, "Axis: range must be finite") }
    self.title = title
    self.unit = unit
    self.scale = scale
    self.range = range
    self.includesZero = includesZero
  }

  /// The axis title with its unit: `test accuracy (%)`.
  public var label: String {
    guard let unit, !unit.isEmpty else { return title }
    return "\(title) (\(unit))"
  }
}

/// The pixel size of a chart.
public struct ChartSize: Sendable, Equatable {
  /// Width in CSS pixels.
  public var width: Double
  /// Height in CSS pixels.
  public var height: Double

  /// A size of `width` x `height` CSS pixels; both at least 200 x 150 so axes and labels fit.
  public init(width: Double, height: Double) {
    precondition(
      width >= 200 && height >= 150 && width.isFinite && height.isFinite,
      "ChartSize: at least 200x150 pixels, got \(width)x\(height)")
    self.width = width
    self.height = height
  }

  /// 980 x 500, the default: as wide as the report's text column, so a chart fills it at its
  /// natural size (pages scale charts to the column, see `ReportStyle`).
  public static let standard = ChartSize(width: ReportStyle.columnWidth, height: 500)
  /// 980 x 240, for strips and heat maps.
  public static let wide = ChartSize(width: ReportStyle.columnWidth, height: 240)
}

/// The colors of data series, in order: the Okabe-Ito palette, distinguishable with the common
/// kinds of color blindness (yellow left out, it is unreadable on white).
///
/// Reference: M. Okabe and K. Ito, "Color Universal Design (CUD): How to make figures and
/// presentations that are friendly to colorblind people" (2002), https://jfly.uni-koeln.de/color/
public enum ChartPalette {
  /// Blue, vermillion, bluish green, reddish purple, orange, sky blue, black.
  public static let colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]

  /// The color of series `index` (cycling through `colors`).
  public static func color(_ index: Int) -> String { colors[((index % colors.count) + colors.count) % colors.count] }
}
