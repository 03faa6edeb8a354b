// The batch path of `sparseInputSparseWeightsMatMul`: sixteen samples side by side in the lanes
// of one vector, so that a stored weight costs one vector multiply-add for sixteen samples.
//
// Per sample, a scatter of scalar products costs a load, an add and a store for every stored
// weight of every nonzero input. With the batch as the vector dimension, a group of 16 samples
// is transposed to feature-major, X_g^T (inputs, 16); an input that is zero in all 16 samples
// is skipped, and for every other input j each stored weight W[i, j] adds W[i, j] * X_g^T[j, :]
// to row i of Y_g^T (outputs, 16), which stays in the core's cache. Y_g^T is transposed back.
import CSparsityKernels

/// Samples per lane group: one 512-bit vector of Float.
let laneGroupWidth = 16

/// From this batch size on, `sparseInputSparseWeightsMatMul` works in lane groups.
let laneGroupMinimumBatch = 8

extension SparseColumns {
  /// Y = X W^T for all samples, in groups of `laneGroupWidth` spread over the cores.
  ///
  /// Shapes as `sparseInputSparseWeightsMatMul`: y (batch, outputs), x (batch, inputs).
  /// Work per group: O(inputs * 16 + outputs * 16 + 16 * (stored weights of the inputs nonzero
  /// in some sample of the group)); an input nonzero in one sample of a group is multiplied in
  /// all 16 lanes (zero times a finite weight adds nothing).
  func multiplyInLaneGroups(
    _ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, batch: Int, inputs: Int, outputs: Int
  ) {
    let groups = (batch + laneGroupWidth - 1) / laneGroupWidth
    let small = offsets[inputs] * batch < 1 << 16
    Parallel.forEachChunk(of: groups, minimumChunk: small ? groups : 1) { groupRange in
      for group in groupRange {
        let first = group * laneGroupWidth
        let count = Swift.min(laneGroupWidth, batch - first)
        multiplyLaneGroup(y + first * outputs, x + first * inputs, count: count, inputs: inputs, outputs: outputs)
      }
    }
  }

  /// Rows 0..<count of y (count, outputs) = x (count, inputs) W^T, count <= 16, as one group.
  func multiplyLaneGroup(
    _ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, count: Int, inputs: Int, outputs: Int
  ) {
    Scratch.withBuffer(of: Float.self, count: inputs * laneGroupWidth) { xt in
      Scratch.withBuffer(of: Float.self, count: outputs * laneGroupWidth) { yt in
        Scratch.withBuffer(of: Int32.self, count: inputs) { active in
          transposeToLanes(xt, x, count: count, columns: inputs)
          yt.update(repeating: 0, count: outputs * laneGroupWidth)
          var activeCount = 0
          for j in 0..<inputs where isNonzero(loadLanes(xt + j * laneGroupWidth)) {
            active[activeCount] = Int32(truncatingIfNeeded: j)
            activeCount += 1
          }
          accumulateLanes(yt, xt, active, activeCount, outputs: outputs)
          transposeFromLanes(y, yt, count: count, columns: outputs)
        }
      }
    }
  }

  /// yt[i, :] += W[i, j] * xt[j, :] for every stored weight of the inputs j in `active`.
  ///
  /// The outputs go in tiles of `laneTileRows` rows (32 KiB of yt, which stays in the L1
  /// cache while every active input adds into it); rows are sorted within a column, so a cursor
  /// per active input carries on where the previous tile stopped.
  func accumulateLanes(
    _ yt: UnsafeMutablePointer<Float>, _ xt: UnsafePointer<Float>, _ active: UnsafePointer<Int32>, _ count: Int,
    outputs: Int
  ) {
    Scratch.withBuffer(of: Int.self, count: count) { cursor in
      for a in 0..<count { cursor[a] = offsets[Int(active[a])] }
      for tileStart in stride(from: 0, to: outputs, by: laneTileRows) {
        let tileEnd = Int32(truncatingIfNeeded: Swift.min(outputs, tileStart + laneTileRows))
        for a in 0..<count {
          let j = Int(active[a])
          cursor[a] = accumulateColumn(yt, xt + j * laneGroupWidth, from: cursor[a], to: offsets[j + 1], below: tileEnd)
        }
      }
    }
  }

  /// yt[rows[p], :] += values[p] * xj for p from `start` while p < `end` and rows[p] < `limit`;
  /// returns where it stopped (C micro-kernel; rows are distinct within a column).
  @inline(__always)
  func accumulateColumn(
    _ yt: UnsafeMutablePointer<Float>, _ xj: UnsafePointer<Float>, from start: Int, to end: Int, below limit: Int32,
    isa: KernelInstructionSet = .active
  ) -> Int {
    Int(sparsity_accumulate_lanes(isa.rawValue, yt, xj, rows, values, Int64(start), Int64(end), limit))
  }
}

/// Output rows per tile of `accumulateLanes`: 512 rows of 16 lanes are 32 KiB.
let laneTileRows = 512

/// xt (columns, 16) = the transpose of x (count, columns), lanes count..<16 zero.
func transposeToLanes(_ xt: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, count: Int, columns: Int) {
  guard count < laneGroupWidth else { return transpose(xt, x, rows: laneGroupWidth, columns: columns) }
  Scratch.withBuffer(of: Float.self, count: laneGroupWidth * columns) { padded in
    padded.update(from: x, count: count * columns)
    (padded + count * columns).update(repeating: 0, count: (laneGroupWidth - count) * columns)
    transpose(xt, padded, rows: laneGroupWidth, columns: columns)
  }
}

/// y (count, columns) = the first `count` lanes of yt (columns, 16), transposed.
func transposeFromLanes(_ y: UnsafeMutablePointer<Float>, _ yt: UnsafePointer<Float>, count: Int, columns: Int) {
  guard count < laneGroupWidth else { return transpose(y, yt, rows: columns, columns: laneGroupWidth) }
  Scratch.withBuffer(of: Float.self, count: laneGroupWidth * columns) { full in
    transpose(full, yt, rows: columns, columns: laneGroupWidth)
    y.update(from: full, count: count * columns)
  }
}

/// True when some lane is not +0 or -0 (NaN counts as nonzero). Compares bit patterns, which
/// stays one vector reduction (`!=` on the Float vector compiled to a lane-by-lane loop).
@inline(__always)
func isNonzero(_ v: SIMD16<Float>) -> Bool {
  (unsafeBitCast(v, to: SIMD16<UInt32>.self) & SIMD16(repeating: 0x7fff_ffff)).max() != 0
}

@inline(__always)
func loadLanes(_ p: UnsafePointer<Float>) -> SIMD16<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }
