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

  /// The most characters kept of a line (`excerpt`): what a report shows and search reads, so
  /// the memory and the page stay bounded by the kept rows, not by the lines' lengths.
  public static let maximumContextCharacters = 1000

  /// `text`, or when it is longer than `maximumContextCharacters`, that many of its characters
  /// around its first ⟦ mark (300 before it; from the start when there is no mark), with "…"
  /// where it was cut.
  public static func excerpt(_ text: String) -> String {
    guard text.count > maximumContextCharacters else { return text }
    let mark = text.firstIndex(of: markers.open) ?? text.startIndex
    let start = text.index(mark, offsetBy: -300, limitedBy: text.startIndex) ?? text.startIndex
    let end =
      text.index(start, offsetBy: maximumContextCharacters, limitedBy: text.endIndex) ?? text.endIndex
    return (start > text.startIndex ? "…" : "") + text[start..<end] + (end < text.endIndex ? "…" : "")
  }

  /// Reads `url` in 1 MiB chunks, checks every line (no NUL byte, valid UTF-8; a final `\r` is
  /// dropped; a final newline ends the last line rather than starting an empty one) and keeps
  /// the lines of `rows`, each cut to its `excerpt`.
  /// - Throws: `LatentContextsError` naming the file: unreadable, a bad line, or a line count
  ///   other than `rowCount`.
  /// - Complexity: O(file size); memory O(longest line + kept lines).
  public static func read(_ url: URL, rowCount: Int, keeping rows: Set<Int>) throws(LatentContextsError)
    -> LatentContexts
  {
    let file = url.relativePath
    do { _ = try ArrayFileAccess.regularFile(url) } catch { throw .unreadable(file: file, reason: error.reason) }
    let handle: FileHandle
    do { handle = try FileHandle(forReadingFrom: url) } catch {
      throw .unreadable(file: file, reason: (error as NSError).localizedDescription)
    }
    defer { try? handle.close() }
    var lines = LineReader(file: file, keeping: rows)
    while true {
      let chunk: Data
      do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
        throw .unreadable(file: file, reason: (error as NSError).localizedDescription)
      }
      if chunk.isEmpty { break }
      try lines.consume(chunk)
    }
    return try lines.finish(rowCount: rowCount)
  }

  /// The contexts in the bytes of a contexts file, checked as `read(_:rowCount:keeping:)`
  /// checks a file; `file` names it in errors.
  /// - Throws: `LatentContextsError` naming `file`: a bad line, or a line count other than
  ///   `rowCount`.
  public static func decode(_ data: Data, file: String, rowCount: Int, keeping rows: Set<Int>)
    throws(LatentContextsError) -> LatentContexts
  {
    var lines = LineReader(file: file, keeping: rows)
    try lines.consume(data)
    return try lines.finish(rowCount: rowCount)
  }

  /// Splits bytes given chunk by chunk into lines, checks each and keeps those of `rows`.
  private struct LineReader {
    let file: String
    let rows: Set<Int>
    var kept = [Int: String]()
    var line = [UInt8]()
    var index = 0

    init(file: String, keeping rows: Set<Int>) { (self.file, self.rows) = (file, rows) }

    mutating func consume(_ chunk: Data) throws(LatentContextsError) {
      let result: Result<Void, LatentContextsError> = chunk.withUnsafeBytes { raw in
        Result { () throws(LatentContextsError) in try consume(raw) }
      }
      try result.get()
    }

    /// Line by line: each piece up to a newline (found with memchr) is appended whole.
    private mutating func consume(_ raw: UnsafeRawBufferPointer) throws(LatentContextsError) {
      guard let base = raw.baseAddress else { return }
      var start = 0
      while start < raw.count {
        let newline = memchr(base + start, Int32(UInt8(ascii: "\n")), raw.count - start)
        let end = newline.map { UnsafeRawPointer($0) - base } ?? raw.count
        guard line.count + (end - start) <= maximumLineBytes else {
          throw .lineTooLong(file: file, line: index + 1, limit: maximumLineBytes)
        }
        line.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: end - start))
        guard newline != nil else { return }
        try endLine()
        start = end + 1
      }
    }

    /// The contexts, after the last line (one without a final newline counts).
    mutating func finish(rowCount: Int) throws(LatentContextsError) -> LatentContexts {
      if !line.isEmpty { try endLine() }
      guard index == rowCount else { throw .lineCount(file: file, lines: index, rows: rowCount) }
      return LatentContexts(lineCount: index, lines: kept)
    }

    private mutating func endLine() throws(LatentContextsError) {
      if line.last == UInt8(ascii: "\r") { line.removeLast() }
      if line.contains(0) { throw .nulByte(file: file, line: index + 1) }
      guard let text = String(validating: line, as: UTF8.self) else { throw .invalidUTF8(file: file, line: index + 1) }
      if rows.contains(index) { kept[index] = excerpt(text) }
      index += 1
      line.removeAll(keepingCapacity: true)
    }
  }

  /// `text` without the ⟦ ⟧ marks.
  public static func unmarked(_ text: String) -> String {
    String(text.filter { $0 != markers.open && $0 != markers.close })
  }
}
