// Warnings: one line on standard error, so standard output (tables, --json) stays as it is.

import Foundation

/// Writes warnings to standard error.
enum Warning {
  /// Writes `sparsity: MESSAGE` on standard error when there is a message.
  static func print(_ message: String?) {
    guard let message else { return }
    FileHandle.standardError.write(Data("sparsity: \(message)\n".utf8))
  }
}
