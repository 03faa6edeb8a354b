import Foundation
import SparsityCore
import SparsityTestSupport
import Testing

@testable import SparsityAutoencoders

/// Contexts files (one line per row) and the search over the top rows' contexts.
@Suite struct LatentContextsTests {
  func write(_ bytes: [UInt8], in directory: URL) throws -> URL {
    let url = directory.appendingPathComponent("contexts.txt")
    try Data(bytes).write(to: url)
    return url
  }

  @Test func keepsOnlyTheAskedLinesAndAcceptsAFinalNewlineOrNone() throws {
    let directory = try temporaryDirectory("sparsity-contexts")
    defer { try? FileManager.default.removeItem(at: directory) }
    for text in ["a ⟦b⟧\nc\r\nd ⟦e⟧ f\n", "a ⟦b⟧\nc\r\nd ⟦e⟧ f"] {
      let url = try write(Array(text.utf8), in: directory)
      let contexts = try LatentContexts.read(url, rowCount: 3, keeping: [1, 2])
      #expect(contexts.lineCount == 3)
      #expect(contexts.lines == [1: "c", 2: "d ⟦e⟧ f"])
    }
  }

  /// `decode` of the bytes is `read` of the file, whichever way the 1 MiB chunks of `read` fall.
  @Test func decodingTheBytesIsReadingTheFile() throws {
    let directory = try temporaryDirectory("sparsity-contexts")
    defer { try? FileManager.default.removeItem(at: directory) }
    let line = String(repeating: "x", count: 999) + "\r\n"
    let text = String(repeating: line, count: 1100) + "last ⟦one⟧"
    let url = try write(Array(text.utf8), in: directory)
    let read = try LatentContexts.read(url, rowCount: 1101, keeping: [0, 1049, 1100])
    let decoded = try LatentContexts.decode(
      Data(text.utf8), file: url.relativePath, rowCount: 1101, keeping: [0, 1049, 1100])
    #expect(read == decoded)
    #expect(read.lines[1100] == "last ⟦one⟧" && read.lines[1049]?.count == 999)
  }

  /// A kept line longer than `maximumContextCharacters` is cut around its mark, so what is kept
  /// (and shown) is bounded by the rows, not by the lines' lengths.
  @Test func longLinesAreKeptAsExcerptsAroundTheirMark() throws {
    let long = String(repeating: "a", count: 3000) + "⟦tok⟧" + String(repeating: "b", count: 3000)
    let contexts = try LatentContexts.decode(
      Data((long + "\nshort ⟦x⟧\n").utf8), file: "c.txt", rowCount: 2, keeping: [0, 1])
    let kept = try #require(contexts.lines[0])
    #expect(kept.hasPrefix("…") && kept.hasSuffix("…") && kept.contains("⟦tok⟧"))
    #expect(kept.count == LatentContexts.maximumContextCharacters + 2)
    #expect(kept.dropFirst().prefix(300) == String(repeating: "a", count: 300))
    #expect(contexts.lines[1] == "short ⟦x⟧")
    #expect(LatentContexts.excerpt(String(repeating: "c", count: 1500)).hasPrefix("ccc"))
  }

  @Test func aLineCountOtherThanTheRowCountIsAOneLineError() throws {
    let directory = try temporaryDirectory("sparsity-contexts")
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = try write(Array("one\ntwo\n".utf8), in: directory)
    #expect(throws: LatentContextsError.lineCount(file: url.relativePath, lines: 2, rows: 3)) {
      try LatentContexts.read(url, rowCount: 3, keeping: [])
    }
    let error = LatentContextsError.lineCount(file: "c.txt", lines: 2, rows: 3)
    #expect(error.description == "c.txt: 2 lines, but the data has 3 rows; a contexts file has one line per row")
  }

  @Test func nulBytesAndInvalidUTF8AreRejectedWithTheirLine() throws {
    let directory = try temporaryDirectory("sparsity-contexts")
    defer { try? FileManager.default.removeItem(at: directory) }
    let nul = try write(Array("ok\nbad\u{0}\n".utf8), in: directory)
    #expect(throws: LatentContextsError.nulByte(file: nul.relativePath, line: 2)) {
      try LatentContexts.read(nul, rowCount: 2, keeping: [])
    }
    let invalid = try write(Array("ok\n".utf8) + [0xC3, 0x28, 0x0A], in: directory)
    #expect(throws: LatentContextsError.invalidUTF8(file: invalid.relativePath, line: 2)) {
      try LatentContexts.read(invalid, rowCount: 2, keeping: [])
    }
  }

  @Test func searchRanksLatentsByMatchingTopContexts() {
    let statistics = LatentStatistics(
      rows: 4, firingCounts: [2, 3, 1], meanActivations: [1, 1, 1], maxActivations: [1, 1, 1],
      histograms: [LatentHistogram](repeating: LatentHistogram(upperEdge: 1, counts: [0, 0]), count: 3),
      topRows: [
        [LatentActivation(row: 0, activation: 2), LatentActivation(row: 1, activation: 1)],
        [
          LatentActivation(row: 1, activation: 3), LatentActivation(row: 2, activation: 2),
          LatentActivation(row: 3, activation: 1),
        ],
        [LatentActivation(row: 3, activation: 1)],
      ], nonzeroCount: 6)
    let contexts = LatentContexts(
      lineCount: 4, lines: [0: "the ⟦Cat⟧ sat", 1: "a c⟦at⟧ nap", 2: "dog", 3: "no CATS here"])
    let matches = LatentSearch.rank(statistics, contexts: contexts, query: "cat")
    #expect(matches.map(\.latent) == [1, 0, 2], "two matches each for 1 and 0; 1 has the larger activations")
    #expect(matches[1].rows.count == 2 && matches[0].rows.map(\.row) == [1, 3])
    #expect(matches[0].contexts == ["a c⟦at⟧ nap", "no CATS here"] && matches[0].topRowCount == 3)
    #expect(LatentSearch.rank(statistics, contexts: contexts, query: "zebra").isEmpty)
  }
}
