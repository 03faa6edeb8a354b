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
/// row of y); a single sample gathers its nonzero inputs first (`gatherNonzeros`) and, with at
/// least `splitThreshold` active multiply-adds, is split over the cores by active work, each
/// core summing into its own copy of y.
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
  if batch == 1 {
    return weights.multiplySample(y, x, inputs: inputs, outputs: outputs)
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
let splitThreshold = 1 << 12

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
      add(y, column: j, times: xj)
    }
  }

  /// y += xj * W[:, j] (stored entries only).
  @inline(__always)
  func add(_ y: UnsafeMutablePointer<Float>, column j: Int, times xj: Float) {
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

  /// One sample: its nonzero inputs gathered first without a branch per input (a ReLU's zeros
  /// fall at random, so a test per input mispredicts about as often as the input is nonzero and
  /// cost more than the multiply-adds at batch 1), then their columns added. From
  /// `splitThreshold` multiply-adds on, the gathered inputs are cut into runs of equal work, one
  /// per core, each core summing into its own copy of y; the copies are added at the end.
  func multiplySample(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, inputs: Int, outputs: Int) {
    Scratch.withBuffer(of: Int32.self, count: inputs) { indices in
      Scratch.withBuffer(of: Float.self, count: inputs) { scales in
        let count = gatherNonzeros(x, count: inputs, indices: indices, values: scales)
        var work = 0
        for q in 0..<count { work &+= offsets[Int(indices[q]) + 1] &- offsets[Int(indices[q])] }
        let pieces = work >= splitThreshold ? Swift.min(Parallel.threadCount, count) : 1
        let addRun = { (target: UnsafeMutablePointer<Float>, run: Range<Int>) in
          target.update(repeating: 0, count: outputs)
          for q in run { self.add(target, column: Int(indices[q]), times: scales[q]) }
        }
        guard pieces > 1 else { return addRun(y, 0..<count) }
        Scratch.withBuffer(of: Int.self, count: pieces + 1) { bounds in
          // bounds[p] = first gathered input of piece p: where the running work reaches p / pieces.
          var (piece, done) = (1, 0)
          bounds[0] = 0
          for q in 0..<count where piece < pieces {
            done += offsets[Int(indices[q]) + 1] - offsets[Int(indices[q])]
            while piece < pieces && done * pieces >= work * piece {
              bounds[piece] = q + 1
              piece += 1
            }
          }
          while piece <= pieces {
            bounds[piece] = count
            piece += 1
          }
          Scratch.withBuffer(of: Float.self, count: (pieces - 1) * outputs) { partials in
            Parallel.forEachChunk(of: pieces) { range in
              for p in range { addRun(p == 0 ? y : partials + (p - 1) * outputs, bounds[p]..<bounds[p + 1]) }
            }
            for p in 1..<pieces { axpy(y, 1, partials + (p - 1) * outputs, outputs) }
          }
        }
      }
    }
  }
}

/// Writes the positions (`indices`, counted from `firstIndex`) and values of the nonzero entries
/// of x[0..<count] in order and returns how many there are. Every entry is written at the next
/// free slot and the slot advanced only when it is nonzero: no branch per entry, whatever the
/// pattern of zeros. Both buffers hold `count` elements. NaN counts as nonzero; -0 as zero.
/// - Complexity: O(count).
@inline(__always)
func gatherNonzeros(
  _ x: UnsafePointer<Float>, count: Int, indices: UnsafeMutablePointer<Int32>, values: UnsafeMutablePointer<Float>,
  firstIndex: Int = 0
) -> Int {
  var kept = 0
  for j in 0..<count {
    let v = x[j]
    indices[kept] = Int32(truncatingIfNeeded: firstIndex &+ j)
    values[kept] = v
    // The magnitude's bits, an integer test: a float comparison compiles to branches (for NaN).
    kept &+= Int(truncatingIfNeeded: (v.bitPattern & 0x7fff_ffff) != 0 ? 1 as UInt8 : 0)
  }
  return kept
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
