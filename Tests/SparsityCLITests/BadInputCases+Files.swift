// The bad-input cases of the array and image readers: NPY, IDX (MNIST), gzip, zlib, PNG, PGM
// (P5 and P2) and CSV, each fed through a command that reads it.

import Foundation
import SparsityCore
import SparsityIO

extension BadInput {
  /// `sparsity code` on data `X.npy` (whatever the case writes there) and a valid dictionary.
  static func code(_ data: String = "{dir}/X.npy", solver: String = "fista") -> [String] {
    ["code", "--data", data, "--dictionary", "{dir}/D.npy", "--solver", solver, "--out", "{dir}/codes.npy"]
  }

  /// `sparsity learn-dictionary` on the data source `source`.
  static func learn(_ source: String) -> [String] {
    ["learn-dictionary", "--data", source, "--epochs", "1", "--out", "{dir}/dictionary.npy"]
  }

  /// `sparsity train` for one epoch on the data source `source`.
  static func train(_ source: String) -> [String] {
    ["train", "--data", source, "--epochs", "1", "--layers", "8", "--out", "{dir}/trained.safetensors"]
  }

  /// `files` and `D.npy`, a valid dictionary of 12 unit-norm atoms of 8 features.
  static func withDictionary(_ files: [String: FileContent] = [:]) -> [String: FileContent] {
    files.merging(["D.npy": .bytes(HostileFiles.matrix(rows: 12, columns: 8, unitRows: true))]) { $1 }
  }

  /// A shape tuple nested 100,000 deep, `((((...))))`.
  static let deepTuple = String(repeating: "(", count: 100_000) + String(repeating: ")", count: 100_000)

  static let arrayFiles: [BadInput] =
    [
      BadInput(
        "NPY", fault: 1, code(),
        files: withDictionary(["X.npy": .bytes(HostileFiles.npy(header: HostileFiles.npyHeader(shape: deepTuple)))]),
        error: "{dir}/X.npy: malformed .npy header: nesting deeper than 16 levels at byte 65 of the header"),
      BadInput(
        "NPY", fault: 2, ["measure", "{dir}/X.npy"],
        files: ["X.npy": .bytes(HostileFiles.npy(header: HostileFiles.npyHeader(shape: "(4294967296, 4294967296)")))],
        error: "{dir}/X.npy: malformed .npy header: shape [4294967296, 4294967296] is too large"),
      BadInput(
        "NPY", fault: 2, ["measure", "{dir}/X.npy"],
        files: ["X.npy": .bytes(HostileFiles.npy(header: HostileFiles.npyHeader(shape: "(99999999999999999999999,)")))],
        error: "{dir}/X.npy: malformed .npy header: bad integer at byte 74 of the header"),
      BadInput(
        "NPY", fault: 4, learn("npy:{dir}/X.npy"),
        files: ["X.npy": .bytes(HostileFiles.npy(header: HostileFiles.npyHeader(shape: "(100000000000, 64)")))],
        error: "{dir}/X.npy: truncated data: header says 100000000000x64 float32 (25,600,000,000,000 bytes)"
          + " but only 0 bytes follow the header",
        limitsAddressSpace: true),
      BadInput(
        "NPY", fault: 6, code("/dev/zero"), files: withDictionary(),
        error: "/dev/zero: cannot read: is a character device, not a regular file"),
      BadInput(
        "NPY", fault: 6, ["measure", "/dev/zero"],
        error: "/dev/zero: cannot read: is a character device, not a regular file"),
      BadInput(
        "NPY", fault: 6, learn("npy:{dir}/X.npy"), files: ["X.npy": .fifo],
        error: "{dir}/X.npy: cannot read: is a FIFO, not a regular file"),
    ]
    // Data near Float.greatestFiniteMagnitude: its products overflow Float, so every solver must
    // refuse it rather than write infinite codes (or, as ista and cd did, zeros with exit 0).
    + ["fista", "ista", "cd", "lars", "omp", "threshold"].map { solver in
      BadInput(
        "NPY", fault: 5, code(solver: solver),
        files: withDictionary(["X.npy": .bytes(NPYFile.encode(Tensor(repeating: 3e38, shape: [20, 8])))]),
        error: "{dir}/X.npy: the data value at row 0, column 0 is 3e+38, beyond 1.8446743e+19 whose square"
          + " overflows single precision; scale the data down")
    }

  static let compressedFiles: [BadInput] = [
    BadInput(
      "IDX", fault: 2, train("mnist:{dir}/mnist"),
      files: HostileFiles.mnist(
        trainImages: HostileFiles.idx3Header(count: .max, rows: .max, columns: .max)),
      error: "{dir}/mnist/train-images-idx3-ubyte: malformed IDX file: dimensions [4294967295, 4294967295, 4294967295]"
        + " are too large"),
    BadInput(
      "IDX", fault: 4, train("mnist:{dir}/mnist"),
      files: HostileFiles.mnist(trainImages: HostileFiles.idx3Header(count: 100_000, rows: 1000, columns: 1000)),
      error: "{dir}/mnist/train-images-idx3-ubyte: truncated data: header says 100000x1000x1000 uint8"
        + " (100,000,000,000 bytes) but only 0 bytes follow the header",
      limitsAddressSpace: true),
    BadInput(
      "IDX", fault: 6, train("mnist:{dir}/mnist"),
      files: HostileFiles.mnist(trainImages: HostileFiles.oneImage, trainLabels: .fifo),
      error: "{dir}/mnist/train-labels-idx1-ubyte: cannot read: is a FIFO, not a regular file"),
    BadInput(
      "gzip", fault: 2, train("mnist:{dir}/mnist"),
      files: HostileFiles.mnist(
        trainImages: Gzip.compress(HostileFiles.idx3Header(count: .max, rows: .max, columns: .max))),
      error: "{dir}/mnist/train-images-idx3-ubyte.gz: malformed IDX file: dimensions"
        + " [4294967295, 4294967295, 4294967295] are too large"),
    // 4 GiB of zeros as MNIST training images: the magic number is read from the first bytes.
    BadInput(
      "gzip", fault: 3, train("mnist:{dir}/mnist"),
      files: HostileFiles.mnist(trainImages: HostileFiles.zeroBomb(gibibytes: 4)),
      error: "{dir}/mnist/train-images-idx3-ubyte.gz: malformed IDX file: expected an image file (IDX3, magic"
        + " 0x00000803) but the magic number is 0x00000000",
      limitsAddressSpace: true),
    // A valid header for one 28x28 image, then 4 GiB of zeros: inflation stops past 800 bytes.
    BadInput(
      "gzip", fault: 3, train("mnist:{dir}/mnist"),
      files: HostileFiles.mnist(
        trainImages: Gzip.compress(HostileFiles.idx3Header(count: 1, rows: 28, columns: 28))
          + HostileFiles.zeroBomb(gibibytes: 4)),
      error: "{dir}/mnist/train-images-idx3-ubyte.gz: the compressed data inflates to more than 800 bytes,"
        + " the most its header allows",
      limitsAddressSpace: true),
    BadInput(
      "gzip", fault: 4, train("mnist:{dir}/mnist"),
      files: HostileFiles.mnist(
        trainImages: Gzip.compress(HostileFiles.idx3Header(count: 100_000, rows: 1000, columns: 1000))),
      error: "{dir}/mnist/train-images-idx3-ubyte.gz: dimensions 100000 x 1000 x 1000: needs 652 GiB of memory,"
        + " more than the {budget}",
      limitsAddressSpace: true),
    // A 1x1 PNG (2 bytes of image data) whose IDAT inflates to 4 GiB.
    BadInput(
      "zlib", fault: 3, learn("patches:{dir}/image.png"),
      files: [
        "image.png": .bytes(
          HostileFiles.png(width: 1, height: 1, imageData: HostileFiles.zeroBomb(gibibytes: 4, format: .zlib)))
      ],
      error: "{dir}/image.png: malformed image: image data decompresses to more than 2 bytes,"
        + " but 1x1, 8-bit color type 0 needs 2",
      limitsAddressSpace: true),
  ]

  static let imageFiles: [BadInput] = [
    BadInput(
      "PNG", fault: 2, learn("patches:{dir}/image.png"),
      files: ["image.png": .bytes(HostileFiles.png(width: .max, height: .max, imageData: Data()))],
      error: "{dir}/image.png: malformed image: IHDR size 4294967295x4294967295 is outside 1...2^31 - 1"),
    BadInput(
      "PNG", fault: 2, learn("patches:{dir}/image.png"),
      files: ["image.png": .bytes(HostileFiles.png(width: 1 << 31 - 1, height: 1 << 31 - 1, imageData: Data()))],
      error: "{dir}/image.png: unsupported image: 2147483647x2147483647 pixels is more than this reader decodes"
        + " (2^28 = 16384 x 16384); tile the image"),
    BadInput(
      "PNG", fault: 3, learn("patches:{dir}/image.png"), files: ["image.png": .bytes(HostileFiles.hugeLegalPNG)],
      error: "{dir}/image.png: unsupported image: 32768x32768 pixels is more than this reader decodes"
        + " (2^28 = 16384 x 16384); tile the image",
      limitsAddressSpace: true),
    // The largest size read, with 10 bytes of image data: refused before the 1 GiB of pixels.
    BadInput(
      "PNG", fault: 4, learn("patches:{dir}/image.png"),
      files: [
        "image.png": .bytes(
          HostileFiles.png(width: 16384, height: 16384, imageData: Gzip.compress(Data(count: 10), format: .zlib)))
      ],
      error: "{dir}/image.png: malformed image: image data decompresses to 10 bytes,"
        + " but 16384x16384, 8-bit color type 0 needs 268,451,840",
      memoryLimit: "2G", limitsAddressSpace: true),
    BadInput(
      "PNG", fault: 6, learn("patches:/dev/zero"),
      error: "/dev/zero: cannot read: is a character device, not a regular file"),
    BadInput(
      "PGM P5", fault: 2, learn("patches:{dir}/image.pgm"),
      files: ["image.pgm": .bytes(Data("P5\n99999999999999999999 2\n255\n".utf8))],
      error: "{dir}/image.pgm: malformed image: the width at byte 3 is not a number in 1...268435456"),
    BadInput(
      "PGM P5", fault: 4, learn("patches:{dir}/image.pgm"),
      files: ["image.pgm": .bytes(Data("P5\n32768 32768\n255\n".utf8))],
      error: "{dir}/image.pgm: unsupported image: 32768x32768 pixels is more than this reader decodes"
        + " (2^28 = 16384 x 16384); tile the image",
      limitsAddressSpace: true),
    // A header of the largest size read and no samples: truncated, whatever the memory budget.
    BadInput(
      "PGM P5", fault: 4, learn("patches:{dir}/image.pgm"),
      files: ["image.pgm": .bytes(Data("P5\n16384 16384\n255\n".utf8))],
      error: "{dir}/image.pgm: malformed image: truncated: 268435456 samples need 268,435,456 bytes"
        + " but only 0 follow the header",
      limitsAddressSpace: true),
    BadInput(
      "PGM P2", fault: 2, learn("patches:{dir}/image.pgm"),
      files: ["image.pgm": .bytes(Data("P2\n2 99999999999999999999\n255\n".utf8))],
      error: "{dir}/image.pgm: malformed image: the height at byte 5 is not a number in 1...268435456"),
    BadInput(
      "PGM P2", fault: 4, learn("patches:{dir}/image.pgm"),
      files: ["image.pgm": .bytes(Data(("P2\n16384 16384\n255\n" + String(repeating: "0 ", count: 100)).utf8))],
      error: "{dir}/image.pgm: malformed image: truncated: 16384x16384 samples need at least 536,870,911 bytes"
        + " of text but only 201 follow the header",
      limitsAddressSpace: true),
    BadInput(
      "CSV", fault: 2, train("csv:{dir}/data.csv"),
      files: ["data.csv": .bytes(Data("1,2,0\n1e39,4,1\n".utf8))],
      error: "{dir}/data.csv: line 2, column 1: '1e39' is not a finite float32 value"),
    // Swift's Float(_:) reads through C, which would stop at the NUL and read 3.
    BadInput(
      "CSV", fault: 5, train("csv:{dir}/data.csv"),
      files: ["data.csv": .bytes(Data("1,2,0\n3\u{0}7,4,1\n".utf8))],
      error: #"{dir}/data.csv: line 2, column 1: '3\u{0}7' is not a number"#),
    BadInput(
      "CSV", fault: 6, train("csv:{dir}/data.csv"),
      files: ["data.csv": .bytes(Data("1,2,0\r\n3,x\r7,1\n5,\u{1b}[31mred,1\n".utf8))],
      error: #"{dir}/data.csv: line 2, column 2: 'x\u{d}7' is not a number"#),
    BadInput(
      "CSV", fault: 6, train("csv:/dev/zero"),
      error: "/dev/zero: cannot read: is a character device, not a regular file"),
  ]
}
