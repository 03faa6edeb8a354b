// The text context of data rows (a token in its sentence), read from a sidecar file.
import Foundation
import SparsityIO

/// The contexts of some rows of a data set, from a text file with exactly one line per row
/// (e.g. `the ⟦cat⟧ sat`, the row's token between ⟦ and ⟧). Only the lines of the rows asked
/// for are kept, so memory is what those lines take, not the file.
public struct LatentContexts: Equatable, Sendable {
  /// The marks around a row's own token inside its context line.
  public static let markers: (open: Character, close: Character) = ("⟦", "⟧")

  /// Lines of the file (= rows of the data).
  public var lineCount: Int
  /// The kept lines, by row.
  public var lines: [Int: String]

  /// Contexts from kept lines.
  public init(lineCount: Int, lines: [Int: String]) {
    self.lineCount = lineCount
    self.lines = lines
  }

  /// The longest line read (16 MiB): a context is a snippet of text, and a file with no line
  /// breaks (a binary file, /dev/zero) must not be gathered into memory as one line.
  public static let maximumLineBytes = 1 << 24

  /// Reads `url` in 1 MiB chunks, checks every line (no NUL byte, valid UTF-8; a final `\r` is
  /// dropped; a final newline ends the last line rather than starting an empty one) and keeps
  /// the lines of `rows`.
  /// - Throws: `LatentContextsError` naming the file: unreadable, a bad line, or a line count
  ///   other than `rowCount`.
  /// - Complexity: O(file size); memory O(longest line + kept lines).
  public static func read(_ url: URL, rowCount: Int, keeping rows: Set<Int>) throws(LatentContextsError)
    -> LatentContexts
  {
    let file = url.relativePath
    do { _ = try ArrayFileAccess.regularFile(url) } catch {
      if case .unreadable(_, let reason) = error { throw .unreadable(file: file, reason: reason) }
      throw .unreadable(file: file, reason: error.problem)
    }
    let handle: FileHandle
    do { handle = try FileHandle(forReadingFrom: url) } catch {
      throw .unreadable(file: file, reason: (error as NSError).localizedDescription)
    }
    defer { try? handle.close() }
    var kept = [Int: String]()
    var line = [UInt8]()
    var (index, pending) = (0, false)
    func finish() throws(LatentContextsError) {
      if line.last == UInt8(ascii: "\r") { line.removeLast() }
      if line.contains(0) { throw .nulByte(file: file, line: index + 1) }
      guard let text = String(validating: line, as: UTF8.self) else { throw .invalidUTF8(file: file, line: index + 1) }
      if rows.contains(index) { kept[index] = text }
      index += 1
      line.removeAll(keepingCapacity: true)
    }
    while true {
      let chunk: Data
      do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
        throw .unreadable(file: file, reason: (error as NSError).localizedDescription)
      }
      if chunk.isEmpty { break }
      for byte in chunk {
        if byte == UInt8(ascii: "\n") {
          try finish()
          pending = false
        } else {
          guard line.count < maximumLineBytes else {
            throw .lineTooLong(file: file, line: index + 1, limit: maximumLineBytes)
          }
          line.append(byte)
          pending = true
        }
      }
    }
    if pending { try finish() }
    guard index == rowCount else { throw .lineCount(file: file, lines: index, rows: rowCount) }
    return LatentContexts(lineCount: index, lines: kept)
  }

  /// `text` without the ⟦ ⟧ marks.
  public static func unmarked(_ text: String) -> String {
    String(text.filter { $0 != markers.open && $0 != markers.close })
  }
}
