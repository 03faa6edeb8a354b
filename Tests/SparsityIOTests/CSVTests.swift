import Foundation
import Testing

@testable import SparsityCore
@testable import SparsityIO

/// The error thrown by parsing `text`, or nil when it parses.
private func parsingError(_ text: String) -> ArrayFileError? {
  do {
    _ = try CSVFile.parse(text, file: "a.csv")
    return nil
  } catch { return error }
}

@Suite struct CSVTests {
  @Test func readsRowsOfNumbers() throws {
    let table = try CSVFile.parse("0,3.2,0\n5.1,-1e-3,0.7\n", file: "a.csv")
    #expect(table.header == nil)
    #expect(table.values == Tensor(rows: [[0, 3.2, 0], [5.1, -1e-3, 0.7]]))
  }

  @Test func singleLineGivesOneRow() throws {
    #expect(try CSVFile.parse("0,3.2,0,5.1", file: "a.csv").values.shape == [1, 4])
    #expect(try CSVFile.parse("7", file: "a.csv").values == Tensor(rows: [[7]]))
  }

  @Test func detectsHeaderRow() throws {
    let table = try CSVFile.parse("pixel0, \"pixel1\",label\n1,2,3\n", file: "a.csv")
    #expect(table.header == ["pixel0", "pixel1", "label"])
    #expect(table.values == Tensor(rows: [[1, 2, 3]]))
    // pandas writes an empty index header; it is still a header.
    #expect(try CSVFile.parse(",a,b\n0,1,2\n", file: "a.csv").header == ["", "a", "b"])
  }

  @Test func skipsBlankLinesAndHandlesCRLFWhitespaceQuotesAndBOM() throws {
    let text = "\u{FEFF}\r\n 1 ,\t2\r\n\n   \n\"3\",4\r\n"
    #expect(try CSVFile.parse(text, file: "a.csv").values == Tensor(rows: [[1, 2], [3, 4]]))
  }

  @Test func nonNumbersNameLineAndColumn() {
    #expect(parsingError("1,2,3\n4,x,6\n") == .notANumber(file: "a.csv", line: 2, column: 2, text: "x"))
    #expect(parsingError("1,x,3") == .notANumber(file: "a.csv", line: 1, column: 2, text: "x"))
    #expect(parsingError("1,2\n\n3,\n") == .notANumber(file: "a.csv", line: 3, column: 2, text: ""))
    #expect(parsingError("1,2\n\n3,\n")?.description == "a.csv: line 3, column 2: empty field")
  }

  /// A NUL byte inside a field is not the end of the number (`Float(_:)` alone reads `3\0garbage`
  /// as 3), and control characters are escaped in the message, which stays one line.
  @Test func nulBytesAndControlCharactersAreNotNumbers() {
    #expect(
      parsingError("1,2\n3\u{0}garbage,4\n") == .notANumber(file: "a.csv", line: 2, column: 1, text: "3\u{0}garbage"))
    #expect(
      parsingError("1,2\n3\u{0}garbage,4\n")?.description
        == #"a.csv: line 2, column 1: '3\u{0}garbage' is not a number"#)
    #expect(parsingError("1,2\n5\u{1b}[2J,4\n")?.description.contains(#"'5\u{1b}[2J'"#) == true)
  }

  @Test(arguments: ["nan", "NaN", "inf", "-infinity", "1e39"])
  func nonFiniteValuesAreRejected(text: String) {
    #expect(parsingError("1,2\n0,\(text)\n") == .nonFinite(file: "a.csv", line: 2, column: 2, text: text))
  }

  @Test func raggedRowsAreRejected() {
    #expect(parsingError("1,2,3\n4,5\n") == .raggedRow(file: "a.csv", line: 2, expected: 3, found: 2))
    #expect(parsingError("a,b\n1,2,3\n") == .raggedRow(file: "a.csv", line: 2, expected: 2, found: 3))
    #expect(parsingError("1,2\n3,4,5\n")?.description == "a.csv: line 2: 3 fields, expected 2 like the first row")
  }

  @Test func emptyOrHeaderOnlyHasNoData() {
    #expect(parsingError("") == .noData(file: "a.csv"))
    #expect(parsingError("\n  \n") == .noData(file: "a.csv"))
    #expect(parsingError("a,b,c\n") == .noData(file: "a.csv"))
  }

  @Test func readsFilesAndDispatchesByExtension() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("csvtests-\(UUID().uuidString).csv")
    defer { try? FileManager.default.removeItem(at: url) }
    try Data("x,y\n0,1\n2,0\n".utf8).write(to: url)
    #expect(try CSVFile.read(contentsOf: url).header == ["x", "y"])
    #expect(try Tensor(contentsOf: url) == Tensor(rows: [[0, 1], [2, 0]]))
    let text = url.deletingPathExtension().appendingPathExtension("txt")
    try Data("1\n".utf8).write(to: text)
    defer { try? FileManager.default.removeItem(at: text) }
    #expect(throws: ArrayFileError.unsupportedFormat(file: text.relativePath, pathExtension: "txt")) {
      try Tensor(contentsOf: text)
    }
  }

  /// The shipped digits data: 1,797 images of 64 pixels plus a label, no header.
  @Test(.enabled(if: FileManager.default.fileExists(atPath: "/work/shared/data/digits.csv")))
  func readsTheDigitsData() throws {
    let url = URL(fileURLWithPath: "/work/shared/data/digits.csv")
    let table = try CSVFile.read(contentsOf: url)
    #expect(table.header == nil && table.values.shape == [1797, 65])
    #expect(table.values.deadColumns() == [0, 32, 39])
  }
}
