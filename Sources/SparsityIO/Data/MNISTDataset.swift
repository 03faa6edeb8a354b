// The MNIST handwritten digits (60,000 training and 10,000 test images of 28x28 pixels) from
// a directory of IDX files.

import Foundation
import SparsityCore

/// MNIST read from a directory holding its four IDX files under their standard names, raw or
/// gzip-compressed: `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
/// `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`, each optionally ending in `.gz`, and
/// also with a dot before `idx` (`train-images.idx3-ubyte`), as some mirrors name them.
///
/// Reference: Y. LeCun, C. Cortes and C. J. C. Burges, "The MNIST database of handwritten
/// digits", http://yann.lecun.com/exdb/mnist/
public enum MNISTDataset {
  /// Number of classes (the digits 0...9).
  public static let classCount = 10
  /// The largest grey level; divide by it to scale pixels to [0, 1].
  public static let maximumPixelValue: Float = 255

  /// The standard base names, in the order train images, train labels, test images, test labels.
  static let baseNames = [
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
  ]

  /// The training and test sets (pixels 0...255, images row by row) from `directory`.
  /// - Throws: `DatasetError` naming the file: `.missingFiles` listing every name looked for,
  ///   `.file` for an unreadable or malformed IDX file, `.countMismatch` when an image file and
  ///   its label file differ in length, `.invalidLabel` for a label above 9, `.badShape` when the
  ///   test images differ in size from the training images.
  public static func load(directory: URL) throws(DatasetError) -> (train: LabeledDataset, test: LabeledDataset) {
    let files = try locateFiles(in: directory)
    let train = try loadPair(images: files[0], labels: files[1])
    let test = try loadPair(images: files[2], labels: files[3])
    if let trainShape = train.imageShape, let testShape = test.imageShape, trainShape != testShape {
      throw .badShape(
        file: files[2].relativePath, shape: [test.sampleCount, testShape.rows, testShape.columns],
        expected: "\(trainShape) images like \(files[0].lastPathComponent)")
    }
    return (train, test)
  }

  /// The names tried for one of the files, in order of preference.
  static func candidateNames(_ baseName: String) -> [String] {
    let dotted = baseName.replacingOccurrences(of: "-idx", with: ".idx")
    return [baseName, baseName + ".gz", dotted, dotted + ".gz"]
  }

  /// The four files' URLs in `baseNames` order.
  /// - Throws: `.file(.unreadable)` when `directory` is not a directory; `.missingFiles`.
  static func locateFiles(in directory: URL) throws(DatasetError) -> [URL] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
      throw .file(.unreadable(file: directory.relativePath, reason: "no such directory"))
    }
    guard isDirectory.boolValue else {
      throw .file(
        .unreadable(
          file: directory.relativePath, reason: "not a directory (mnist: needs the directory of the IDX files)"))
    }
    var found = [URL]()
    var missing = [String]()
    for base in baseNames {
      let candidates = candidateNames(base).map { directory.appendingPathComponent($0) }
      if let hit = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) {
        found.append(hit)
      } else {
        missing += candidates.map(\.lastPathComponent)
      }
    }
    guard missing.isEmpty else { throw .missingFiles(directory: directory.relativePath, lookedFor: missing) }
    return found
  }

  /// One data set from an IDX3 image file and the IDX1 label file that goes with it.
  static func loadPair(images imagesURL: URL, labels labelsURL: URL) throws(DatasetError) -> LabeledDataset {
    let images: IDXImages
    let rawLabels: [UInt8]
    do {
      images = try IDXFile.readImages(contentsOf: imagesURL)
      rawLabels = try IDXFile.readLabels(contentsOf: labelsURL)
    } catch {
      throw .file(error)
    }
    guard images.count == rawLabels.count else {
      throw .countMismatch(
        featuresFile: imagesURL.relativePath, samples: images.count, labelsFile: labelsURL.relativePath,
        labels: rawLabels.count)
    }
    guard images.rows > 0, images.columns > 0 else {
      throw .badShape(
        file: imagesURL.relativePath, shape: [images.count, images.rows, images.columns],
        expected: "images of at least 1x1 pixels")
    }
    let labels = try ClassLabels.validated(
      rawLabels.map { Float($0) }, file: labelsURL.relativePath, classCount: classCount
    ).labels
    return LabeledDataset(
      features: images.pixels, labels: labels, classCount: classCount, name: "mnist",
      imageShape: ImageShape(rows: images.rows, columns: images.columns))
  }
}
