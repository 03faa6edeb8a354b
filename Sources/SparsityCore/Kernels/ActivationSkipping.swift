// Activation skipping: a layer's product with an input that a ReLU made sparse reads only the
// weights that meet nonzero inputs. This is the seed's "zero activations need not be multiplied".
//
// Weights are kept input-major, W^T with shape (inputs, outputs), so that all the weights
// leaving one input are contiguous and a zero input skips one whole row.
import CSparsityKernels

/// y = W x reading only the rows of W^T whose input is nonzero.
///
/// Shapes: y is (outputs); `weightsByInput` is W^T, (inputs, outputs), row-major; x is (inputs).
/// With a fraction s of zero inputs it reads (1 - s) of the weights, so the memory traffic
/// that bounds a matrix-vector product falls by 1 / (1 - s).
/// - Complexity: O(inputs + nnz(x) * outputs).
public func activationSkippingMatVec(
  _ y: UnsafeMutablePointer<Float>, _ weightsByInput: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
  inputs: Int, outputs: Int
) {
  guard outputs > 0 else { return }
  withUnsafeTemporaryAllocation(of: Int32.self, capacity: Swift.max(1, inputs)) { indices in
    withUnsafeTemporaryAllocation(of: Float.self, capacity: Swift.max(1, inputs)) { values in
      let count = gatherNonzeros(x, count: inputs, indices: indices.baseAddress!, values: values.baseAddress!)
      sumOfScaledRows(y, weightsByInput, indices.baseAddress!, values.baseAddress!, count, outputs)
    }
  }
}

/// y = sum over the nonzero x[i], i in the ranges `runs`, of x[i] times its row of W^T, on the
/// calling thread: the part of `activationSkippingMatVec` that those inputs add, for an input
/// whose parts are computed on different threads (the compiled model's row bands).
/// `weightsByInput` holds only the rows of the runs' inputs, in the runs' order. y is
/// overwritten.
///
/// Shapes: y is (outputs); `weightsByInput` is (inputs in the runs, outputs); x is read only in
/// the runs.
/// - Complexity: O(inputs in the runs + nonzeros in them * outputs).
public func activationSkippingPartialMatVec(
  _ y: UnsafeMutablePointer<Float>, _ weightsByInput: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
  runs: [Range<Int>], outputs: Int
) {
  guard outputs > 0 else { return }
  let length = runs.reduce(0) { $0 + $1.count }
  Scratch.withBuffer(of: Int32.self, count: Swift.max(1, length)) { indices in
    Scratch.withBuffer(of: Float.self, count: Swift.max(1, length)) { values in
      var (count, row) = (0, 0)
      for run in runs {
        count += gatherNonzeros(
          x + run.lowerBound, count: run.count, indices: indices + count, values: values + count, firstIndex: row)
        row += run.count
      }
      y.update(repeating: 0, count: outputs)
      axpyRows(y, outputs, values, weightsByInput, outputs, indices, count)
    }
  }
}

/// y = sum_p values[p] * W^T[indices[p], :]. The stored inputs are split over the cores; each
/// core streams whole weight rows into its own copy of y, and the copies are added at the end.
func sumOfScaledRows(
  _ y: UnsafeMutablePointer<Float>, _ weightsByInput: UnsafePointer<Float>,
  _ indices: UnsafePointer<Int32>, _ values: UnsafePointer<Float>, _ count: Int, _ outputs: Int
) {
  let pieces = count * outputs < 1 << 16 ? 1 : Parallel.threadCount
  Scratch.withBuffer(of: Float.self, count: (pieces - 1) * outputs) { partials in
    Parallel.forEachChunk(of: pieces) { range in
      for piece in range {
        let start = count * piece / pieces
        let end = count * (piece + 1) / pieces
        let target = piece == 0 ? y : partials + (piece - 1) * outputs
        target.update(repeating: 0, count: outputs)
        axpyRows(target, outputs, values + start, weightsByInput, outputs, indices + start, end - start)
      }
    }
    for piece in 1..<Swift.max(1, pieces) { axpy(y, 1, partials + (piece - 1) * outputs, outputs) }
  }
}

/// y[0..<n] += sum_{r<count} a[r] * b[rows[r] * ldb ..< +n]: eight weight rows per pass over y.
@inline(__always)
func axpyRows(
  _ y: UnsafeMutablePointer<Float>, _ n: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
  _ ldb: Int, _ rows: UnsafePointer<Int32>, _ count: Int, isa: KernelInstructionSet = .active
) {
  sparsity_axpy_rows(isa.rawValue, y, Int64(n), a, b, Int64(ldb), rows, Int64(count))
}

/// Y = X W for a batch, reading for each sample only the weight rows of its nonzero inputs.
///
/// Shapes: Y is (batch, outputs); `weightsByInput` is W^T, (inputs, outputs); X is
/// (batch, inputs). The nonzeros of X are gathered per sample once. Outputs are cut into
/// 64-wide tiles spread over the cores; for each tile, the 256-byte segments of the weight rows
/// that any sample needs are packed into a contiguous panel (one streaming read, as dense GEMM
/// packs its operands), then each sample sums the segments of its own nonzero inputs with 64
/// accumulators in registers. Inputs inactive in the whole batch are never read.
/// - Complexity: O(batch * inputs + nnz(X) * outputs) flops; weight traffic O(active inputs * outputs).
public func activationSkippingMatMul(
  _ y: UnsafeMutablePointer<Float>, _ weightsByInput: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
  batch: Int, inputs: Int, outputs: Int
) {
  guard batch > 0, outputs > 0 else { return }
  if batch == 1 { return activationSkippingMatVec(y, weightsByInput, x, inputs: inputs, outputs: outputs) }
  let capacity = batch * inputs
  Scratch.withBuffer(of: Int32.self, count: capacity) { packedIndices in
    Scratch.withBuffer(of: Float.self, count: capacity) { values in
      Scratch.withBuffer(of: Int.self, count: batch + 1) { offsets in
        Scratch.withBuffer(of: Int32.self, count: inputs) { activeInputs in
          // Inputs active in some sample, numbered in order: their packed row in the panels.
          var activeCount = 0
          Scratch.withBuffer(of: Int32.self, count: inputs) { packedRow in
            for j in 0..<inputs {
              var active = false
              for b in 0..<batch where x[b * inputs + j] != 0 {
                active = true
                break
              }
              packedRow[j] = active ? Int32(truncatingIfNeeded: activeCount) : -1
              if active {
                activeInputs[activeCount] = Int32(truncatingIfNeeded: j)
                activeCount += 1
              }
            }
            // The nonzeros of X per sample (CSR), with packed row numbers as indices.
            var stored = 0
            offsets[0] = 0
            for b in 0..<batch {
              for j in 0..<inputs where x[b * inputs + j] != 0 {
                packedIndices[stored] = packedRow[j]
                values[stored] = x[b * inputs + j]
                stored += 1
              }
              offsets[b + 1] = stored
            }
          }
          multiplyPackedTiles(
            y, weightsByInput, activeInputs, activeCount, offsets, packedIndices, values, batch: batch, outputs: outputs
          )
        }
      }
    }
  }
}

/// The tile loop of `activationSkippingMatMul`: pack, then accumulate each sample's row.
func multiplyPackedTiles(
  _ y: UnsafeMutablePointer<Float>, _ weightsByInput: UnsafePointer<Float>,
  _ activeInputs: UnsafePointer<Int32>, _ activeCount: Int,
  _ offsets: UnsafePointer<Int>, _ packedIndices: UnsafePointer<Int32>, _ values: UnsafePointer<Float>,
  batch: Int, outputs: Int
) {
  let tileWidth = 64
  let tiles = (outputs + tileWidth - 1) / tileWidth
  let work = offsets[batch] * outputs
  Parallel.forEachChunk(of: tiles, minimumChunk: work < 1 << 16 ? tiles : 1) { tileRange in
    Scratch.withBuffer(of: Float.self, count: activeCount * tileWidth) { panel in
      for tile in tileRange {
        let c0 = tile * tileWidth
        let width = Swift.min(tileWidth, outputs - c0)
        for r in 0..<activeCount {
          (panel + r * tileWidth).update(from: weightsByInput + Int(activeInputs[r]) * outputs + c0, count: width)
        }
        for b in 0..<batch {
          let (start, end) = (offsets[b], offsets[b + 1])
          let row = y + b * outputs + c0
          if width == tileWidth {
            accumulate64(row, packedIndices + start, values + start, end - start, panel, tileWidth, overwrite: true)
          } else {
            row.update(repeating: 0, count: width)
            for p in start..<end { axpy(row, values[p], panel + Int(packedIndices[p]) * tileWidth, width) }
          }
        }
      }
    }
  }
}

/// Reference twin of `activationSkippingMatMul`: Y = X W with every product computed.
public func activationSkippingMatMulReference(
  _ y: UnsafeMutablePointer<Float>, _ weightsByInput: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
  batch: Int, inputs: Int, outputs: Int
) {
  for b in 0..<batch {
    for o in 0..<outputs {
      var total: Float = 0
      for j in 0..<inputs { total += x[b * inputs + j] * weightsByInput[j * outputs + o] }
      y[b * outputs + o] = total
    }
  }
}

/// Reference twin of `activationSkippingMatVec`.
public func activationSkippingMatVecReference(
  _ y: UnsafeMutablePointer<Float>, _ weightsByInput: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
  inputs: Int, outputs: Int
) {
  activationSkippingMatMulReference(y, weightsByInput, x, batch: 1, inputs: inputs, outputs: outputs)
}
