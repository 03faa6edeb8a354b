// The plan in words: per layer the shape, densities, candidate times, the choice and why.

import Foundation

extension InferencePlan {
  /// A readable account of the plan: a header line, then per Linear layer its shape, weight and
  /// input density, every candidate's time, the choice and the reason.
  public var explanation: String {
    var lines = [header]
    for layer in layers {
      let inputDensity = layer.inputDensity.map { String(format: "%.1f%% nonzero", $0 * 100) } ?? "not measured"
      lines.append(String(
        format: "layer %d Linear(%d, %d)  weights %.1f%% nonzero  inputs (from %@) %@",
        layer.layerIndex, layer.inputs, layer.outputs, layer.weightDensity * 100, layer.inputSource, inputDensity))
      if !layer.candidates.isEmpty {
        let unit = method == .costModel ? "ms (estimated)" : "ms"
        let times = layer.candidates.map { String(format: "%@ %.4f", $0.kernel.name, $0.milliseconds) }
        lines.append("  candidates: " + times.joined(separator: ", ") + " " + unit)
      }
      lines.append("  chosen: \(layer.kernel.name) (\(layer.reason))")
    }
    return lines.joined(separator: "\n")
  }

  private var header: String {
    let how: String
    switch method {
    case .timed: how = "each candidate timed (median) on \(calibrationSamples) calibration samples"
    case .costModel: how = "candidates estimated by the cost model (nothing timed), densities from \(calibrationSamples) calibration samples"
    case .fixed: how = "kernels given, not chosen"
    }
    return "Plan for \(architecture) at batch \(batch), \(threads) thread\(threads == 1 ? "" : "s"): \(how)"
  }
}
