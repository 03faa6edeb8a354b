// Reading comma-separated numbers into a matrix, with an optional header row.

import Foundation
import SparsityCore

/// A matrix read from a CSV file, with the header row's column names when it had one.
public struct CSVTable: Sendable, Equatable {
  /// Column names from the header row; nil when the first row was data.
  public var header: [String]?
  /// The numbers, rows x columns (a single data line gives a 1 x n matrix).
  public var values: Tensor
}

/// Comma-separated numbers, one row a line.
///
/// Rules:
/// - Fields are separated by `,`; spaces and tabs around a field and one pair of surrounding
///   double quotes are ignored. Quoted fields may not contain commas.
/// - Lines end with `\n` or `\r\n`; blank lines are skipped; a UTF-8 byte order mark is ignored.
/// - The first non-blank line is a header when none of its fields is a number (empty fields
///   aside), e.g. `pixel0,pixel1,label`. Otherwise it is data.
/// - Every row, header included, must have as many fields as the first one.
/// - Each data field must be a decimal or hexadecimal number that is finite in float32.
/// Line and column numbers in errors count from 1 and include blank lines.
public enum CSVFile {
  /// Reads the CSV file at `url`.
  /// - Throws: `ArrayFileError` naming the file, and the line and column of a bad field.
  /// - Complexity: O(file size).
  public static func read(contentsOf url: URL) throws(ArrayFileError) -> CSVTable {
    try parse(ArrayFileAccess.contents(of: url), file: url.relativePath)
  }

  /// Parses CSV text; `file` names it in errors.
  public static func parse(_ text: String, file: String) throws(ArrayFileError) -> CSVTable {
    try parse(Data(text.utf8), file: file)
  }

  /// Parses the bytes of a CSV file; `file` names it in errors.
  public static func parse(_ data: Data, file: String) throws(ArrayFileError) -> CSVTable {
    var bytes = [UInt8](data)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    var header: [String]?
    var values: [Float] = []
    var columns: Int?
    var rows = 0
    var lineNumber = 0
    var start = 0
    while start < bytes.count {
      let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
      lineNumber += 1
      defer { start = end + 1 }
      let fields = splitFields(bytes[start..<end])
      if fields.count == 1 && fields[0].isEmpty { continue }  // blank line
      if let expected = columns, fields.count != expected {
        throw .raggedRow(file: file, line: lineNumber, expected: expected, found: fields.count)
      }
      if columns == nil {
        columns = fields.count
        if isHeader(fields) {
          header = fields
          continue
        }
      }
      for (index, field) in fields.enumerated() {
        values.append(try number(field, file: file, line: lineNumber, column: index + 1))
      }
      rows += 1
    }
    guard let width = columns, rows > 0 else { throw .noData(file: file) }
    return CSVTable(header: header, values: Tensor(shape: [rows, width], scalars: values))
  }

  /// The trimmed, unquoted fields of one line (without its `\n`).
  private static func splitFields(_ line: ArraySlice<UInt8>) -> [String] {
    line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { raw in
      var field = raw
      let blank: Set<UInt8> = [0x20, 0x09, 0x0D]
      while let first = field.first, blank.contains(first) { field.removeFirst() }
      while let last = field.last, blank.contains(last) { field.removeLast() }
      if field.count >= 2, field.first == 0x22, field.last == 0x22 { field = field.dropFirst().dropLast() }
      return String(decoding: field, as: UTF8.self)
    }
  }

  /// A row is a header when none of its non-empty fields parses as a number.
  private static func isHeader(_ fields: [String]) -> Bool {
    fields.contains { !$0.isEmpty } && fields.allSatisfy { $0.isEmpty || $0.utf8.contains(0) || Float($0) == nil }
  }

  /// The finite float32 value of a field. A NUL byte anywhere makes it not a number: Swift's
  /// `Float(_:)` reads through C and would stop there (`3\0garbage` would read as 3).
  private static func number(_ field: String, file: String, line: Int, column: Int) throws(ArrayFileError) -> Float {
    guard !field.utf8.contains(0), let value = Float(field) else {
      throw .notANumber(file: file, line: line, column: column, text: field)
    }
    guard value.isFinite else { throw .nonFinite(file: file, line: line, column: column, text: field) }
    return value
  }
}
