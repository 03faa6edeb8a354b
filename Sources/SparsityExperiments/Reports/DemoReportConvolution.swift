// The convolutional part of `sparsity demo`'s report: the network, its filters, its
// orientation tuning and its compiled speed.

import Foundation
import SparsityReport

/// The report sections on `DemoConvolution`.
enum DemoReportConvolution {
  /// The network with its filters and speed, then its first layer's orientation tuning.
  static func sections(_ convolution: DemoConvolution) -> [ReportSection] {
    var section = ReportSection("A convolutional network: its filters, its vertical-line units, its speed")
    let run = convolution.run
    section.paragraph(
      "The seed note's example of interpretability is a unit that fires only on images with vertical lines. "
        + "This network sees each digit as a 1×8×8 image (\(run.architecture.description)), trained with "
        + "activation L1 and 90% of its weights pruned; its first-layer filters are drawn below and each of "
        + "its first-layer units is probed with oriented gratings and bars (next section).")
    section.keyValues(
      [
        ("test accuracy", run.test.map { String(format: "%.2f%%", $0.accuracy * 100) } ?? "did not train"),
        ("zero weights", run.weightSparsity.map { String(format: "%.1f%%", $0 * 100) } ?? "-"),
        ("activation zeros (test images)", run.activationSparsity.map { String(format: "%.1f%%", $0 * 100) } ?? "-"),
        (
          "first-layer units with OSI > 0.5",
          "\(convolution.selectiveUnits.count) of \(convolution.orientation?.tuning.units.count ?? 0)"
        ),
        ("vertical-line units", UnitList.text(convolution.verticalUnits, limit: 50)),
      ])
    if let filters = AnalyzeChannels.filterImage(convolution.model) { section.image(filters) }
    if !convolution.benchmarks.isEmpty {
      section.paragraph(
        "Compiled (each convolution's kernels timed at the batch size: im2col + OpenBLAS, the direct sparse convolution, "
          + "activation skipping, both; a ReLU and a 2×2 max pool fused) against the same network run densely (im2col + OpenBLAS):"
      )
      section.table(DemoReport.speedTable(convolution.benchmarks))
    }
    section.paragraph(
      "The same network from the command line (add --out model.safetensors, then sparsity analyze and sparsity bench it):"
    )
    section.code(convolution.recipe.commandLine)
    return [section] + (convolution.orientation.map { [AnalyzeOrientation.section($0)] } ?? [])
  }
}
