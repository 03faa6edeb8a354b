// The orientation section of `sparsity analyze --report`: first-layer tuning curves and polar plots.

import Foundation
import SparsityAnalysis
import SparsityReport

/// The report section on the orientation tuning of a convolutional network's first-layer units.
enum AnalyzeOrientation {
  /// Units drawn as polar plots (those that respond at all, first ones first).
  static let polarUnits = 32

  /// The section: how the units were probed, a table, tuning curves and polar plots.
  static func section(_ orientation: OrientationAnalysis) -> ReportSection {
    let tuning = orientation.tuning
    var section = ReportSection("Orientation tuning of the first-layer units")
    let step = tuning.angles.count > 1 ? tuning.angles[1] - tuning.angles[0] : 180
    section.paragraph(
      "Each channel of layer \(tuning.layerIndex) (\(tuning.layerName), after layer \(orientation.convolutionIndex) "
        + "\(orientation.convolutionName)) is one unit. It was shown \(orientation.stimuli) "
        + "stimuli: sinusoidal gratings and thin bars at every position, at \(tuning.angles.count) orientations "
        + "\(NumberFormat.compact(step))° apart (0° horizontal, 90° vertical), drawn in the data's background "
        + "\(NumberFormat.compact(Double(orientation.background))) and foreground "
        + "\(NumberFormat.compact(Double(orientation.foreground))) (the 1st and 99th percentiles of the test inputs' values). "
        + "A unit's response to a stimulus is its channel's largest value; its tuning curve R(θ) is the largest response "
        + "at each orientation, its preferred orientation the peak, and OSI = (R(pref) − R(pref + 90°)) / (R(pref) + R(pref + 90°)) "
        + "(Hubel and Wiesel 1959; Ringach et al. 2002).")
    section.table(table(tuning))
    section.paragraph(
      "Vertical-line units (preferred orientation within \(NumberFormat.compact(tuning.verticalTolerance))° of 90°, OSI > 0.5): "
        + "\(UnitList.text(tuning.verticalUnits(), limit: 50)).")
    let responsive = tuning.units.indices.filter { tuning.units[$0].preferredAngle != nil }
    guard !responsive.isEmpty else {
      section.paragraph("No unit responds to any stimulus.")
      return section
    }
    section.figure(
      LineChart(
        title: "Tuning curves",
        xAxis: Axis("orientation", unit: "°", scale: .categories(tuning.angles.map { NumberFormat.compact($0) })),
        yAxis: Axis("response / the unit's peak"),
        series: responsive.map { unit in
          let curve = tuning.units[unit].curve.map(Double.init)
          let peak = curve.max() ?? 1
          return LineSeries(
            "unit \(unit)", x: curve.indices.map(Double.init), y: curve.map { $0 / peak },
            dashed: unit >= ChartPalette.colors.count)
        }),
      caption:
        "Each responding unit's tuning curve divided by its peak, so that units of different strength compare "
        + "(dashed once the colors repeat).")
    section.figureGrid(
      responsive.prefix(polarUnits).map { unit in
        let u = tuning.units[unit]
        return PolarChart(
          title: "unit \(unit): \(Int(u.preferredAngle!))°, OSI \(String(format: "%.2f", u.selectivity!))",
          radialAxis: Axis("response"),
          series: [PolarSeries("unit \(unit)", angles: tuning.angles, radii: u.curve.map { Double(max(0, $0)) })],
          axial: true)
      },
      caption:
        "Polar plots of the tuning curves: the distance from the centre is the response at each orientation, drawn at θ and θ + 180° "
        + "(an orientation has no direction), so a vertical-line unit draws a vertical figure eight. Negative responses are drawn as 0."
    )
    return section
  }

  /// One row per unit: preferred orientation, OSI, peak response, vertical marker.
  static func table(_ tuning: OrientationTuning) -> DataTable {
    let vertical = Set(tuning.verticalUnits())
    var table = DataTable(columns: [
      .init("unit", .number), .init("preferred orientation (°)", .number), .init("OSI", .number),
      .init("peak response", .number), .init("vertical-line unit"),
    ])
    for (index, unit) in tuning.units.enumerated() {
      table.append([
        "\(index)", unit.preferredAngle.map { NumberFormat.compact($0) } ?? "–",
        unit.selectivity.map { String(format: "%.3f", $0) } ?? "–",
        NumberFormat.compact(Double(unit.curve.max() ?? 0)), vertical.contains(index) ? "vertical" : "",
      ])
    }
    return table
  }
}
