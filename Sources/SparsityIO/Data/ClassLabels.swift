// Checking that the numbers read from a labels file are class indices.
import SparsityCore

/// Conversion of stored label values to class indices 0..<classCount.
public enum ClassLabels {
  /// The largest class count a data set may have; a bigger label is taken for a mistake
  /// (for example a regression target or the wrong column).
  public static let maximumClassCount = 100_000

  /// The class indices of `values`, and the class count: `classCount` when given, otherwise the
  /// largest label plus one.
  /// - Parameters:
  ///   - values: the labels as read (floats from CSV or .npy, bytes from IDX).
  ///   - file: names the labels in errors.
  ///   - classCount: the known number of classes (10 for digits), or nil to infer it.
  /// - Throws: `DatasetError.invalidLabel` naming `file` and the first bad row (counting from
  ///   1) for NaN, infinite, non-integral, negative, or too-large labels;
  ///   `DatasetError.tooFewClasses` when the class count is inferred and fewer than two classes
  ///   occur (labels that are all 1 would otherwise make a two-class problem whose class 0 never
  ///   occurs, learned perfectly by a constant).
  /// - Complexity: O(values.count).
  public static func validated(
    _ values: [Float], file: String, classCount: Int? = nil
  ) throws(DatasetError) -> (labels: [Int], classCount: Int) {
    let limit = classCount ?? maximumClassCount
    var labels = [Int]()
    labels.reserveCapacity(values.count)
    for (index, value) in values.enumerated() {
      if let reason = problem(value, limit: limit, known: classCount != nil) {
        throw .invalidLabel(file: file, row: index + 1, value: text(value), reason: reason)
      }
      labels.append(Int(value))
    }
    if classCount == nil, let first = labels.first, labels.allSatisfy({ $0 == first }) {
      throw .tooFewClasses(file: file, samples: labels.count, onlyClass: first)
    }
    return (labels, classCount ?? ((labels.max() ?? -1) + 1))
  }

  /// A label as written: `-1` for an integral value, `2.5` or `nan` otherwise.
  private static func text(_ value: Float) -> String {
    value.isFinite && value.rounded() == value && value.magnitude < 1e9 ? "\(Int(value))" : "\(value)"
  }

  /// Why `value` is not a class index below `limit`, or nil when it is one.
  private static func problem(_ value: Float, limit: Int, known: Bool) -> String? {
    let rule = "(labels must be class indices 0, 1, 2, ...)"
    if value.isNaN { return "is not a number \(rule)" }
    if !value.isFinite { return "is infinite \(rule)" }
    if value.rounded(.towardZero) != value { return "is not an integer \(rule)" }
    if value < 0 { return "is negative \(rule)" }
    if value >= Float(limit) {
      return known
        ? "is outside 0..<\(limit) for this data set's \(limit) classes"
        : "is larger than the largest supported class index \(limit - 1)"
    }
    return nil
  }
}
