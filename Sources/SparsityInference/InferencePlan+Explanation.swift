// The plan in words: per layer the shape, densities, candidate times, the choice and why.

import Foundation
import SparsityNN

extension InferencePlan {
  /// `Linear(64, 128)`, or for a convolution its token and features, `Conv2d conv:20:5x5 (784 -> 11520)`
  /// (the plan's `architecture` says which layers are convolutions).
  public func layerName(_ layer: LayerPlan) -> String {
    if let architecture = ModelArchitecture(self.architecture), architecture.layers.indices.contains(layer.layerIndex),
      case .conv2d = architecture.layers[layer.layerIndex]
    {
      return "Conv2d \(architecture.layers[layer.layerIndex].token) (\(layer.inputs) -> \(layer.outputs))"
    }
    return "Linear(\(layer.inputs), \(layer.outputs))"
  }

  /// The kernel of each Linear and Conv2d layer, e.g. `0:csr 3:csr 7:activation-skipping 9:csr`;
  /// the layers run in row bands (`csr` convolutions, an activation-skipping Linear part) as
  /// one entry, e.g. `0,3,7:row-bands(2) 9:csr`.
  public var kernelSummary: String {
    let banded = rowBands.flatMap { $0.kept ? $0 : nil }
    var entries: [String] = []
    for layer in layers {
      guard let bands = banded, (bands.firstLayer...bands.lastLayer).contains(layer.layerIndex) else {
        entries.append("\(layer.layerIndex):\(layer.kernel.name)")
        continue
      }
      let entry = ":row-bands(\(bands.bands))"
      if let last = entries.last, last.hasSuffix(entry) {
        entries[entries.count - 1] = last.dropLast(entry.count) + ",\(layer.layerIndex)" + entry
      } else {
        entries.append("\(layer.layerIndex)" + entry)
      }
    }
    return entries.joined(separator: " ")
  }

  /// A readable account of the plan: a header line, then per Linear or Conv2d layer its shape, weight and
  /// input density, every candidate's time (`csr/1t`: on one thread), the choice and the reason,
  /// then the row bands tried and the whole-model check.
  public var explanation: String {
    var lines = [header]
    for layer in layers {
      let inputDensity = layer.inputDensity.map { String(format: "%.1f%% nonzero", $0 * 100) } ?? "not measured"
      lines.append(
        String(
          format: "layer %ld %@  weights %.1f%% nonzero  inputs (from %@) %@",
          layer.layerIndex, layerName(layer), layer.weightDensity * 100, layer.inputSource, inputDensity))
      if !layer.candidates.isEmpty {
        let unit = method == .costModel ? "ms (estimated)" : "ms"
        let times = layer.candidates.map { String(format: "%@ %.4g", $0.name, $0.milliseconds) }
        lines.append("  candidates: " + times.joined(separator: ", ") + " " + unit)
      }
      let on = layer.threads.map { " on \($0) thread\($0 == 1 ? "" : "s")" } ?? ""
      lines.append("  chosen: \(layer.kernel.name)\(on) (\(layer.reason))")
    }
    if let bands = rowBands {
      lines.append(
        String(
          format: "row bands: %@ from one hand-off %.4f ms, layer by layer %.4f ms: %@", bands.summary,
          bands.bandedMilliseconds, bands.layerByLayerMilliseconds, bands.kept ? "bands kept" : "layer by layer kept"))
    }
    if let check = wholeModel {
      lines.append(
        String(
          format: "whole model: plan %.4f ms, dense (%ld thread%@) %.4f ms: %@", check.plannedMilliseconds,
          check.denseThreads,
          check.denseThreads == 1 ? "" : "s", check.denseMilliseconds,
          check.fellBack
            ? "the plan lost, every layer fell back to dense"
            : String(format: "plan kept, %.2fx", check.denseMilliseconds / check.plannedMilliseconds)))
    }
    return lines.joined(separator: "\n")
  }

  private var header: String {
    let how: String
    switch method {
    case .timed: how = "each candidate timed (median) on \(calibrationSamples) calibration samples"
    case .costModel:
      how =
        "candidates estimated by the cost model (nothing timed), densities from \(calibrationSamples) calibration samples"
    case .fixed: how = "kernels given, not chosen"
    }
    return "Plan for \(architecture) at batch \(batch), \(threads) thread\(threads == 1 ? "" : "s"): \(how)"
  }
}
