// Hostile input files for the bad-input tests, built byte by byte: headers that nest, overflow,
// promise more than they hold, or inflate to gigabytes.

import Foundation
import SparsityCore
import SparsityIO

/// The bytes of hostile files in the formats `sparsity` reads, and of the valid files around them.
enum HostileFiles {
  /// A `.npy` file of format version 2.0 (a 4-byte header length) with `header` as its header
  /// text, unpadded, followed by `data`.
  static func npy(header: String, data: Data = Data()) -> Data {
    let text = Data(header.utf8)
    var out = Data([0x93] + Array("NUMPY".utf8) + [2, 0])
    withUnsafeBytes(of: UInt32(text.count).littleEndian) { out.append(contentsOf: $0) }
    return out + text + data
  }

  /// The header of a float32 C-order `.npy` file of `shape`, as Python writes the tuple.
  static func npyHeader(shape: String) -> String {
    "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }\n"
  }

  /// A safetensors file: `length` (else the length of `header`) as a little-endian `UInt64`,
  /// `header`, then `data`.
  static func safetensors(header: String, data: Data = Data(), length: UInt64? = nil) -> Data {
    var out = Data()
    withUnsafeBytes(of: (length ?? UInt64(header.utf8.count)).littleEndian) { out.append(contentsOf: $0) }
    return out + Data(header.utf8) + data
  }

  /// The architecture of `model`: Linear(64, 10), as the digits (64 features, 10 classes) need.
  static let architecture =
    #"{"input_features":64,"layers":[{"kind":"linear","bias":true,"in_features":64,"out_features":10}]}"#

  /// A model file `sparsity` loads: `architecture`, weights and biases of zeros, and the
  /// metadata `format`, `format_version` and `architecture`, each replaced by `metadata` when it
  /// names it (others added).
  static func model(metadata: [String: String] = [:]) -> Data {
    let standard = ["format": "pt", "format_version": "1", "architecture": architecture]
    let file = SafetensorsFile(
      tensors: ["0.weight": Tensor(zeros: [10, 64]), "0.bias": Tensor(zeros: [10])],
      metadata: standard.merging(metadata) { $1 })
    return file.encoded()
  }

  /// A plan for `model` in the layout `sparsity compile --out` writes; `batch` is the literal text
  /// of its batch size.
  static func plan(batch: String = "1") -> Data {
    Data(
      """
      {"architecture": "64-10", "batch": \(batch), "calibration_samples": 8, "format": "sparsity-inference-plan",
       "format_version": 1, "method": "cost-model", "threads": 1,
       "layers": [{"candidates": [{"kernel": "dense", "milliseconds": 0.001}], "input_density": 0.5,
                   "input_source": "data", "inputs": 64, "kernel": "dense", "layer_index": 0, "outputs": 10,
                   "reason": "only dense", "weight_density": 1}]}
      """.utf8)
  }

  /// JSON arrays nested `depth` deep: `[[[...]]]`.
  static func nestedArrays(_ depth: Int) -> String {
    String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
  }

  /// Seeded normal values, rows x columns, as a float32 `.npy` file; with `unitRows`, every row
  /// scaled to unit L2 norm (a dictionary).
  static func matrix(rows: Int, columns: Int, unitRows: Bool = false, seed: UInt64 = 1) -> Data {
    var generator = Xoshiro256StarStar(seed: seed)
    var scalars = (0..<rows * columns).map { _ in generator.normal() }
    for row in 0..<rows where unitRows {
      let norm = scalars[(row * columns)..<((row + 1) * columns)].reduce(0) { $0 + $1 * $1 }.squareRoot()
      for column in 0..<columns { scalars[row * columns + column] /= norm }
    }
    return NPYFile.encode(Tensor(shape: [rows, columns], scalars: scalars))
  }

  /// A non-interlaced gray PNG: an IHDR of `width` x `height` at `bitDepth` bits, one IDAT chunk
  /// holding `imageData` (zlib data, not checked against the size), IEND.
  static func png(width: UInt32, height: UInt32, bitDepth: UInt8 = 8, imageData: Data) -> Data {
    func bigEndian(_ value: UInt32) -> Data { withUnsafeBytes(of: value.bigEndian) { Data($0) } }
    func chunk(_ type: String, _ data: Data) -> Data {
      let typeAndData = Data(type.utf8) + data
      return bigEndian(UInt32(data.count)) + typeAndData + bigEndian(Gzip.crc32(typeAndData))
    }
    let header = bigEndian(width) + bigEndian(height) + Data([bitDepth, 0, 0, 0, 0])
    return Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + chunk("IHDR", header)
      + chunk("IDAT", imageData) + chunk("IEND", Data())
  }

  /// A legal 32768 x 32768 PNG (1-bit gray, all black) of about 130 KB: 2^30 pixels.
  static let hugeLegalPNG = png(
    width: 32768, height: 32768, bitDepth: 1, imageData: Gzip.compress(Data(count: 32768 * 4097), format: .zlib))

  /// A 64 x 64 gray PNG of a fixed pattern, to cut patches from.
  static let smallPNG = PNGFile.encode(
    GrayImage(width: 64, height: 64, pixels: (0..<4096).map { Float(($0 * 7_919) % 251) / 250 }))

  /// The big-endian header of an unsigned-byte IDX3 file of `count` images of `rows` x `columns`.
  static func idx3Header(count: UInt32, rows: UInt32, columns: UInt32) -> Data {
    [IDXFile.imageMagic, count, rows, columns].reduce(into: Data()) { out, word in
      withUnsafeBytes(of: word.bigEndian) { out.append(contentsOf: $0) }
    }
  }

  /// 64 MiB of zeros as one gzip member (about 65 KB).
  static let gzippedZeros = Gzip.compress(Data(count: 64 << 20), level: 9)

  /// 64 MiB of zeros as one zlib stream (about 65 KB).
  static let zlibZeros = Gzip.compress(Data(count: 64 << 20), format: .zlib, level: 9)

  /// `gibibytes` GiB of zeros in about 1 MB per GiB: 64 MiB members one after another, as
  /// `cat a.gz b.gz` joins files (gzip) or as a reader that reads every member sees them (zlib).
  static func zeroBomb(gibibytes: Int, format: Gzip.Format = .gzip) -> Data {
    let member = format == .gzip ? gzippedZeros : zlibZeros
    return (0..<(16 * gibibytes)).reduce(into: Data()) { out, _ in out.append(member) }
  }

  /// One valid 28 x 28 IDX3 image.
  static let oneImage = idx3Header(count: 1, rows: 28, columns: 28) + Data(count: 784)

  /// The four files of an MNIST directory, by name, around `trainImages`: one valid image and
  /// label for the test set, `trainLabels` for the training set. `trainImages` is named with
  /// `.gz` when it is gzip data.
  static func mnist(trainImages: Data, trainLabels: FileContent = .bytes(IDXFile.encodeLabels([0])))
    -> [String: FileContent]
  {
    let imagesName = "mnist/train-images-idx3-ubyte" + (Gzip.isCompressed(trainImages) ? ".gz" : "")
    return [
      imagesName: .bytes(trainImages),
      "mnist/train-labels-idx1-ubyte": trainLabels,
      "mnist/t10k-images-idx3-ubyte": .bytes(oneImage),
      "mnist/t10k-labels-idx1-ubyte": .bytes(IDXFile.encodeLabels([0])),
    ]
  }
}

/// What one input file of a bad-input case is.
enum FileContent: Sendable {
  /// A regular file holding these bytes.
  case bytes(Data)
  /// A named pipe that nobody writes to: a reader that opens it waits forever.
  case fifo
}
