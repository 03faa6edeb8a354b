// Counting over batches of activations (samples x units): exact zeros per unit for the
// per-epoch sparsity report, and the per-unit tallies behind the activation analysis.

/// Adds to counts[j] the number of rows of `matrix` whose column j is exactly zero (either sign).
///
/// Shapes: `matrix` is (rows, columns), `counts` is (columns).
/// - Complexity: O(rows * columns), one pass in row-major order, no allocation.
public func countZerosPerColumn(of matrix: Tensor, into counts: inout [Int]) {
  let columns = matrix.columns
  precondition(counts.count == columns, "countZerosPerColumn: \(counts.count) counts for \(columns) columns")
  matrix.scalars.withUnsafeBufferPointer { values in
    counts.withUnsafeMutableBufferPointer { counts in
      for row in 0..<matrix.rows {
        let base = row * columns
        for j in 0..<columns where values[base + j] == 0 { counts[j] += 1 }
      }
    }
  }
}

/// Reference twin of `countZerosPerColumn`: column by column, indexing the tensor.
public func countZerosPerColumnReference(of matrix: Tensor, into counts: inout [Int]) {
  for j in 0..<matrix.columns {
    counts[j] += (0..<matrix.rows).filter { matrix[$0, j] == 0 }.count
  }
}

/// Per-unit counts and sums of one layer's activations, added batch by batch.
///
/// With a the activation of unit j on one input and ε the near-zero threshold:
/// - `zeros` counts a == 0 and `nearZeros` counts |a| ≤ ε, over all entries;
/// - `firing[j]` counts |a| > ε ("active") and `activeRange` spans the active values;
/// - `sums[j]` is Σ a, and `classSums[c * units + j]` is Σ max(a, 0) over the inputs of class c,
///   both in Double, added in input order.
public struct ActivationTally: Sendable, Equatable {
  /// Units (columns) of the layer.
  public let units: Int
  /// Classes of the labels (rows of `classSums`).
  public let classes: Int
  /// The near-zero threshold ε.
  public let epsilon: Float
  /// Entries exactly zero.
  public private(set) var zeros = 0
  /// Entries with |a| ≤ ε.
  public private(set) var nearZeros = 0
  /// Per unit, the inputs on which it is active (|a| > ε).
  public private(set) var firing: [Int]
  /// Per unit, the sum of its activations.
  public private(set) var sums: [Double]
  /// Per class c and unit j, at c * units + j, the sum of max(a, 0) over inputs of class c.
  public private(set) var classSums: [Double]
  /// The smallest and largest active value (+infinity, -infinity before any).
  public private(set) var activeRange: (low: Float, high: Float) = (.infinity, -.infinity)

  /// An empty tally of `units` units and `classes` classes with threshold ε ≥ 0.
  public init(units: Int, classes: Int, epsilon: Float) {
    precondition(epsilon >= 0, "ActivationTally: epsilon must be >= 0, got \(epsilon)")
    (self.units, self.classes, self.epsilon) = (units, classes, epsilon)
    firing = [Int](repeating: 0, count: units)
    sums = [Double](repeating: 0, count: units)
    classSums = [Double](repeating: 0, count: units * classes)
  }

  public static func == (a: ActivationTally, b: ActivationTally) -> Bool {
    (a.units, a.classes, a.epsilon, a.zeros, a.nearZeros) == (b.units, b.classes, b.epsilon, b.zeros, b.nearZeros)
      && (a.firing, a.sums, a.classSums) == (b.firing, b.sums, b.classSums)
      && a.activeRange == b.activeRange
  }

  /// Adds a batch (rows x units), row i of class `labels[i]` (nil: unlabeled, no class sums).
  /// Returns each row's number of active units.
  /// - Complexity: O(rows * units), no allocation but the result.
  public mutating func add(_ batch: Tensor, labels: ArraySlice<Int>?) -> [Int] {
    precondition(batch.columns == units, "ActivationTally: batch \(batch.shape), expected \(units) units")
    precondition(labels == nil || labels!.count == batch.rows, "ActivationTally: labels and rows differ")
    var activePerRow = [Int](repeating: 0, count: batch.rows)
    batch.scalars.withUnsafeBufferPointer { values in
      for row in 0..<batch.rows {
        let label = labels.map { $0[$0.startIndex + row] }
        activePerRow[row] = addRow(values, offset: row * units, label: label)
      }
    }
    return activePerRow
  }

  /// Counts one row; returns its number of active units.
  private mutating func addRow(_ values: UnsafeBufferPointer<Float>, offset: Int, label: Int?) -> Int {
    var active = 0
    let classOffset = (label ?? 0) * units
    for j in 0..<units {
      let a = values[offset + j]
      if a == 0 { zeros += 1 }
      if Swift.abs(a) <= epsilon {
        nearZeros += 1
      } else {
        active += 1
        firing[j] += 1
        activeRange = (Swift.min(activeRange.low, a), Swift.max(activeRange.high, a))
      }
      sums[j] += Double(a)
      if label != nil && a > 0 { classSums[classOffset + j] += Double(a) }
    }
    return active
  }

  /// Reference twin of `add`: every entry on its own, indexing the tensor.
  public mutating func addReference(_ batch: Tensor, labels: ArraySlice<Int>?) -> [Int] {
    (0..<batch.rows).map { row in
      let label = labels.map { $0[$0.startIndex + row] }
      var active = 0
      for j in 0..<units {
        let a = batch[row, j]
        zeros += a == 0 ? 1 : 0
        if Swift.abs(a) <= epsilon {
          nearZeros += 1
        } else {  // NaN too
          active += 1
          firing[j] += 1
          activeRange = (Swift.min(activeRange.low, a), Swift.max(activeRange.high, a))
        }
        sums[j] += Double(a)
        if let label, a > 0 { classSums[label * units + j] += Double(a) }
      }
      return active
    }
  }
}
