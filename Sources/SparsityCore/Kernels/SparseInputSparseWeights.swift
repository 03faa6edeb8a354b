// Skipping zero inputs and zero weights together: for each nonzero input, add its stored
// weight column. This is the product of a pruned layer fed by a ReLU at small batch sizes.
//
// Weights are kept column-major (CSC, the layout of `CSCMatrix`): column j holds every stored
// weight that input j feeds, so a zero input skips its whole column and a zero weight is never
// stored. The work is nnz(x) x (stored weights per column) scalar multiply-adds.

/// Y = X W^T reading, for each sample, only the stored weights of its nonzero inputs.
///
/// Shapes: y is (batch, outputs), row-major; W (outputs, inputs) is given column by column:
/// `columnOffsets` (inputs + 1 entries), `rowIndices` (the output of each stored weight) and
/// `values`; x is (batch, inputs), row-major. From `laneGroupMinimumBatch` samples on, groups of
/// 16 samples share the lanes of a vector (`multiplyInLaneGroups`): each stored weight of an
/// input nonzero in some sample of the group is one 16-lane multiply-add. Smaller batches
/// scatter scalar products per sample, samples spread over the cores (each writes only its own
/// row of y); a single sample with at least 2^14 active multiply-adds is split over the cores by
/// active work, each core summing into its own copy of y.
/// - Complexity: O(batch * inputs + sum over samples of the stored weights of its nonzero inputs);
///   in lane groups, 16 lanes per stored weight of each input nonzero somewhere in the group.
public func sparseInputSparseWeightsMatMul(
  _ y: UnsafeMutablePointer<Float>,
  columnOffsets: UnsafePointer<Int>, rowIndices: UnsafePointer<Int32>, values: UnsafePointer<Float>,
  _ x: UnsafePointer<Float>, batch: Int, inputs: Int, outputs: Int
) {
  guard batch > 0, outputs > 0 else { return }
  let stored = columnOffsets[inputs]
  let weights = SparseColumns(offsets: columnOffsets, rows: rowIndices, values: values)
  if batch == 1 && Parallel.threadCount > 1 {
    let active = weights.activeWork(x, inputs: inputs)
    if active >= splitThreshold {
      return weights.splitSample(y, x, inputs: inputs, outputs: outputs, activeWork: active)
    }
  }
  if batch >= laneGroupMinimumBatch {
    return weights.multiplyInLaneGroups(y, x, batch: batch, inputs: inputs, outputs: outputs)
  }
  Parallel.forEachChunk(of: batch, minimumChunk: stored * batch < 1 << 16 ? batch : 1) { samples in
    for b in samples {
      let row = y + b * outputs
      row.update(repeating: 0, count: outputs)
      weights.scatter(row, x + b * inputs, inputs: 0..<inputs)
    }
  }
}

/// Multiply-adds (stored weights of nonzero inputs) from which one sample is split over the cores.
let splitThreshold = 1 << 14

/// The raw arrays of a CSC weight matrix, valid inside `sparseInputSparseWeightsMatMul`.
struct SparseColumns {
  let offsets: UnsafePointer<Int>
  let rows: UnsafePointer<Int32>
  let values: UnsafePointer<Float>

  /// y += sum over j in `inputs` with x[j] != 0 of x[j] * W[:, j] (stored entries only).
  @inline(__always)
  func scatter(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, inputs: Range<Int>) {
    for j in inputs {
      let xj = x[j]
      if xj == 0 { continue }
      var p = offsets[j]
      let end = offsets[j + 1]
      // Rows are distinct within a column, so four updates are independent.
      while p + 4 <= end {
        let (r0, r1, r2, r3) = (Int(rows[p]), Int(rows[p + 1]), Int(rows[p + 2]), Int(rows[p + 3]))
        let (v0, v1, v2, v3) = (values[p] * xj, values[p + 1] * xj, values[p + 2] * xj, values[p + 3] * xj)
        y[r0] += v0
        y[r1] += v1
        y[r2] += v2
        y[r3] += v3
        p += 4
      }
      while p < end {
        y[Int(rows[p])] += values[p] * xj
        p += 1
      }
    }
  }

  /// The stored weights of the nonzero inputs of x: the multiply-adds of one sample.
  func activeWork(_ x: UnsafePointer<Float>, inputs: Int) -> Int {
    var work = 0
    for j in 0..<inputs where x[j] != 0 { work += offsets[j + 1] - offsets[j] }
    return work
  }

  /// One sample split over the cores: each core takes a run of inputs holding an equal share of
  /// the active work and sums into its own copy of y; the copies are added at the end.
  func splitSample(
    _ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, inputs: Int, outputs: Int, activeWork: Int
  ) {
    let pieces = Parallel.threadCount
    withUnsafeTemporaryAllocation(of: Int.self, capacity: pieces + 1) { bounds in
      // bounds[p] = first input of piece p: where the running active work reaches p / pieces.
      var (piece, done) = (1, 0)
      bounds[0] = 0
      for j in 0..<inputs where piece < pieces {
        if x[j] != 0 { done += offsets[j + 1] - offsets[j] }
        while piece < pieces && done * pieces >= activeWork * piece {
          bounds[piece] = j + 1
          piece += 1
        }
      }
      while piece <= pieces {
        bounds[piece] = inputs
        piece += 1
      }
      Scratch.withBuffer(of: Float.self, count: (pieces - 1) * outputs) { partials in
        Parallel.forEachChunk(of: pieces) { range in
          for p in range {
            let target = p == 0 ? y : partials + (p - 1) * outputs
            target.update(repeating: 0, count: outputs)
            scatter(target, x, inputs: bounds[p]..<bounds[p + 1])
          }
        }
        for p in 1..<pieces { axpy(y, 1, partials + (p - 1) * outputs, outputs) }
      }
    }
  }
}

/// Reference twin of `sparseInputSparseWeightsMatMul`: every stored weight times its input,
/// zero inputs included.
public func sparseInputSparseWeightsMatMulReference(
  _ y: UnsafeMutablePointer<Float>,
  columnOffsets: UnsafePointer<Int>, rowIndices: UnsafePointer<Int32>, values: UnsafePointer<Float>,
  _ x: UnsafePointer<Float>, batch: Int, inputs: Int, outputs: Int
) {
  y.update(repeating: 0, count: batch * outputs)
  for b in 0..<batch {
    for j in 0..<inputs {
      for p in columnOffsets[j]..<columnOffsets[j + 1] {
        y[b * outputs + Int(rowIndices[p])] += values[p] * x[b * inputs + j]
      }
    }
  }
}

extension CSCMatrix {
  /// Y = X W^T with this matrix as W (outputs x inputs), skipping zero inputs and zero weights;
  /// writes into `out` (batch, rows).
  /// - Complexity: O(batch * columns + stored weights of the nonzero inputs).
  public func productSkippingZeroInputs(_ input: Tensor, into out: inout Tensor) {
    let batch = checkedBatch(input, &out, inputs: columns, outputs: rows, "CSCMatrix.productSkippingZeroInputs")
    storage.rowOffsets.withUnsafeBufferPointer { o in
      storage.columnIndices.withUnsafeBufferPointer { r in
        storage.values.withUnsafeBufferPointer { v in
          input.scalars.withUnsafeBufferPointer { x in
            out.scalars.withUnsafeMutableBufferPointer { y in
              guard let yp = y.baseAddress, let rp = r.baseAddress, let vp = v.baseAddress, let xp = x.baseAddress
              else {
                return y.update(repeating: 0)
              }
              sparseInputSparseWeightsMatMul(
                yp, columnOffsets: o.baseAddress!, rowIndices: rp, values: vp, xp, batch: batch, inputs: columns,
                outputs: rows)
            }
          }
        }
      }
    }
  }

  /// Y = X W^T with this matrix as W, skipping zero inputs and zero weights.
  public func productSkippingZeroInputs(_ input: Tensor) -> Tensor {
    var out = Tensor(zeros: [input.rows, rows])
    productSkippingZeroInputs(input, into: &out)
    return out
  }
}
