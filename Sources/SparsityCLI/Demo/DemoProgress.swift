// The progress display of `sparsity demo`: which step, which model, which epoch.

import Foundation

/// Shows `[step k/n] 12s label: detail [=====>    ]` on standard error, rewritten in place on a
/// terminal; nothing when standard error is not a terminal (the results printed on standard
/// output then show the progress, step by step).
final class DemoProgress: @unchecked Sendable {
  private let total: Int
  private let isTerminal = isatty(STDERR_FILENO) != 0
  private let started = Date()
  private var step = 0
  private var label = ""
  private var lastDrawn = ""

  init(steps: Int) { total = steps }

  /// Seconds since the demo started.
  var elapsed: Double { Date().timeIntervalSince(started) }

  /// Starts the next step, named `label`.
  func begin(_ label: String) {
    step += 1
    self.label = label
    draw("")
  }

  /// Shows `detail` and a bar of `done` of `total` units for the current step.
  func update(_ detail: String, done: Int, of count: Int) {
    guard isTerminal, count > 0 else { return }
    let width = 20
    let filled = Swift.min(width, done * width / count)
    draw("\(detail) [" + String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled) + "]")
  }

  /// Clears the line before results are printed.
  func clear() {
    guard isTerminal else { return }
    lastDrawn = ""
    FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
  }

  private func draw(_ detail: String) {
    guard isTerminal else { return }
    let text =
      "[step \(step)/\(total)] \(String(format: "%.0fs", elapsed)) \(label)" + (detail.isEmpty ? "" : ": " + detail)
    guard text != lastDrawn else { return }
    lastDrawn = text
    FileHandle.standardError.write(Data(("\r\u{1B}[2K" + text).utf8))
  }
}
