// Labeled data sets from a CSV file or from a pair of .npy files.

import Foundation
import SparsityCore

extension DatasetSource {
  /// A data set from a CSV file (see `CSVFile` for the syntax; a header row is allowed): the
  /// column `labelColumn` (0-based, negative from the end) holds the labels, the others the
  /// features. The class count is the largest label plus one.
  /// - Throws: `DatasetError` naming the file: `.file` for CSV syntax errors,
  ///   `.labelColumnOutOfRange`, `.badShape` for a file with no feature column,
  ///   `.invalidLabel` with the data row (from 1) of the first label that is not a class index.
  /// - Complexity: O(file size).
  public static func loadCSV(_ url: URL, labelColumn: Int = -1) throws(DatasetError) -> LabeledDataset {
    let file = url.relativePath
    let table: Tensor
    do { table = try CSVFile.read(contentsOf: url).values } catch { throw .file(error) }
    let (rows, columns) = (table.shape[0], table.shape[1])
    let column = labelColumn < 0 ? columns + labelColumn : labelColumn
    guard (0..<columns).contains(column) else {
      throw .labelColumnOutOfRange(file: file, column: labelColumn, columns: columns)
    }
    guard columns >= 2 else {
      throw .badShape(file: file, shape: table.shape, expected: "a label column and at least one feature column")
    }
    var features = [Float]()
    features.reserveCapacity(rows * (columns - 1))
    var labelValues = [Float]()
    labelValues.reserveCapacity(rows)
    for row in 0..<rows {
      let values = table.scalars[(row * columns)..<((row + 1) * columns)]
      labelValues.append(values[values.startIndex + column])
      features += values.enumerated().lazy.filter { $0.offset != column }.map(\.element)
    }
    let (labels, classCount) = try ClassLabels.validated(labelValues, file: file)
    return LabeledDataset(
      features: Tensor(shape: [rows, columns - 1], scalars: features), labels: labels,
      classCount: max(classCount, 1), name: url.deletingPathExtension().lastPathComponent)
  }

  /// A data set from a features `.npy` file (samples x features, samples x rows x columns
  /// images, or samples x channels x rows x columns images in NCHW order) and a labels `.npy` file (a vector or samples x 1, integers or integral floats).
  /// The class count is the largest label plus one.
  /// - Throws: `DatasetError` naming the file: `.file` for unreadable or malformed files,
  ///   `.badShape`, `.countMismatch` naming both files, `.nonFiniteFeature`, `.invalidLabel`.
  /// - Complexity: O(file sizes).
  public static func loadNPY(features featuresURL: URL, labels labelsURL: URL) throws(DatasetError) -> LabeledDataset {
    let (featuresFile, labelsFile) = (featuresURL.relativePath, labelsURL.relativePath)
    let x: Tensor
    let y: Tensor
    do {
      x = try NPYFile.read(contentsOf: featuresURL)
      y = try NPYFile.read(contentsOf: labelsURL)
    } catch {
      throw .file(error)
    }
    let imageShape = try featureLayout(x.shape, file: featuresFile)
    guard y.rank == 1 || (y.rank == 2 && y.shape[1] == 1) else {
      throw .badShape(file: labelsFile, shape: y.shape, expected: "a vector of labels (n,) or a column (n, 1)")
    }
    guard x.shape[0] == y.shape[0] else {
      throw .countMismatch(featuresFile: featuresFile, samples: x.shape[0], labelsFile: labelsFile, labels: y.shape[0])
    }
    let width = x.count / x.shape[0]
    if let bad = x.scalars.firstIndex(where: { !$0.isFinite }) {
      throw .nonFiniteFeature(
        file: featuresFile, row: bad / width + 1, column: bad % width + 1, value: "\(x.scalars[bad])")
    }
    let (labels, classCount) = try ClassLabels.validated(y.scalars, file: labelsFile)
    return LabeledDataset(
      features: x.reshaped([x.shape[0], width]), labels: labels, classCount: max(classCount, 1),
      name: featuresURL.deletingPathExtension().lastPathComponent, imageShape: imageShape)
  }

  /// The image shape of 3-D (N, H, W) or 4-D (N, C, H, W) features (nil for 2-D ones), after
  /// checking that `shape` has at least one sample and one feature.
  private static func featureLayout(_ shape: [Int], file: String) throws(DatasetError) -> ImageShape? {
    guard (2...4).contains(shape.count) else {
      throw .badShape(
        file: file, shape: shape,
        expected:
          "samples x features (2-D), samples x rows x columns (3-D) or samples x channels x rows x columns (4-D)"
      )
    }
    guard shape[0] > 0, shape.dropFirst().allSatisfy({ $0 > 0 }) else {
      throw .badShape(file: file, shape: shape, expected: "at least one sample and one feature")
    }
    switch shape.count {
    case 3: return ImageShape(rows: shape[1], columns: shape[2])
    case 4: return ImageShape(channels: shape[1], rows: shape[2], columns: shape[3])
    default: return nil
    }
  }
}
