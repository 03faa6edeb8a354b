// The terminal summary of `sparsity analyze`.

import Foundation
import SparsityAnalysis
import SparsityExperiments

enum AnalyzeText {
  /// Header, one table of activation layers, dead units, the most selective units, for image
  /// networks the channel and orientation tables, and a table of weights.
  static func summary(_ subject: AnalyzeSubject) -> String {
    let analysis = subject.analysis
    var lines = [
      "\(subject.path) on \(subject.data.source) (test part, \(analysis.samples) samples, \(analysis.classes) classes), epsilon \(analysis.settings.epsilon)",
      inputLine(analysis.input), "", activationTable(analysis),
    ]
    lines += unitLists(analysis)
    lines += imageSections(analysis)
    lines += ["", weightTable(analysis.weights)]
    return lines.joined(separator: "\n")
  }

  /// The input as one line: zeros, active features per input, always-zero features.
  static func inputLine(_ input: ActivationAnalysis) -> String {
    String(
      format: "input: %ld features, zeros %@, near-zero %@, active per input mean %.1f median %g",
      input.units, percent(input.zeroFraction), percent(input.nearZeroFraction),
      input.activeUnitsPerInput.mean, input.activeUnitsPerInput.median)
      + ", never-active features \(UnitList.text(input.deadUnits))"
  }

  /// One row per activation layer.
  static func activationTable(_ analysis: NetworkAnalysis) -> String {
    var rows = [
      ["layer", "units", "zeros", "near-zero", "active/input mean", "median", "dead", "always-on", "mean selectivity"]
    ]
    for layer in analysis.activations {
      rows.append([
        "\(layer.layerIndex!) \(layer.name)", "\(layer.units)", percent(layer.zeroFraction),
        percent(layer.nearZeroFraction),
        String(format: "%.1f", layer.activeUnitsPerInput.mean), String(format: "%g", layer.activeUnitsPerInput.median),
        "\(layer.deadUnits.count)", "\(layer.alwaysOnUnits.count)",
        layer.meanSelectivity.map { String(format: "%.3f", $0) } ?? "-",
      ])
    }
    return BenchReport.aligned(rows)
  }

  /// Per activation layer: dead and always-on unit indices, the most selective units.
  static func unitLists(_ analysis: NetworkAnalysis) -> [String] {
    var lines: [String] = []
    for layer in analysis.activations {
      let name = "#\(layer.layerIndex!) \(layer.name)"
      lines.append(
        "\(name): dead units \(UnitList.text(layer.deadUnits)); always-on units \(UnitList.text(layer.alwaysOnUnits))")
      let selective = layer.mostSelectiveUnits(5).map { unit in
        let s = layer.selectivity[unit]
        return String(
          format: "%ld (%.3f, class %ld, fires on %@)", unit, s.index!, s.preferredClass!, rate(layer.firingRates[unit])
        )
      }
      if !selective.isEmpty {
        lines.append(
          "  most selective (selectivity, preferred class, firing rate): " + selective.joined(separator: ", "))
      }
    }
    return lines.isEmpty ? [] : [""] + lines
  }

  /// One row per weight matrix.
  static func weightTable(_ weights: [WeightAnalysis]) -> String {
    var rows = [["weights", "shape", "zeros", "|w| <= eps", "|w| < 1e-3", "mean |w|", "max |w|", "zero rows"]]
    for w in weights {
      rows.append([
        "\(w.layerIndex) \(w.name)", w.shape.map(String.init).joined(separator: "x"), percent(w.zeroFraction),
        percent(w.nearZeroFraction), percent(w.smallFraction), String(format: "%.4g", w.meanMagnitude),
        String(format: "%.4g", w.maximumMagnitude), "\(w.zeroRows.count)",
      ])
    }
    return BenchReport.aligned(rows)
  }

  static func percent(_ fraction: Double) -> String { String(format: "%.1f%%", fraction * 100) }

  /// A firing rate in percent with 3 significant digits, so that 1 input in 10,000 reads 0.01%.
  static func rate(_ fraction: Double) -> String { String(format: "%.3g%%", fraction * 100) }
}
