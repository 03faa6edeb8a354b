// The text `sparsity sae` prints.

import Foundation
import SparsityAutoencoders
import SparsityBench
import SparsityCore
import SparsityExperiments
import SparsityIO

enum SAEText {
  static func trainingHeader(_ job: SAETrainingJob, data: SAETrainingJob.Data, meanSquaredNorm: Double) -> String {
    let s = job.settings
    let heldOut = data.heldOut.map { "\($0.rowCount) held-out rows" } ?? "no held-out rows"
    return """
      Sparse autoencoder \(s.objective): \(data.training.columns) inputs -> \(s.latents) latents
      Data: \(data.trainingRows.count) training rows from \(job.files.count) file(s), \(heldOut), \
      mean squared norm \(String(format: "%.4g", meanSquaredNorm))
      Training: \(s.epochs) epochs of batch \(s.batchSize), Adam lr \(String(format: "%.3g", s.baseLearningRate)), \
      seed \(s.seed)\(s.normalizesInputs ? ", rows scaled to unit mean squared norm" : "")
      Machine: \(MachineDescription.current.summary)
      """
  }

  static func epochLine(_ report: SAEEpochReport, of epochs: Int) -> String {
    var line =
      "epoch \(report.epoch + 1)/\(epochs)  train FVU "
      + (report.trainingFVU.map { String(format: "%.4f", $0) } ?? SAEEvaluation.undefinedFVU)
      + String(format: "  L0 %.1f  dead %.1f%%", report.l0, 100 * report.deadFraction)
    if report.auxFVU > 0 { line += String(format: "  aux %.3f", report.auxFVU) }
    if report.sparsityTerm > 0 { line += String(format: "  sparsity %.4f", report.sparsityTerm) }
    if let heldOut = report.heldOut {
      line +=
        "  | held-out FVU \(heldOut.fvuText)"
        + String(format: "  L0 %.1f  never fire %.1f%%", heldOut.l0, 100 * heldOut.deadFraction)
    }
    return line + String(format: "  (%.1f s)", report.seconds)
  }

  static func trainingFooter(_ result: SAETrainingResult, output: URL) -> String {
    String(
      format: "Trained in %.1f s (first pass, initialization and epochs, reading included). ", result.trainingSeconds)
      + "Wrote \(output.relativePath) (SAELens layout, \(result.autoencoder.activation.summary))"
  }

  static func evaluation(_ e: SAEEvaluation, _ autoencoder: SparseAutoencoder) -> String {
    let histogram = e.densityHistogram()
    let bars = zip(histogram.lowerEdges, histogram.bins).filter { $0.1 > 0 }.map {
      String(format: "  10^%.1f  %6ld ", $0.0, $0.1)
        + String(repeating: "#", count: Swift.min(60, $0.1 * 60 / Swift.max(1, autoencoder.latents)))
    }
    return """
      Sparse autoencoder \(autoencoder.activation.summary): \(autoencoder.inputs) inputs -> \(autoencoder.latents) latents
      Rows: \(e.rows)
      FVU: \(e.fvuText)   MSE per row: \(String(format: "%.4g", e.meanSquaredError))
      L0: \(String(format: "%.2f", e.l0)) active latents per row
      Never firing on these rows: \(histogram.neverFiring) of \(autoencoder.latents) (\(String(format: "%.1f%%", 100 * e.deadFraction)))
      Firing frequency (latents per log10 bin):
      \(bars.joined(separator: "\n"))
      """
  }

  /// The `--json` summary of a training run.
  struct TrainingSummary: Encodable {
    var objective: String
    var latents: Int
    var inputs: Int
    var epochs: [SAEEpochReport]
    var trainingSeconds: Double
    var deadFraction: Double
    var output: String

    init(_ result: SAETrainingResult, settings: SAETrainingSettings, output: URL) {
      objective = settings.objective.description
      latents = settings.latents
      inputs = result.autoencoder.inputs
      epochs = result.epochs
      trainingSeconds = result.trainingSeconds
      deadFraction = Double(result.deadLatents.count) / Double(settings.latents)
      self.output = output.relativePath
    }

    enum CodingKeys: String, CodingKey {
      case objective, latents, inputs, epochs, output
      case trainingSeconds = "training_seconds"
      case deadFraction = "dead_fraction"
    }
  }
}
