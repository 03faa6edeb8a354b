// The image-network parts of the `sparsity analyze` summary: channel tables and orientation tuning.

import Foundation
import SparsityAnalysis
import SparsityExperiments

extension AnalyzeText {
  /// Channels listed per image layer; the rest are in `--json` and the report.
  static let listedChannels = 16

  /// One channel table per image-shaped activation layer and the orientation table; no lines
  /// for networks of flat features.
  static func imageSections(_ analysis: NetworkAnalysis) -> [String] {
    var lines: [String] = []
    for layer in analysis.channels { lines += [""] + channelTable(layer) }
    if let orientation = analysis.orientation { lines += [""] + orientationTable(orientation) }
    return lines
  }

  /// A heading line, then one row per channel (at most `listedChannels`).
  static func channelTable(_ layer: ChannelAnalysis) -> [String] {
    let shape = layer.shape
    var lines = [
      "channels of #\(layer.layerIndex) \(layer.name) (\(shape.channels)x\(shape.rows)x\(shape.columns)): zeros \(percent(layer.zeroFraction)), "
        + "dead channels \(UnitList.text(layer.deadChannels)), always-on channels \(UnitList.text(layer.alwaysOnChannels))"
    ]
    var rows = [["channel", "zeros", "active pixels", "firing", "mean", "selectivity", "class", "top input"]]
    for k in 0..<min(layer.channels, listedChannels) {
      let selectivity = layer.selectivity.isEmpty ? nil : layer.selectivity[k]
      rows.append([
        "\(k)", percent(layer.zeroFractions[k]), percent(layer.activePixelFractions[k]), rate(layer.firingRates[k]),
        String(format: "%.4g", layer.meanActivations[k]), selectivity?.index.map { String(format: "%.3f", $0) } ?? "-",
        selectivity?.preferredClass.map(String.init) ?? "-",
        layer.topInputs[k].first.map { "\($0.input) (\(String(format: "%.3g", $0.value)))" } ?? "-",
      ])
    }
    lines.append(BenchReport.aligned(rows))
    if layer.channels > listedChannels {
      lines.append("... \(layer.channels - listedChannels) more channels (see --json or --report)")
    }
    return lines
  }

  /// How the units were probed, one row per unit, and the vertical-line units.
  static func orientationTable(_ orientation: OrientationAnalysis) -> [String] {
    let tuning = orientation.tuning
    let vertical = tuning.verticalUnits()
    var lines = [
      String(
        format: "orientation tuning of #%ld %@ (after #%ld %@): %ld gratings and bars at %ld orientations, in %@ to %@ "
          + "(1st and 99th percentiles of the inputs)",
        tuning.layerIndex, tuning.layerName, orientation.convolutionIndex, orientation.convolutionName,
        orientation.stimuli, tuning.angles.count,
        String(format: "%.3g", orientation.background), String(format: "%.3g", orientation.foreground))
    ]
    var rows = [["unit", "preferred", "OSI", "peak", ""]]
    for (index, unit) in tuning.units.enumerated() {
      rows.append([
        "\(index)", unit.preferredAngle.map { String(format: "%g°", $0) } ?? "-",
        unit.selectivity.map { String(format: "%.3f", $0) } ?? "-",
        String(format: "%.3g", unit.curve.max() ?? 0), vertical.contains(index) ? "vertical" : "",
      ])
    }
    lines.append(BenchReport.aligned(rows))
    lines.append(
      "vertical-line units (within \(String(format: "%g", tuning.verticalTolerance))° of 90°, OSI > 0.5): "
        + UnitList.text(vertical))
    return lines
  }
}
