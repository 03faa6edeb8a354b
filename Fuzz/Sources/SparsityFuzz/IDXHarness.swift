// MNIST IDX files, raw or gzip-compressed: IDXFile.decodeImages and IDXFile.decodeLabels.

import Foundation
import SparsityCore
import SparsityIO

/// `IDXFile.decodeImages` and `decodeLabels` on every input: images hold count x (rows *
/// columns) whole values in 0...255, and both read back the same after writing.
enum IDXHarness: Harness {
  static let maximumLength = 4096
  static let entryPoints = "IDXFile.decodeImages, IDXFile.decodeLabels (raw and gzip)"

  static func run(_ data: Data) -> Bool {
    let images = try? IDXFile.decodeImages(data, file: "fuzz-images.idx")
    if let images {
      let (size, overflow) = images.rows.multipliedReportingOverflow(by: images.columns)
      precondition(!overflow && images.pixels.shape == [images.count, size], "IDX images: shape disagrees")
      precondition(images.pixels.scalars.allSatisfy { (0...255).contains($0) && $0.rounded() == $0 }, "IDX pixels")
      let bytes = images.pixels.scalars.map { UInt8($0) }
      let again = mustDecode("IDXFile.encodeImages") { () throws(ArrayFileError) in
        try IDXFile.decodeImages(
          IDXFile.encodeImages(bytes, count: images.count, rows: images.rows, columns: images.columns),
          file: "again-images.idx")
      }
      precondition(again == images, "IDX images round trip differs")
    }
    let labels = try? IDXFile.decodeLabels(data, file: "fuzz-labels.idx")
    if let labels {
      let again = mustDecode("IDXFile.encodeLabels") { () throws(ArrayFileError) in
        try IDXFile.decodeLabels(IDXFile.encodeLabels(labels), file: "again-labels.idx")
      }
      precondition(again == labels, "IDX labels round trip differs")
    }
    return images != nil || labels != nil
  }

  static var seeds: [String: Data] {
    let images = IDXFile.encodeImages((0..<12).map { UInt8($0 * 21) }, count: 2, rows: 3, columns: 2)
    let labels = IDXFile.encodeLabels([3, 1, 4, 1, 5, 9])
    return [
      "images.idx3": images,
      "labels.idx1": labels,
      "no-images.idx3": IDXFile.encodeImages([], count: 0, rows: 28, columns: 28),
      "images.idx3.gz": Gzip.compress(images),
      "labels.idx1.gz": Gzip.compress(labels),
    ]
  }
}
