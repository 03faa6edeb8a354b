// The text form of a sparse coding summary, for `sparsity code`.

import Foundation
import SparsityExperiments

extension CodeSummary {
  /// The human-readable summary: `keyValues` in two columns.
  var text: String {
    keyValues.map { name, value in name.padding(toLength: 19, withPad: " ", startingAt: 0) + value }
      .joined(separator: "\n")
  }

  /// The summary as (name, value) lines, for the text and for a report.
  var keyValues: [(String, String)] {
    let lines = [
      ("samples", "\(samples)"),
      ("atoms", "\(atoms)"),
      ("solver", solver),
      ("nonzeros/sample", "mean \(format(meanNonzeros)), min \(minNonzeros), max \(maxNonzeros)"),
      ("zero fraction", format(zeroFraction)),
      ("relative error", "\(format(relativeError))  (||X - A D||_F / ||X||_F)"),
      ("mean objective", format(meanObjective)),
      ("not converged", "\(nonConverged) of \(samples)"),
      ("seconds", "\(format(solverSeconds)) solver, \(format(totalSeconds)) total"),
    ]
    guard let sound else { return lines }
    return lines + [
      (
        "sound",
        "\(sound.frames) frames, \(format(sound.seconds)) s, \(format(sound.nonzerosPerSecond)) nonzeros/s"
      ),
      (
        "SNR, frames",
        "\(decibels(sound.frameSNR)) code, \(decibels(sound.dctFrameSNR)) DCT with as many coefficients per frame"
      ),
      ("SNR, signal", "\(decibels(sound.signalSNR)) code, \(decibels(sound.dctSignalSNR)) DCT (overlap-added)"),
    ]
  }

  /// `value` in decibels with 2 decimals.
  private func decibels(_ value: Double) -> String {
    value.isFinite ? String(format: "%.2f dB", value) : (value > 0 ? "exact" : "\(value) dB")
  }

  /// `value` rounded to 6 decimals.
  private func format(_ value: Double) -> String { "\((value * 1e6).rounded() / 1e6)" }
}
