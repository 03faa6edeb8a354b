// The kernels of a sparse autoencoder's code: choosing the active latents from the encoder's
// pre-activations (TopK, BatchTopK, a threshold per latent), and the sampled products of the
// backward pass that touch only those latents. With k of n latents active, everything after
// the encoder's dense product costs O(rows * k * d) instead of O(rows * n * d).
import CSparsityKernels

/// Keeps, in every row of `pre`, the k largest entries that are also positive (TopK, then
/// ReLU), as sparse codes:
///
///     codes[i] = { (j, pre[i, j]) : pre[i, j] > 0 and pre[i, j] among the k largest of row i }
///
/// Ties at the k-th value keep the first columns, so a row holds at most min(k, columns)
/// entries (fewer where fewer are positive), columns ascending. Each row's k-th largest value
/// comes from a radix selection (`TopKSelection`); rows are spread over the cores.
///
/// Shapes: `pre` is (rows, columns), row-major.
/// - Complexity: O(rows * columns).
public func selectTopKCodes(
  _ pre: UnsafePointer<Float>, rows: Int, columns: Int, k: Int, into codes: inout SparseCodes
) {
  precondition(k > 0 && rows >= 0 && columns >= 0, "selectTopKCodes: k \(k), shape \(rows) x \(columns)")
  let kept = Swift.min(k, columns)
  codes.reset(rows: rows, columns: columns, capacity: rows * kept)
  guard rows > 0, columns > 0 else {
    for i in 0...rows { codes.offsets[i] = 0 }
    return
  }
  codes.offsets.withUnsafeMutableBufferPointer { offsets in
    codes.indices.withUnsafeMutableBufferPointer { indices in
      codes.values.withUnsafeMutableBufferPointer { values in
        let (o, ix, v) = (offsets.baseAddress!, indices.baseAddress!, values.baseAddress!)
        Parallel.forEachChunk(of: rows, minimumChunk: Swift.max(1, 16_384 / columns)) { range in
          Scratch.withBuffer(of: UInt32.self, count: columns) { keys in
            Scratch.withBuffer(of: UInt32.self, count: TopKSelection.histogramSize) { histogram in
              for i in range {
                o[i + 1] = topKRow(
                  pre + i * columns, columns: columns, k: kept, indices: ix + i * kept, values: v + i * kept,
                  keys: keys, histogram: histogram)
              }
            }
          }
        }
        compact(offsets: o, indices: ix, values: v, rows: rows, stride: kept)
      }
    }
  }
}

/// One row of `selectTopKCodes`: writes the kept entries to `indices` and `values` (room for
/// k) and returns how many.
private func topKRow(
  _ x: UnsafePointer<Float>, columns: Int, k: Int, indices: UnsafeMutablePointer<Int32>,
  values: UnsafeMutablePointer<Float>, keys: UnsafeMutablePointer<UInt32>, histogram: UnsafeMutablePointer<UInt32>
) -> Int {
  var count = 0
  if k == columns {
    for j in 0..<columns where x[j] > 0 {
      indices[count] = Int32(truncatingIfNeeded: j)
      values[count] = x[j]
      count += 1
    }
    return count
  }
  let (threshold, greater, _) = TopKSelection.kthLargest(x, count: columns, k: k, keys: keys, histogram: histogram)
  var ties = k - greater
  for j in 0..<columns {
    let value = x[j]
    guard value >= threshold else { continue }
    if value == threshold {
      guard ties > 0 else { continue }
      ties -= 1
    }
    if value > 0 {
      indices[count] = Int32(truncatingIfNeeded: j)
      values[count] = value
      count += 1
    }
  }
  return count
}

/// Moves the rows written at a fixed stride (row i at i * stride, `offsets[i + 1]` entries)
/// together, turning `offsets` from counts into CSR offsets.
private func compact(
  offsets: UnsafeMutablePointer<Int>, indices: UnsafeMutablePointer<Int32>, values: UnsafeMutablePointer<Float>,
  rows: Int, stride: Int
) {
  offsets[0] = 0
  for i in 0..<rows {
    let (count, start, source) = (offsets[i + 1], offsets[i], i * stride)
    if start != source {
      for p in 0..<count {
        indices[start + p] = indices[source + p]
        values[start + p] = values[source + p]
      }
    }
    offsets[i + 1] = start + count
  }
}

/// Keeps the entries of `pre` above their column's threshold, as sparse codes (JumpReLU, or
/// ReLU with zero thresholds):
///
///     codes[i] = { (j, pre[i, j]) : pre[i, j] > max(threshold_j, 0) }
///
/// where threshold_j is `thresholds[j]`, or `threshold` for every column when `thresholds` is
/// nil. Two passes over `pre` (count, then fill), rows spread over the cores.
///
/// Shapes: `pre` is (rows, columns), `thresholds` has `columns` entries.
/// - Complexity: O(rows * columns).
public func selectCodes(
  _ pre: UnsafePointer<Float>, rows: Int, columns: Int, above thresholds: UnsafePointer<Float>?,
  threshold: Float = 0, into codes: inout SparseCodes
) {
  if let thresholds {
    selectWhere(pre, rows: rows, columns: columns, into: &codes) { j, value in value > Swift.max(thresholds[j], 0) }
  } else {
    let bound = Swift.max(threshold, 0)
    selectWhere(pre, rows: rows, columns: columns, into: &codes) { _, value in value > bound }
  }
}

/// The entries of `pre` within `halfWidth` of their column's threshold, |pre[i, j] − θ_j| <
/// halfWidth: where a JumpReLU's straight-through threshold gradient is nonzero (a rectangle
/// kernel of width 2 * halfWidth). Values are the pre-activations.
///
/// Shapes: `pre` is (rows, columns), `thresholds` has `columns` entries.
/// - Complexity: O(rows * columns).
public func selectNearThresholds(
  _ pre: UnsafePointer<Float>, rows: Int, columns: Int, thresholds: UnsafePointer<Float>, halfWidth: Float,
  into codes: inout SparseCodes
) {
  selectWhere(pre, rows: rows, columns: columns, into: &codes) { j, value in abs(value - thresholds[j]) < halfWidth }
}

/// Keeps the k * rows largest positive entries of the whole batch (BatchTopK), as sparse codes,
/// and returns the smallest value kept (0 when nothing is kept). Entries equal to that value
/// are all kept, so ties may keep a few more.
///
/// Shapes: `pre` is (rows, columns).
/// - Complexity: O(rows * columns): one radix selection over the batch, then `selectCodes`.
@discardableResult
public func selectBatchTopKCodes(
  _ pre: UnsafePointer<Float>, rows: Int, columns: Int, k: Int, into codes: inout SparseCodes
) -> Float {
  precondition(k > 0, "selectBatchTopKCodes: k \(k) must be positive")
  let (count, kept) = (rows * columns, Swift.min(rows * columns, k * rows))
  guard kept > 0 else {
    selectCodes(pre, rows: rows, columns: columns, above: nil, threshold: .infinity, into: &codes)
    return 0
  }
  let kth = Scratch.withBuffer(of: UInt32.self, count: count) { keys in
    Scratch.withBuffer(of: UInt32.self, count: TopKSelection.histogramSize) { histogram in
      TopKSelection.kthLargest(pre, count: count, k: kept, keys: keys, histogram: histogram).value
    }
  }
  let bound = kth > 0 ? kth.nextDown : 0
  selectCodes(pre, rows: rows, columns: columns, above: nil, threshold: bound, into: &codes)
  var smallest = Float.infinity
  for p in 0..<codes.nonzeroCount { smallest = Swift.min(smallest, codes.values[p]) }
  return codes.nonzeroCount > 0 ? smallest : 0
}

/// The entries of `pre` where `keep(column, value)`, in two passes (count per row, then fill)
/// with rows spread over the cores.
@inline(__always)
private func selectWhere(
  _ pre: UnsafePointer<Float>, rows: Int, columns: Int, into codes: inout SparseCodes,
  _ keep: (Int, Float) -> Bool
) {
  precondition(rows >= 0 && columns >= 0, "SparseCodes selection: shape \(rows) x \(columns)")
  codes.reset(rows: rows, columns: columns, capacity: 0)
  let chunk = Swift.max(1, 16_384 / Swift.max(1, columns))
  codes.offsets.withUnsafeMutableBufferPointer { offsets in
    let o = offsets.baseAddress!
    o[0] = 0
    Parallel.forEachChunk(of: rows, minimumChunk: chunk) { range in
      for i in range {
        let row = pre + i * columns
        var count = 0
        for j in 0..<columns where keep(j, row[j]) { count += 1 }
        o[i + 1] = count
      }
    }
    for i in 0..<rows { o[i + 1] += o[i] }
  }
  codes.reset(rows: rows, columns: columns, capacity: codes.offsets[rows])
  codes.offsets.withUnsafeBufferPointer { offsets in
    codes.indices.withUnsafeMutableBufferPointer { indices in
      codes.values.withUnsafeMutableBufferPointer { values in
        let (o, ix, v) = (offsets.baseAddress!, indices.baseAddress!, values.baseAddress!)
        Parallel.forEachChunk(of: rows, minimumChunk: chunk) { range in
          for i in range {
            let row = pre + i * columns
            var p = o[i]
            for j in 0..<columns where keep(j, row[j]) {
              ix[p] = Int32(truncatingIfNeeded: j)
              v[p] = row[j]
              p += 1
            }
          }
        }
      }
    }
  }
}

/// The sampled product at the pattern of `codes`: out[p] = a[i] · b[j] for each stored entry
/// p = (i, j), the rows of `a` against the rows of `b` that the codes name. In a sparse
/// autoencoder's backward pass, a = ∂L/∂x̂ and b = W_dec give ∂L/∂z at the active latents only.
///
/// Shapes: `a` is (codes.rows, width), `b` is (codes.columns, width), `out` has
/// `codes.nonzeroCount` entries; all row-major. Rows are spread over the cores; each row's dot
/// products are a C kernel per instruction set.
/// - Complexity: O(nonzeroCount * width).
public func sampledRowProducts(
  _ out: UnsafeMutablePointer<Float>, codes: SparseCodes, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
  width: Int, isa: KernelInstructionSet = .active
) {
  let rows = codes.rows
  guard rows > 0 else { return }
  let perRow = Swift.max(1, codes.nonzeroCount / rows) * Swift.max(1, width)
  codes.offsets.withUnsafeBufferPointer { offsets in
    codes.indices.withUnsafeBufferPointer { indices in
      let (o, ix) = (offsets.baseAddress!, indices.baseAddress!)
      Parallel.forEachChunk(of: rows, minimumChunk: Swift.max(1, 32_768 / perRow)) { range in
        for i in range {
          sparsity_row_dots(
            isa.rawValue, out + o[i], a + i * width, b, Int64(width), ix + o[i], Int64(o[i + 1] - o[i]), Int64(width))
        }
      }
    }
  }
}

/// Reference twin of `sampledRowProducts`: one product at a time, in order.
public func sampledRowProductsReference(
  _ out: UnsafeMutablePointer<Float>, codes: SparseCodes, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
  width: Int
) {
  for i in 0..<codes.rows {
    for p in codes.offsets[i]..<codes.offsets[i + 1] {
      let j = Int(codes.indices[p])
      var total: Float = 0
      for c in 0..<width { total += a[i * width + c] * b[j * width + c] }
      out[p] = total
    }
  }
}

/// out (=, or += when `accumulate`) codes × b: the sparse codes times a dense matrix, through
/// `sparseTimesDense`. With the codes of a batch and b = W_dec it decodes; with the transposed
/// codes and b = ∂L/∂x̂ it is W_dec's gradient.
///
/// Shapes: out is (codes.rows, width), b is (codes.columns, width).
/// - Complexity: O(nonzeroCount * width).
public func codesTimesDense(
  _ out: UnsafeMutablePointer<Float>, codes: SparseCodes, _ b: UnsafePointer<Float>, width: Int,
  accumulate: Bool = false
) {
  codes.offsets.withUnsafeBufferPointer { offsets in
    codes.indices.withUnsafeBufferPointer { indices in
      codes.values.withUnsafeBufferPointer { values in
        sparseTimesDense(
          out, offsets: offsets.baseAddress!, indices: indices.baseAddress!, values: values.baseAddress!, b,
          m: codes.rows, k: codes.columns, n: width, accumulate: accumulate)
      }
    }
  }
}
