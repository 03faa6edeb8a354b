// The contexts sidecar of `sae report`: LatentContexts.decode, one line of text per row.

import Foundation
import SparsityAutoencoders

/// `LatentContexts.decode` of the input (the bytes of a contexts file): byte 0 (mod 3) says whether the expected row
/// count is the file's line count, one more or one less; the first, middle and last rows are
/// kept. When it is accepted the line count matched, and exactly the kept rows come back, each
/// without a line break or a NUL.
enum ContextsHarness: Harness {
  static let maximumLength = 4096
  static let entryPoints = "LatentContexts.decode(_:file:rowCount:keeping:) (read's line checks)"

  static func run(_ data: Data) -> Bool {
    guard let first = data.first else { return false }
    let newlines = data.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    let lines = newlines + (data.last == UInt8(ascii: "\n") ? 0 : 1)
    let rowCount = Swift.max(0, lines + Int(first % 3) - 1)
    let keeping = Set([0, rowCount / 2, rowCount - 1].filter { $0 >= 0 })
    guard let contexts = try? LatentContexts.decode(data, file: "contexts.txt", rowCount: rowCount, keeping: keeping)
    else { return false }
    precondition(contexts.lineCount == rowCount, "contexts: \(contexts.lineCount) lines for \(rowCount) rows")
    precondition(Set(contexts.lines.keys) == keeping.filter { $0 < rowCount }, "contexts: other rows kept")
    for row in keeping {
      guard let text = contexts.lines[row] else { preconditionFailure("contexts: row \(row) was not kept") }
      precondition(!text.contains("\n") && !text.contains("\0"), "contexts: row \(row) holds a line break or a NUL")
    }
    return true
  }

  /// Each starts with a byte that is 1 mod 3 ('a'), so its row count is its line count.
  static var seeds: [String: Data] {
    [
      "plain.txt": Data("a cat sat\non the mat\nand purred\n".utf8),
      "crlf.txt": Data("a ⟦token⟧ here\r\nnext line\r\nlast, no newline".utf8),
      "utf8.txt": Data("a é\n😀\n\n日本語\n".utf8),
    ]
  }
}
