// The direct sparse convolution: each output plane as a weighted sum of shifted runs of the
// zero-padded input image (split into stride phases), sixteen outputs a vector.

import CSparsityKernels

/// The zero-padded input of a convolution laid out so that every filter tap is one constant
/// offset from the output position it adds to.
///
/// Stride 1: with the input padded to Hp x Wp and the output laid out "wide", with rows Wp long
/// (the last Wp - output columns of each row are discarded), output position t = p Wp + q reads
/// tap (c, i, j) at t + c Hp Wp + i dr Wp + j dc. So a plane is
/// `wide[t] = b + sum over nonzero taps e of w_e * padded[t + offset_e]` for t < `wideLength`,
/// one vector multiply-add per 16 outputs and tap, with no im2col and no per-row bounds.
///
/// Stride s (sr x sc): the padded input is split into its sr sc phases, phase (a, b) holding the
/// pixels at rows a, a + sr, ... and columns b, b + sc, ... (each ceil(Hp / sr) x ceil(Wp / sc),
/// zero filled). Tap (c, i, j) of output (p, q) reads padded row p sr + i dr, which is row
/// p + floor(i dr / sr) of phase a = i dr mod sr (columns likewise), so the plane is again a sum
/// of shifted runs, in one phase of one channel per tap, with rows `rowStride` = ceil(Wp / sc)
/// long (Park et al. 2017 split strided convolutions the same way).
///
/// The last offset plus `wideLength` ends at most at the image's end, so rounding the length up
/// to 16 reads at most 15 floats past it: `imageLength` includes that slack.
struct ShiftedImage: Equatable, Sendable {
  let geometry: ConvolutionGeometry
  /// The padded input's rows and columns.
  let paddedRows: Int
  let paddedColumns: Int
  /// The rows and columns of one phase (the padded input's with stride 1); `rowStride` is the
  /// length of a computed plane's rows.
  let phaseRows: Int
  let rowStride: Int
  /// Floats of one phase of one input channel.
  let planeLength: Int
  /// Floats of the laid-out image plus 16 of zeros after it (the rounded reads' slack).
  let imageLength: Int
  /// Outputs of one wide plane: (output rows - 1) `rowStride` + output columns.
  let wideLength: Int
  /// `wideLength` rounded up to a multiple of 16, the length each plane is computed for.
  let roundedLength: Int

  /// The layout for `geometry`, or nil when an offset would not fit Int32.
  init?(_ geometry: ConvolutionGeometry) {
    let window = geometry.window
    let rows = geometry.input.rows + 2 * window.paddingRows
    let columns = geometry.input.columns + 2 * window.paddingColumns
    let phaseCount = (rows + window.strideRows - 1) / window.strideRows
    let phaseColumns = (columns + window.strideColumns - 1) / window.strideColumns
    let (plane, o1) = phaseCount.multipliedReportingOverflow(by: phaseColumns)
    let (phases, o2) = geometry.input.channels.multipliedReportingOverflow(by: window.strideRows * window.strideColumns)
    let (image, o3) = plane.multipliedReportingOverflow(by: phases)
    guard !o1, !o2, !o3, image + 16 <= Int(Int32.max) else { return nil }
    self.geometry = geometry
    (paddedRows, paddedColumns, phaseRows, rowStride) = (rows, columns, phaseCount, phaseColumns)
    (planeLength, imageLength) = (plane, image + 16)
    wideLength = (geometry.output.rows - 1) * phaseColumns + geometry.output.columns
    roundedLength = (wideLength + 15) / 16 * 16
  }

  /// True when planes with `taps` nonzero filter taps on average are computed by output rows
  /// (`sparsity_shifted_rows`: eight outputs a vector, each row's own) rather than wide (sixteen
  /// a vector over `roundedLength`): rows must be at least 8 outputs, and the estimated cost
  /// lower. A tap costs a wide vector about twice what it costs a row vector (twice the lanes,
  /// as measured on AVX-512 and AVX2 alike), and each vector a few operations more to start,
  /// activate and store, more by rows (shorter passes); a plane max-pooled (`pooled`) costs a
  /// pass of its own unless rows pool as they are stored (`poolsByRows`). So 8 x 8 outputs in
  /// rows 12 long (6 wide vectors, 8 row vectors) go by rows at LeNet's 40 taps, and its first
  /// convolution's 24 x 24 outputs (42 wide, 72 row vectors) stay wide at 2 or 3 taps, measured
  /// 3.1 against 4.3 us a sample.
  func computesByRows(taps: Int, pooled: Bool) -> Bool {
    let output = geometry.output
    guard output.columns >= 8 else { return false }
    let poolPass = pooled ? output.pixelCount / 4 : 0
    let rowVectors = output.rows * ((output.columns + 7) / 8)
    let rows = rowVectors * (taps + 6) + (poolsByRows ? 0 : poolPass)
    return rows < (roundedLength / 16) * (2 * taps + 3) + poolPass
  }

  /// True when planes computed by rows can be max-pooled 2x2 as they are stored
  /// (`sparsity_shifted_rows` with `pool`): output rows of an even count of 8 to 32 values.
  var poolsByRows: Bool {
    let columns = geometry.output.columns
    return columns % 2 == 0 && (8...32).contains(columns)
  }

  /// Floats a plane is computed in: `roundedLength` wide, or the output plane by rows.
  func computedLength(byRows: Bool) -> Int { byRows ? geometry.output.pixelCount : roundedLength }

  /// True when the laid-out image is the input itself (stride 1, no padding), so only the last
  /// image of a batch needs a copy with slack after it (the others' slack is the next image, at
  /// least 16 floats long), and none when computed by rows (which read no further than the last
  /// output's input).
  var readsInputDirectly: Bool {
    let window = geometry.window
    return window.strideRows == 1 && window.strideColumns == 1 && window.paddingRows == 0
      && window.paddingColumns == 0 && geometry.input.featureCount >= 16
  }

  /// The offset of tap (tapRow, tapColumn) of input channel `channel`.
  func offset(channel: Int, tapRow: Int, tapColumn: Int) -> Int32 {
    let window = geometry.window
    let (row, phaseRow) = (tapRow * window.dilationRows).quotientAndRemainder(dividingBy: window.strideRows)
    let (column, phaseColumn) = (tapColumn * window.dilationColumns)
      .quotientAndRemainder(dividingBy: window.strideColumns)
    let phase = (channel * window.strideRows + phaseRow) * window.strideColumns + phaseColumn
    return Int32(phase * planeLength + row * rowStride + column)
  }

  /// Lays one image (C x H x W) out in `target`: its pixels only; the padding, the phases' fill
  /// and the slack are left as they are (zero when `target` was zeroed once).
  func pad(_ target: UnsafeMutablePointer<Float>, from source: UnsafePointer<Float>) {
    let (input, window) = (geometry.input, geometry.window)
    let (top, left) = (window.paddingRows, window.paddingColumns)
    let (strideRows, strideColumns) = (window.strideRows, window.strideColumns)
    if strideRows == 1 && strideColumns == 1 && top == 0 && left == 0 {
      return target.update(from: source, count: input.featureCount)
    }
    for c in 0..<input.channels {
      for r in 0..<input.rows {
        let (u, a) = (r + top).quotientAndRemainder(dividingBy: strideRows)
        let line = source + (c * input.rows + r) * input.columns
        if strideColumns == 1 {
          (target + (c * strideRows + a) * planeLength + u * rowStride + left).update(from: line, count: input.columns)
          continue
        }
        // Column phase b holds padded columns b, b + sc, ...: input columns v sc + b - left.
        for b in 0..<strideColumns {
          let phase = target + ((c * strideRows + a) * strideColumns + b) * planeLength + u * rowStride
          var v = Swift.max(0, (left - b + strideColumns - 1) / strideColumns)
          var w = v * strideColumns + b - left
          while w < input.columns {
            phase[v] = line[w]
            v += 1
            w += strideColumns
          }
        }
      }
    }
  }
}

/// `sparseFilterConvolve` by shifted runs: laid-out copies of the images where needed, then each
/// plane (sample, filter) computed wide or by rows (`ShiftedImage.computesByRows`) by the C
/// kernels, skipping the input channels that are all zero in that sample, and stored, or
/// max-pooled 2x2 with stride 2 into `y` when `maxPoolTwoByTwo` (y then holds the pooled planes).
/// With `outputRows` only those rows of every plane are computed and stored (pooled: rows
/// lowerBound / 2 ..< upperBound / 2, the bounds even), and only the input rows they read
/// (`ConvolutionGeometry.inputRows(forOutputRows:)`) need to hold the image.
/// `byRows` overrides the layout's choice (tests run both; rows need outputs at least 8 wide).
func shiftedSparseConvolve(
  _ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, batch: Int, filters: SparseFilters,
  offsets tapOffsets: UnsafePointer<Int32>, image: ShiftedImage, bias: UnsafePointer<Float>?, relu: Bool,
  maxPoolTwoByTwo: Bool = false, outputRows: Range<Int>? = nil, byRows chosen: Bool? = nil,
  isa: KernelInstructionSet = .active
) {
  let g = filters.geometry
  let channels = g.input.channels
  let rows = outputRows ?? 0..<g.output.rows
  let read = g.inputRows(forOutputRows: rows)
  // Padded images at most 8 MiB at a time (at least one, when any is copied), and a byte per
  // image and channel saying whether it has a nonzero.
  let byRows =
    g.output.columns >= 8
    && (chosen
      ?? image.computesByRows(taps: filters.nonzeros / Swift.max(1, g.output.channels), pooled: maxPoolTwoByTwo))
  let copies = image.readsInputDirectly ? (byRows ? 0 : 1) : batch
  let block =
    copies == 0 ? 0 : Swift.max(1, Swift.min(copies, (8 << 20) / (image.imageLength * MemoryLayout<Float>.stride)))
  Scratch.withBuffer(of: Float.self, count: block * image.imageLength) { scratch in
    Scratch.withBuffer(of: Bool.self, count: batch * channels) { alive in
      scratch.initialize(repeating: 0, count: block * image.imageLength)
      Parallel.forEachChunk(of: batch, minimumChunk: Swift.max(1, (1 << 14) / g.input.featureCount)) {
        for n in $0 {
          for c in 0..<channels {
            let plane = x + n * g.input.featureCount + c * g.input.pixelCount + read.lowerBound * g.input.columns
            alive[n * channels + c] = maximumMagnitude(plane, count: read.count * g.input.columns, isa: isa) != 0
          }
        }
      }
      let planes = ShiftedPlanes(
        filters: filters, image: image, byRows: byRows, offsets: tapOffsets, bias: bias, relu: relu,
        maxPoolTwoByTwo: maxPoolTwoByTwo, rows: rows, isa: isa)
      var start = 0
      while start < batch {
        // Images start..<end: copies go to scratch slot n - firstCopy (every image of the block,
        // or only the batch's last when the others are read in place).
        let end = image.readsInputDirectly ? batch : Swift.min(batch, start + block)
        let firstCopy = image.readsInputDirectly ? batch - copies : start
        Parallel.forEachChunk(of: end - firstCopy, minimumChunk: Swift.max(1, (1 << 15) / image.imageLength)) {
          for slot in $0 {
            image.pad(scratch + slot * image.imageLength, from: x + (firstCopy + slot) * g.input.featureCount)
          }
        }
        planes.run(y, samples: start..<end, alive: alive) { n in
          n < firstCopy ? x + n * g.input.featureCount : UnsafePointer(scratch + (n - firstCopy) * image.imageLength)
        }
        start = end
      }
    }
  }
}

/// The plane loop of `shiftedSparseConvolve`.
private struct ShiftedPlanes {
  let filters: SparseFilters
  let image: ShiftedImage
  /// True when planes are computed by rows (`ShiftedImage.computesByRows(taps:pooled:)`).
  let byRows: Bool
  let offsets: UnsafePointer<Int32>
  let bias: UnsafePointer<Float>?
  let relu: Bool
  let maxPoolTwoByTwo: Bool
  /// The output rows computed (before the pool).
  let rows: Range<Int>
  let isa: KernelInstructionSet

  /// The output image each plane is stored as: the convolution's, or pooled.
  var written: ImageShape {
    maxPoolTwoByTwo ? maxPoolTwoByTwoShape(of: filters.geometry.output) : filters.geometry.output
  }

  /// Planes (n, o) for n in `samples`, over the cores; `source(n)` is sample n's padded image
  /// and alive[n * input channels + c] whether its channel c has a nonzero.
  func run(
    _ y: UnsafeMutablePointer<Float>, samples: Range<Int>, alive: UnsafePointer<Bool>,
    source: (Int) -> UnsafePointer<Float>
  ) {
    guard !rows.isEmpty else { return }
    let outputChannels = filters.geometry.output.channels
    // Vector operations per plane (of 16 lanes): a multiply-add per tap and vector, then its
    // store and pool.
    let perPlane = (filters.nonzeros / outputChannels + 2) * ((image.computedLength(byRows: byRows) + 15) / 16)
    let (written, output) = (self.written, filters.geometry.output)
    // The computed rows as stored (pooled: half as many), and the wide planes' length for them.
    let pooled = maxPoolTwoByTwo ? ImageShape(rows: rows.count / 2, columns: written.columns) : written
    let firstStored = maxPoolTwoByTwo ? rows.lowerBound / 2 * written.columns : rows.lowerBound * output.columns
    let wideLength = ((rows.count - 1) * image.rowStride + output.columns + 15) / 16 * 16
    filters.offsets.withUnsafeBufferPointer { entries in
      filters.segmentOffsets.withUnsafeBufferPointer { segmentOffsets in
        filters.segmentChannels.withUnsafeBufferPointer { segmentChannels in
          filters.segmentEnds.withUnsafeBufferPointer { segmentEnds in
            // An empty array may have no base address; no value is read through it then.
            (filters.values.isEmpty ? [0] : filters.values).withUnsafeBufferPointer { values in
              Parallel.forEachChunk(of: samples.count * outputChannels, minimumChunk: Swift.max(1, 1024 / perPlane)) {
                range in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: image.computedLength(byRows: byRows)) { wide in
                  withUnsafeTemporaryAllocation(of: Int64.self, capacity: 2 * filters.geometry.input.channels + 2) {
                    bounds in
                    for plane in range {
                      let (i, o) = plane.quotientAndRemainder(dividingBy: outputChannels)
                      let n = samples.lowerBound + i
                      let segments = Self.liveSegments(
                        bounds.baseAddress!, filter: o, entries: entries, segmentOffsets: segmentOffsets,
                        segmentChannels: segmentChannels, segmentEnds: segmentEnds,
                        alive: alive + n * filters.geometry.input.channels)
                      // The plane's first computed row, where it is stored, and where its inputs start.
                      let target = y + n * written.featureCount + o * written.pixelCount + firstStored
                      let input = source(n) + rows.lowerBound * image.rowStride
                      if byRows {
                        // Pooled as the rows are stored where the kernel can, else afterwards.
                        let pooledByKernel = maxPoolTwoByTwo && image.poolsByRows
                        let plane = maxPoolTwoByTwo && !pooledByKernel ? wide.baseAddress! : target
                        sparsity_shifted_rows(
                          isa.rawValue, plane, Int64(rows.count), Int64(output.columns), Int64(image.rowStride),
                          bias?[o] ?? 0, relu ? 1 : 0, pooledByKernel ? 1 : 0, input, offsets,
                          values.baseAddress!, bounds.baseAddress!, segments)
                        if maxPoolTwoByTwo && !pooledByKernel {
                          maxPoolTwoByTwoValues(
                            target, plane, rowStride: output.columns, output: pooled, activated: relu)
                        }
                        continue
                      }
                      sparsity_shifted_sum(
                        isa.rawValue, wide.baseAddress!, Int64(wideLength), bias?[o] ?? 0, relu ? 1 : 0, input,
                        offsets, values.baseAddress!, bounds.baseAddress!, segments)
                      store(wide.baseAddress!, into: target, pooled: pooled)
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /// Writes to `bounds` the (start, end) entry ranges of `filter` over the input channels that
  /// `alive` marks (adjacent ranges merged; one range when every channel is alive) and returns
  /// how many there are.
  @inline(__always)
  static func liveSegments(
    _ bounds: UnsafeMutablePointer<Int64>, filter o: Int, entries: UnsafeBufferPointer<Int>,
    segmentOffsets: UnsafeBufferPointer<Int>, segmentChannels: UnsafeBufferPointer<Int32>,
    segmentEnds: UnsafeBufferPointer<Int>, alive: UnsafePointer<Bool>
  ) -> Int64 {
    var segments = 0
    var first = entries[o]
    for s in segmentOffsets[o]..<segmentOffsets[o + 1] {
      let last = segmentEnds[s]
      if alive[Int(segmentChannels[s])] {
        if segments > 0 && bounds[2 * segments - 1] == Int64(first) {
          bounds[2 * segments - 1] = Int64(last)
        } else {
          (bounds[2 * segments], bounds[2 * segments + 1]) = (Int64(first), Int64(last))
          segments += 1
        }
      }
      first = last
    }
    return Int64(segments)
  }

  /// One wide plane's computed rows copied to `target`, or pooled into it (`pooled` rows).
  @inline(__always)
  func store(_ wide: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, pooled: ImageShape) {
    let output = filters.geometry.output
    if maxPoolTwoByTwo {
      return maxPoolTwoByTwoValues(target, wide, rowStride: image.rowStride, output: pooled, activated: relu)
    }
    // Short rows: an element loop, not a memmove call per row.
    for p in 0..<rows.count {
      let (line, source) = (target + p &* output.columns, wide + p &* image.rowStride)
      for q in 0..<output.columns { line[q] = source[q] }
    }
  }
}
