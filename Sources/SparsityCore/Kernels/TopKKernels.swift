// Top-k selection per row: the forward pass of a k-sparse activation (`SparsityNN`'s `TopK`).

/// Keeps the k largest values of every row and sets the rest to zero, with the 0/1 mask of the
/// kept positions:
///
///     output[i, j] = input[i, j] and mask[i, j] = 1 if input[i, j] is among the k largest of
///     row i (the first ones by column among ties at the k-th value), else 0 and 0
///
/// so every row keeps exactly min(k, columns) entries. Comparison is by value (-0 equals +0;
/// rows holding NaN give an unspecified selection). Each row's k-th largest value comes from a
/// radix selection (`TopKSelection`) in per-thread scratch memory.
///
/// Shapes: `input` and `output` are (rows, columns), `mask` has rows * columns entries.
/// - Complexity: O(rows * columns), no allocation after the first call.
public func selectTopK(of input: Tensor, k: Int, into output: inout Tensor, mask: inout [Float]) {
  precondition(k > 0, "selectTopK: k \(k) must be positive")
  precondition(
    input.rank == 2 && output.shape == input.shape && mask.count == input.count,
    "selectTopK: input \(input.shape), output \(output.shape), mask of \(mask.count)")
  let (rows, columns) = (input.rows, input.columns)
  guard rows > 0, columns > 0 else { return }
  let kept = Swift.min(k, columns)
  Scratch.withBuffer(of: UInt32.self, count: columns) { keys in
    Scratch.withBuffer(of: UInt32.self, count: TopKSelection.histogramSize) { histogram in
      input.scalars.withUnsafeBufferPointer { xs in
        output.scalars.withUnsafeMutableBufferPointer { ys in
          mask.withUnsafeMutableBufferPointer { ms in
            for i in 0..<rows {
              let offset = i * columns
              selectTopKRow(
                output: ys.baseAddress! + offset, mask: ms.baseAddress! + offset, input: xs.baseAddress! + offset,
                keys: keys, histogram: histogram, columns: columns, k: kept)
            }
          }
        }
      }
    }
  }
}

/// One row: y = x on the k largest entries (first by index among ties), 0 elsewhere; mask
/// is 1 on kept entries. x, y, mask and keys hold `columns` values; 1 <= k <= columns.
func selectTopKRow(
  output y: UnsafeMutablePointer<Float>, mask: UnsafeMutablePointer<Float>, input x: UnsafePointer<Float>,
  keys: UnsafeMutablePointer<UInt32>, histogram: UnsafeMutablePointer<UInt32>, columns: Int, k: Int
) {
  if k == columns {
    for j in 0..<columns {
      y[j] = x[j]
      mask[j] = 1
    }
    return
  }
  let (threshold, greater, equal) = TopKSelection.kthLargest(
    x, count: columns, k: k, keys: keys, histogram: histogram)
  var ties = k - greater
  if ties == equal {
    // Every entry equal to the threshold is kept: one vectorized comparison.
    for j in 0..<columns {
      let keep = x[j] >= threshold
      y[j] = keep ? x[j] : 0
      mask[j] = keep ? 1 : 0
    }
    return
  }
  for j in 0..<columns {
    // Ties straddle the k-th place: keep the first k - greater of them, by index.
    let value = x[j]
    let tie = (value == threshold ? 1 : 0) & (ties > 0 ? 1 : 0)
    ties -= tie
    let keep = value > threshold || tie == 1
    y[j] = keep ? value : 0
    mask[j] = keep ? 1 : 0
  }
}

/// Reference twin of `selectTopK`: sorts each row's columns by value descending, then column
/// ascending, and keeps the first k.
/// - Complexity: O(rows * columns * log columns).
public func selectTopKReference(of input: Tensor, k: Int, into output: inout Tensor, mask: inout [Float]) {
  precondition(k > 0, "selectTopK: k \(k) must be positive")
  let (rows, columns) = (input.rows, input.columns)
  for i in 0..<rows {
    let order = (0..<columns).sorted { a, b in
      input[i, a] != input[i, b] ? input[i, a] > input[i, b] : a < b
    }
    for j in 0..<columns {
      output[i, j] = 0
      mask[i * columns + j] = 0
    }
    for j in order.prefix(k) {
      output[i, j] = input[i, j]
      mask[i * columns + j] = 1
    }
  }
}
