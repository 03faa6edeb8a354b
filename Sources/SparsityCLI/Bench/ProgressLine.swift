// A one-line progress display on standard error.

import Foundation

/// Shows "[k/n] label" on standard error: rewritten in place on a terminal, one plain line per
/// step otherwise, nothing when disabled (for example with --json, to keep stdout clean of it).
final class ProgressLine: @unchecked Sendable {
  private let total: Int
  private let enabled: Bool
  private let isTerminal = isatty(STDERR_FILENO) != 0
  private var done = 0
  private let started = Date()

  init(total: Int, enabled: Bool = true) {
    self.total = total
    self.enabled = enabled
  }

  /// Records one finished step named `label`.
  func advance(_ label: String) {
    done += 1
    guard enabled else { return }
    let elapsed = String(format: "%.0fs", Date().timeIntervalSince(started))
    let text = "[\(done)/\(total)] \(elapsed) \(label)"
    write(isTerminal ? "\r\u{1B}[2K" + text : text + "\n")
  }

  /// Ends the display (clears the line on a terminal).
  func finish() {
    if enabled && isTerminal { write("\r\u{1B}[2K") }
  }

  private func write(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }
}
