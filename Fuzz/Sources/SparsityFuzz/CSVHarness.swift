// Comma-separated numbers: CSVFile.parse.

import Foundation
import SparsityCore
import SparsityIO

/// `CSVFile.parse`: a rows x columns matrix of finite numbers (a header as wide as it), and the
/// numbers written back as CSV read the same, bit for bit.
enum CSVHarness: Harness {
  static let maximumLength = 4096
  static let entryPoints = "CSVFile.parse"

  static func run(_ data: Data) -> Bool {
    guard let table = try? CSVFile.parse(data, file: "fuzz.csv") else { return false }
    let shape = table.values.shape
    precondition(shape.count == 2 && shape[0] >= 1 && shape[1] >= 1, "CSV: shape \(shape)")
    precondition(table.header.map { $0.count == shape[1] } ?? true, "CSV: header width differs")
    precondition(table.values.scalars.allSatisfy(\.isFinite), "CSV: a non-finite value")
    let text = (0..<shape[0]).map { row in
      table.values.scalars[(row * shape[1])..<((row + 1) * shape[1])].map { "\($0)" }.joined(separator: ",")
    }.joined(separator: "\n")
    let again = mustDecode("CSV written back") { () throws(ArrayFileError) in try CSVFile.parse(text, file: "again.csv")
    }
    precondition(again.values.shape == shape && sameBits(again.values.scalars, table.values.scalars), "CSV round trip")
    return true
  }

  static var seeds: [String: Data] {
    [
      "header.csv": Data("pixel0,pixel1,label\n0.5,1e-3,3\n-2, 0x1p-3 ,1\n".utf8),
      "quoted-crlf.csv": Data("\u{FEFF}\"a\",\"b\"\r\n\r\n1,\"2\"\r\n".utf8),
      "numbers.csv": Data("1,2,3\n4,5,6\n\n7,8,9".utf8),
    ]
  }
}
