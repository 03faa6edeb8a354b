// The loops behind `SparsityMeasures`: one pass counting zeros and summing norms, and the
// reports of every row of a matrix, computed in parallel.

/// What one pass over a set of values finds: the counts and sums of `SparsityMeasures` and the
/// sorted nonzero magnitudes its Gini index needs.
struct MagnitudeTally: Equatable {
  /// Values exactly zero.
  var zeros = 0
  /// Finite values with |x| ≤ ε.
  var nearZeros = 0
  /// NaN or infinite values.
  var nonFinite = 0
  /// Σ |x| over the finite values, in Double, in order.
  var l1 = 0.0
  /// Σ x² over the finite values, in Double, in order.
  var sumOfSquares = 0.0
  /// The finite nonzero magnitudes, ascending.
  var ascendingMagnitudes: [Float] = []
}

/// One pass over `values`: zeros, near-zeros (|x| ≤ `epsilon`), non-finite values, L1 and the
/// sum of squares of the finite values, then the nonzero magnitudes sorted.
/// - Complexity: O(n + m log m) time and O(m) memory, `m` the number of nonzeros.
func tallyMagnitudes(_ values: [Float], epsilon: Float) -> MagnitudeTally {
  values.withUnsafeBufferPointer { tallyMagnitudes($0, epsilon: epsilon) }
}

/// `tallyMagnitudes` of a buffer (a row of a matrix).
private func tallyMagnitudes(_ values: UnsafeBufferPointer<Float>, epsilon: Float) -> MagnitudeTally {
  var tally = MagnitudeTally()
  for value in values {
    guard value.isFinite else {
      tally.nonFinite += 1
      continue
    }
    let magnitude = Swift.abs(value)
    if magnitude <= epsilon { tally.nearZeros += 1 }
    if magnitude == 0 {
      tally.zeros += 1
      continue
    }
    tally.ascendingMagnitudes.append(magnitude)
    tally.l1 += Double(magnitude)
    tally.sumOfSquares += Double(magnitude) * Double(magnitude)
  }
  tally.ascendingMagnitudes.sort()
  return tally
}

/// Reference twin of `tallyMagnitudes`: the same sums in the same order, by index.
func tallyMagnitudesReference(_ values: [Float], epsilon: Float) -> MagnitudeTally {
  var tally = MagnitudeTally()
  for i in values.indices {
    if !values[i].isFinite {
      tally.nonFinite += 1
    } else if values[i] == 0 {
      tally.zeros += 1
      tally.nearZeros += 1
    } else {
      let magnitude = Swift.abs(values[i])
      tally.nearZeros += magnitude <= epsilon ? 1 : 0
      tally.l1 += Double(magnitude)
      tally.sumOfSquares += Double(magnitude) * Double(magnitude)
      tally.ascendingMagnitudes.append(magnitude)
    }
  }
  tally.ascendingMagnitudes.sort()
  return tally
}

/// `SparsityMeasures` of every length-`columns` row of the row-major `values`, rows spread
/// over `Parallel.threadCount` threads (each thread writes only its own rows' reports).
/// - Complexity: O(rows * columns * log columns).
func sparsityMeasuresOfRows(_ values: [Float], rows: Int, columns: Int, epsilon: Float) -> [SparsityMeasures] {
  precondition(values.count == rows * columns, "sparsityMeasuresOfRows: \(values.count) values, \(rows) x \(columns)")
  let placeholder = SparsityMeasures([], epsilon: epsilon)
  var reports = [SparsityMeasures](repeating: placeholder, count: rows)
  values.withUnsafeBufferPointer { source in
    reports.withUnsafeMutableBufferPointer { output in
      Parallel.forEachChunk(of: rows, minimumChunk: Swift.max(1, 65_536 / Swift.max(1, columns))) { range in
        for i in range {
          let row = UnsafeBufferPointer(rebasing: source[(i * columns)..<((i + 1) * columns)])
          output[i] = SparsityMeasures(tally: tallyMagnitudes(row, epsilon: epsilon), count: columns, epsilon: epsilon)
        }
      }
    }
  }
  return reports
}

/// Reference twin of `sparsityMeasuresOfRows`: one row after another, each copied out.
func sparsityMeasuresOfRowsReference(_ values: [Float], rows: Int, columns: Int, epsilon: Float) -> [SparsityMeasures] {
  (0..<rows).map { i in
    let row = Array(values[(i * columns)..<((i + 1) * columns)])
    return SparsityMeasures(tally: tallyMagnitudesReference(row, epsilon: epsilon), count: columns, epsilon: epsilon)
  }
}
