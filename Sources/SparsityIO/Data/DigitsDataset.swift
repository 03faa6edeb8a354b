// The embedded handwritten digits data set (1,797 images of 8x8 pixels), the default data.

import Foundation
import SparsityCore

/// The "Optical Recognition of Handwritten Digits" test set as distributed with scikit-learn:
/// 1,797 images of 8x8 pixels with grey levels 0...16, class labels 0...9 (about 180 each),
/// from 13 writers. It ships inside the package (`Resources/digits.bin.gz`), so it needs no
/// download.
///
/// Reference: E. Alpaydin and C. Kaynak, "Optical Recognition of Handwritten Digits", UCI
/// Machine Learning Repository, 1998. https://doi.org/10.24432/C50P49 (CC BY 4.0).
public enum DigitsDataset {
  /// The attribution the CC BY 4.0 license asks for, to show wherever the data is used.
  public static let attribution =
    "Alpaydin, E. and Kaynak, C. (1998). Optical Recognition of Handwritten Digits."
    + " UCI Machine Learning Repository. https://doi.org/10.24432/C50P49 (CC BY 4.0)"
  /// Number of images.
  public static let sampleCount = 1797
  /// Number of classes (the digits 0...9).
  public static let classCount = 10
  /// The pixel grid of one image.
  public static let imageShape = ImageShape(rows: 8, columns: 8)
  /// The largest grey level; divide by it to scale pixels to [0, 1].
  public static let maximumPixelValue: Float = 16
  /// Names the embedded data in errors: `sampleCount` rows of 64 pixel bytes then the label
  /// byte, gzip-compressed and compiled into the library (`DigitsData.swift`).
  static let resourceName = "embedded digits data"

  /// All 1,797 images (features are the 64 pixels row by row, values 0...16), in file order.
  /// - Throws: `DatasetError.badResource` if the embedded data is damaged (a build error).
  public static func load() throws(DatasetError) -> LabeledDataset {
    guard let data = Data(base64Encoded: gzipBase64, options: .ignoreUnknownCharacters) else {
      throw .badResource(name: resourceName, detail: "not valid base64")
    }
    return try decode(data, name: resourceName)
  }

  /// The data set stored in the gzip-compressed bytes of the resource format; `name` names them
  /// in errors.
  static func decode(_ compressed: Data, name: String) throws(DatasetError) -> LabeledDataset {
    let width = imageShape.pixelCount + 1
    let bytes: [UInt8]
    do {
      bytes = [UInt8](try Gzip.decompress(compressed, file: name, maximumBytes: sampleCount * width))
    } catch {
      throw .file(error)
    }
    guard bytes.count == sampleCount * width else {
      throw .badResource(name: name, detail: "\(bytes.count) bytes, expected \(sampleCount) x \(width)")
    }
    var pixels = [Float]()
    pixels.reserveCapacity(sampleCount * imageShape.pixelCount)
    var labels = [Float]()
    for row in 0..<sampleCount {
      let start = row * width
      pixels += bytes[start..<(start + width - 1)].map { Float($0) }
      labels.append(Float(bytes[start + width - 1]))
    }
    if let bad = pixels.firstIndex(where: { $0 > maximumPixelValue }) {
      throw .badResource(name: name, detail: "pixel \(bad) is \(pixels[bad]), above \(maximumPixelValue)")
    }
    let checked = try ClassLabels.validated(labels, file: name, classCount: classCount)
    return LabeledDataset(
      features: Tensor(shape: [sampleCount, imageShape.pixelCount], scalars: pixels),
      labels: checked.labels, classCount: classCount, name: "digits", imageShape: imageShape)
  }
}

extension DigitsDataset {
  /// The features of `dataset` (the loaded digits) scaled to [0, 1] (divided by
  /// `maximumPixelValue`), minus each sample's mean unless `removingMean` is false.
  public static func pixels(of dataset: LabeledDataset, removingMean: Bool) -> Tensor {
    let features = dataset.features
    let scaled = Tensor(shape: features.shape, scalars: features.scalars.map { $0 / maximumPixelValue })
    return removingMean ? Patches.removingMean(scaled) : scaled
  }
}
