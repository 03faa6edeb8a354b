// The stride-1 direct sparse convolution: each output plane as a weighted sum of shifted runs
// of the zero-padded input image, sixteen outputs a vector.

import CSparsityKernels

/// The zero-padded input of a stride-1 convolution, in which every filter tap is one constant
/// offset from the output position it adds to.
///
/// With the input padded to Hp x Wp and the output laid out "wide", with rows Wp long (the
/// last Wp - output columns of each row are discarded), output position t = p Wp + q reads tap
/// (c, i, j) at t + c Hp Wp + i dr Wp + j dc. So a plane is
/// `wide[t] = b + sum over nonzero taps e of w_e * padded[t + offset_e]` for t < `wideLength`,
/// one vector multiply-add per 16 outputs and tap, with no im2col and no per-row bounds.
/// The last offset plus `wideLength` ends exactly at the image's end, so rounding the
/// length up to 16 reads at most 15 floats past it: `imageLength` includes that slack.
struct ShiftedImage {
  let geometry: ConvolutionGeometry
  /// The padded input's rows and columns.
  let paddedRows: Int
  let paddedColumns: Int
  /// Floats of one padded input plane.
  let planeLength: Int
  /// Floats of the padded image plus 16 of zeros after it (the rounded reads' slack).
  let imageLength: Int
  /// Outputs of one wide plane: (output rows - 1) Wp + output columns.
  let wideLength: Int
  /// `wideLength` rounded up to a multiple of 16, the length each plane is computed for.
  let roundedLength: Int

  /// The layout for `geometry`, or nil unless both strides are 1 and every offset fits Int32.
  init?(_ geometry: ConvolutionGeometry) {
    let window = geometry.window
    guard window.strideRows == 1, window.strideColumns == 1 else { return nil }
    let rows = geometry.input.rows + 2 * window.paddingRows
    let columns = geometry.input.columns + 2 * window.paddingColumns
    let (plane, o1) = rows.multipliedReportingOverflow(by: columns)
    let (image, o2) = plane.multipliedReportingOverflow(by: geometry.input.channels)
    guard !o1, !o2, image + 16 <= Int(Int32.max) else { return nil }
    self.geometry = geometry
    (paddedRows, paddedColumns, planeLength, imageLength) = (rows, columns, plane, image + 16)
    wideLength = (geometry.output.rows - 1) * columns + geometry.output.columns
    roundedLength = (wideLength + 15) / 16 * 16
  }

  /// True when the padded image is the input itself (no padding), so only the last image of a
  /// batch needs a copy with slack after it (the others' slack is the next image, at least 16
  /// floats long).
  var readsInputDirectly: Bool {
    geometry.window.paddingRows == 0 && geometry.window.paddingColumns == 0 && geometry.input.featureCount >= 16
  }

  /// The offset of tap (tapRow, tapColumn) of input channel `channel`.
  func offset(channel: Int, tapRow: Int, tapColumn: Int) -> Int32 {
    let window = geometry.window
    return Int32(
      channel * planeLength + tapRow * window.dilationRows * paddedColumns + tapColumn * window.dilationColumns)
  }

  /// Copies one image (C x H x W) into `target`'s interior; the borders and the slack are left
  /// as they are (zero when `target` was zeroed once).
  func pad(_ target: UnsafeMutablePointer<Float>, from source: UnsafePointer<Float>) {
    let input = geometry.input
    let (top, left) = (geometry.window.paddingRows, geometry.window.paddingColumns)
    if top == 0 && left == 0 { return target.update(from: source, count: input.featureCount) }
    for c in 0..<input.channels {
      for r in 0..<input.rows {
        (target + c * planeLength + (r + top) * paddedColumns + left)
          .update(from: source + (c * input.rows + r) * input.columns, count: input.columns)
      }
    }
  }
}

/// `sparseFilterConvolve` for stride 1: padded copies of the images where needed, then each
/// plane (sample, filter) computed wide by the C kernel, skipping the input channels that are
/// all zero in that sample, and its rows copied out, or max-pooled 2x2 with stride 2 into `y`
/// when `maxPoolTwoByTwo` (y then holds the pooled planes).
func shiftedSparseConvolve(
  _ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, batch: Int, filters: SparseFilters,
  offsets tapOffsets: UnsafePointer<Int32>, image: ShiftedImage, bias: UnsafePointer<Float>?, relu: Bool,
  maxPoolTwoByTwo: Bool = false, isa: KernelInstructionSet = .active
) {
  let g = filters.geometry
  let channels = g.input.channels
  // Padded images at most 8 MiB at a time (at least one), and a byte per image and channel
  // saying whether it has a nonzero.
  let copies = image.readsInputDirectly ? 1 : batch
  let block = Swift.max(1, Swift.min(copies, (8 << 20) / (image.imageLength * MemoryLayout<Float>.stride)))
  Scratch.withBuffer(of: Float.self, count: block * image.imageLength) { scratch in
    Scratch.withBuffer(of: Bool.self, count: batch * channels) { alive in
      scratch.initialize(repeating: 0, count: block * image.imageLength)
      Parallel.forEachChunk(of: batch, minimumChunk: Swift.max(1, (1 << 14) / g.input.featureCount)) {
        for n in $0 {
          for c in 0..<channels {
            let plane = x + n * g.input.featureCount + c * g.input.pixelCount
            alive[n * channels + c] = maximumMagnitude(plane, count: g.input.pixelCount, isa: isa) != 0
          }
        }
      }
      let planes = ShiftedPlanes(
        filters: filters, image: image, offsets: tapOffsets, bias: bias, relu: relu, maxPoolTwoByTwo: maxPoolTwoByTwo,
        isa: isa)
      var start = 0
      while start < batch {
        // Images start..<end: copies go to scratch slot n - firstCopy (every image of the block,
        // or only the batch's last when the others are read in place).
        let end = image.readsInputDirectly ? batch : Swift.min(batch, start + block)
        let firstCopy = image.readsInputDirectly ? batch - 1 : start
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
  let offsets: UnsafePointer<Int32>
  let bias: UnsafePointer<Float>?
  let relu: Bool
  let maxPoolTwoByTwo: Bool
  let isa: KernelInstructionSet

  /// The output image each plane is stored as: the convolution's, or pooled.
  var written: ImageShape {
    let output = filters.geometry.output
    return maxPoolTwoByTwo
      ? ImageShape(channels: output.channels, rows: output.rows / 2, columns: output.columns / 2) : output
  }

  /// Planes (n, o) for n in `samples`, over the cores; `source(n)` is sample n's padded image
  /// and alive[n * input channels + c] whether its channel c has a nonzero.
  func run(
    _ y: UnsafeMutablePointer<Float>, samples: Range<Int>, alive: UnsafePointer<Bool>,
    source: (Int) -> UnsafePointer<Float>
  ) {
    let outputChannels = filters.geometry.output.channels
    let perPlane = Swift.max(1, filters.nonzeros / outputChannels) * (image.roundedLength / 16)
    let written = self.written
    filters.offsets.withUnsafeBufferPointer { entries in
      filters.segmentOffsets.withUnsafeBufferPointer { segmentOffsets in
        filters.segmentChannels.withUnsafeBufferPointer { segmentChannels in
          filters.segmentEnds.withUnsafeBufferPointer { segmentEnds in
            // An empty array may have no base address; no value is read through it then.
            (filters.values.isEmpty ? [0] : filters.values).withUnsafeBufferPointer { values in
              Parallel.forEachChunk(of: samples.count * outputChannels, minimumChunk: Swift.max(1, 2048 / perPlane)) {
                range in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: image.roundedLength) { wide in
                  withUnsafeTemporaryAllocation(of: Int64.self, capacity: 2 * filters.geometry.input.channels + 2) {
                    bounds in
                    for plane in range {
                      let (i, o) = plane.quotientAndRemainder(dividingBy: outputChannels)
                      let n = samples.lowerBound + i
                      // The filter's entries, without the channels that are zero in sample n.
                      var segments = 0
                      var first = entries[o]
                      for s in segmentOffsets[o]..<segmentOffsets[o + 1] {
                        let last = segmentEnds[s]
                        if alive[n * filters.geometry.input.channels + Int(segmentChannels[s])] {
                          if segments > 0 && bounds[2 * segments - 1] == Int64(first) {
                            bounds[2 * segments - 1] = Int64(last)
                          } else {
                            (bounds[2 * segments], bounds[2 * segments + 1]) = (Int64(first), Int64(last))
                            segments += 1
                          }
                        }
                        first = last
                      }
                      sparsity_shifted_sum(
                        isa.rawValue, wide.baseAddress!, Int64(image.roundedLength), bias?[o] ?? 0, relu ? 1 : 0,
                        source(n), offsets, values.baseAddress!, bounds.baseAddress!, Int64(segments))
                      store(wide.baseAddress!, into: y + n * written.featureCount + o * written.pixelCount)
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

  /// One wide plane's output rows copied to `target`, or pooled into it.
  @inline(__always)
  func store(_ wide: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>) {
    let output = filters.geometry.output
    if maxPoolTwoByTwo {
      return maxPoolTwoByTwoValues(target, wide, rowStride: image.paddedColumns, output: written)
    }
    // Short rows: an element loop, not a memmove call per row.
    for p in 0..<output.rows {
      let (line, source) = (target + p &* output.columns, wide + p &* image.paddedColumns)
      for q in 0..<output.columns { line[q] = source[q] }
    }
  }
}
