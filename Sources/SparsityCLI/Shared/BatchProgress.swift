// A progress bar for the mini-batches of an epoch, or the samples of a sparse coding.

import Foundation

/// Draws `[=====>     ] 120/469` on standard error while an epoch runs, on a terminal only;
/// when standard error is not a terminal nothing is drawn (the per-epoch lines suffice).
final class BatchProgress: @unchecked Sendable {
  private let enabled: Bool
  private let unit: String
  private var lastDrawn = -1

  /// A bar counting `unit` (batches, samples), drawn when `enabled` and standard error is a terminal.
  init(enabled: Bool, unit: String = "batches") {
    self.enabled = enabled && isatty(STDERR_FILENO) != 0
    self.unit = unit
  }

  /// Shows that `done` of `total` units are finished (redrawn at most 50 times a run).
  func update(_ done: Int, _ total: Int) {
    guard enabled, total > 0 else { return }
    let width = 30
    let filled = done * width / total
    let step = done * 50 / total
    guard step != lastDrawn || done == total else { return }
    lastDrawn = step
    let bar =
      String(repeating: "=", count: filled) + (filled < width ? ">" : "")
      + String(repeating: " ", count: Swift.max(0, width - filled - 1))
    FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total) \(unit)".utf8))
  }

  /// Erases the bar before a line is printed.
  func clear() {
    guard enabled else { return }
    lastDrawn = -1
    FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
  }
}
