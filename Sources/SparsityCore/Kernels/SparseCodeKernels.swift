// The kernels of a sparse autoencoder's code: choosing the active latents from the encoder's
// pre-activations (TopK, BatchTopK, a threshold per latent), and the sampled products of the
// backward pass that touch only those latents. With k of n latents active, everything after
// the encoder's dense product costs O(rows * k * d) instead of O(rows * n * d).
import CSparsityKernels

/// Keeps, in every row of `pre` (plus `bias`, when given, added to every row), the k largest
/// entries that are also positive (TopK, then ReLU), as sparse codes:
///
///     codes[i] = { (j, v_ij) : v_ij = pre[i, j] + bias[j] > 0 and v_ij among the k largest of row i }
///
/// Ties at the k-th value keep the first columns, so a row holds at most min(k, columns)
/// entries (fewer where fewer are positive), columns ascending. Each row is one pass of a C
/// kernel per instruction set (`sparsity_topk_row`): sixteen values at a time are compared
/// with a threshold that rises to the k-th largest as candidates come in, so most values cost
/// one comparison. Rows are spread over the cores.
///
/// Shapes: `pre` is (rows, columns), row-major; `bias` has `columns` entries.
/// - Complexity: O(rows * columns), plus O(k log(columns / k)) candidates per row on random data.
public func selectTopKCodes(
  _ pre: UnsafePointer<Float>, rows: Int, columns: Int, k: Int, bias: UnsafePointer<Float>? = nil,
  into codes: inout SparseCodes, isa: KernelInstructionSet = .active
) {
  precondition(k > 0 && rows >= 0 && columns >= 0, "selectTopKCodes: k \(k), shape \(rows) x \(columns)")
  let kept = Swift.min(k, columns)
  codes.reset(rows: rows, columns: columns, capacity: rows * kept)
  guard rows > 0, columns > 0 else {
    for i in 0...rows { codes.offsets[i] = 0 }
    return
  }
  let capacity = Swift.max(64, 4 * kept)
  codes.offsets.withUnsafeMutableBufferPointer { offsets in
    codes.indices.withUnsafeMutableBufferPointer { indices in
      codes.values.withUnsafeMutableBufferPointer { values in
        let (o, ix, v) = (offsets.baseAddress!, indices.baseAddress!, values.baseAddress!)
        Parallel.forEachChunk(of: rows, minimumChunk: Swift.max(1, 16_384 / columns)) { range in
          Scratch.withBuffer(of: Int32.self, count: capacity) { candidateIndices in
            Scratch.withBuffer(of: Float.self, count: 2 * capacity + 2 * columns) { floats in
              let (scratch, maxima) = (floats + capacity, floats + 2 * capacity + columns)
              for i in range {
                o[i + 1] = Int(
                  sparsity_topk_row(
                    isa.rawValue, ix + i * kept, v + i * kept, pre + i * columns, bias, Int64(columns), Int64(kept),
                    candidateIndices, floats, scratch, maxima, Int64(capacity)))
              }
            }
          }
        }
        compact(offsets: o, indices: ix, values: v, rows: rows, stride: kept)
      }
    }
  }
}

/// Reference twin of `selectTopKCodes`: each row's values sorted by value descending, then
/// column ascending, the first k positive ones kept.
public func selectTopKCodesReference(
  _ pre: UnsafePointer<Float>, rows: Int, columns: Int, k: Int, bias: UnsafePointer<Float>? = nil,
  into codes: inout SparseCodes
) {
  var (offsets, indices, values) = ([0], [Int32](), [Float]())
  for i in 0..<rows {
    let row = (0..<columns).map { pre[i * columns + $0] + (bias?[$0] ?? 0) }
    let order = (0..<columns).sorted { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }
    for j in order.prefix(k).filter({ row[$0] > 0 }).sorted() {
      indices.append(Int32(j))
      values.append(row[j])
    }
    offsets.append(values.count)
  }
  codes = SparseCodes(rows: rows, columns: columns, offsets: offsets, indices: indices, values: values)
}

/// Moves the rows written at a fixed stride (row i at i * stride, `offsets[i + 1]` entries)
/// together, turning `offsets` from counts into CSR offsets.
func compact(
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
/// nil. Two passes over each row of a C kernel per instruction set (count sixteen comparisons
/// at a time, then write the entries that passed), rows spread over the cores.
///
/// Shapes: `pre` is (rows, columns), `thresholds` has `columns` entries.
/// - Complexity: O(rows * columns).
public func selectCodes(
  _ pre: UnsafePointer<Float>, rows: Int, columns: Int, above thresholds: UnsafePointer<Float>?,
  threshold: Float = 0, into codes: inout SparseCodes
) {
  guard let thresholds else {
    return selectByThreshold(
      pre, rows: rows, columns: columns, thresholds: nil, threshold: Swift.max(threshold, 0), into: &codes)
  }
  let bounds = (0..<columns).map { Swift.max(thresholds[$0], 0) }
  bounds.withUnsafeBufferPointer {
    selectByThreshold(pre, rows: rows, columns: columns, thresholds: $0.baseAddress, threshold: 0, into: &codes)
  }
}

/// Reference twin of `selectCodes`: each entry tested in turn.
public func selectCodesReference(
  _ pre: UnsafePointer<Float>, rows: Int, columns: Int, above thresholds: UnsafePointer<Float>?,
  threshold: Float = 0, into codes: inout SparseCodes
) {
  let bound = Swift.max(threshold, 0)
  selectWhere(pre, rows: rows, columns: columns, into: &codes) { j, value in
    value > (thresholds.map { Swift.max($0[j], 0) } ?? bound)
  }
}

/// The entries of `pre` within `halfWidth` of their column's threshold, |pre[i, j] − θ_j| <
/// halfWidth: where a JumpReLU's straight-through threshold gradient is nonzero (a rectangle
/// kernel of width 2 * halfWidth). Values are the pre-activations. The same C kernel as
/// `selectCodes`.
///
/// Shapes: `pre` is (rows, columns), `thresholds` has `columns` entries.
/// - Complexity: O(rows * columns).
public func selectNearThresholds(
  _ pre: UnsafePointer<Float>, rows: Int, columns: Int, thresholds: UnsafePointer<Float>, halfWidth: Float,
  into codes: inout SparseCodes
) {
  selectByThreshold(
    pre, rows: rows, columns: columns, thresholds: thresholds, threshold: 0, halfWidth: halfWidth, into: &codes)
}

/// Reference twin of `selectNearThresholds`: each entry tested in turn.
public func selectNearThresholdsReference(
  _ pre: UnsafePointer<Float>, rows: Int, columns: Int, thresholds: UnsafePointer<Float>, halfWidth: Float,
  into codes: inout SparseCodes
) {
  selectWhere(pre, rows: rows, columns: columns, into: &codes) { j, value in abs(value - thresholds[j]) < halfWidth }
}

/// The entries with pre[i, j] > t_j, or |pre[i, j] − t_j| < halfWidth when it is given (t_j =
/// `thresholds[j]`, or `threshold` when nil): a counting pass, then a writing pass, of
/// `sparsity_select_row` per row, rows spread over the cores.
private func selectByThreshold(
  _ pre: UnsafePointer<Float>, rows: Int, columns: Int, thresholds: UnsafePointer<Float>?, threshold: Float,
  halfWidth: Float? = nil, into codes: inout SparseCodes, isa: KernelInstructionSet = .active
) {
  precondition(rows >= 0 && columns >= 0, "SparseCodes selection: shape \(rows) x \(columns)")
  let (near, width) = (Int32(halfWidth == nil ? 0 : 1), halfWidth ?? 0)
  buildCodes(rows: rows, columns: columns, into: &codes) { i in
    Int(
      sparsity_select_row(isa.rawValue, nil, nil, pre + i * columns, thresholds, threshold, width, near, Int64(columns))
    )
  } fill: { i, indices, values in
    _ = sparsity_select_row(
      isa.rawValue, indices, values, pre + i * columns, thresholds, threshold, width, near, Int64(columns))
  }
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

/// The entries of `pre` where `keep(column, value)`, tested one by one.
private func selectWhere(
  _ pre: UnsafePointer<Float>, rows: Int, columns: Int, into codes: inout SparseCodes,
  _ keep: (Int, Float) -> Bool
) {
  buildCodes(rows: rows, columns: columns, into: &codes) { i in
    (0..<columns).reduce(0) { $0 + (keep($1, pre[i * columns + $1]) ? 1 : 0) }
  } fill: { i, indices, values in
    var p = 0
    for j in 0..<columns where keep(j, pre[i * columns + j]) {
      indices[p] = Int32(truncatingIfNeeded: j)
      values[p] = pre[i * columns + j]
      p += 1
    }
  }
}

/// Sparse codes of `rows` rows made in two passes, rows spread over the cores: `count(i)` gives
/// row i's entries, then, the offsets known, `fill(i, indices, values)` writes them (columns
/// ascending) where row i's entries go.
private func buildCodes(
  rows: Int, columns: Int, into codes: inout SparseCodes, count: (Int) -> Int,
  fill: (Int, UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Float>) -> Void
) {
  precondition(rows >= 0 && columns >= 0, "SparseCodes selection: shape \(rows) x \(columns)")
  codes.reset(rows: rows, columns: columns, capacity: 0)
  let chunk = Swift.max(1, 16_384 / Swift.max(1, columns))
  codes.offsets.withUnsafeMutableBufferPointer { offsets in
    let o = offsets.baseAddress!
    o[0] = 0
    Parallel.forEachChunk(of: rows, minimumChunk: chunk) { range in for i in range { o[i + 1] = count(i) } }
    for i in 0..<rows { o[i + 1] += o[i] }
  }
  codes.reset(rows: rows, columns: columns, capacity: codes.offsets[rows])
  codes.offsets.withUnsafeBufferPointer { offsets in
    codes.indices.withUnsafeMutableBufferPointer { indices in
      codes.values.withUnsafeMutableBufferPointer { values in
        let (o, ix, v) = (offsets.baseAddress!, indices.baseAddress!, values.baseAddress!)
        Parallel.forEachChunk(of: rows, minimumChunk: chunk) { range in for i in range { fill(i, ix + o[i], v + o[i]) }
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
/// `sparseTimesDense` in one panel (a code's few entries per row are scattered over all of b,
/// so panels would only re-read the output row; measured faster on the SAE's shapes). With the codes of a batch and b = W_dec it decodes; with the transposed
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
          m: codes.rows, k: codes.columns, n: width, accumulate: accumulate, panelColumns: Swift.max(1, codes.columns))
      }
    }
  }
}
