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
    for c in 0..<input.channels {
      for r in 0..<input.rows {
        (target + c * planeLength + (r + top) * paddedColumns + left)
          .update(from: source + (c * input.rows + r) * input.columns, count: input.columns)
      }
    }
  }
}

/// `sparseFilterConvolve` for stride 1: padded copies of the images where needed, then each
/// plane (sample, filter) computed wide by the C kernel and its rows copied out, or max-pooled
/// 2x2 with stride 2 into `y` when `maxPoolTwoByTwo` (y then holds the pooled planes).
func shiftedSparseConvolve(
  _ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, batch: Int, filters: SparseFilters,
  offsets tapOffsets: UnsafePointer<Int32>, image: ShiftedImage, bias: UnsafePointer<Float>?, relu: Bool,
  maxPoolTwoByTwo: Bool = false, isa: KernelInstructionSet = .active
) {
  let g = filters.geometry
  let pooled = ImageShape(channels: g.output.channels, rows: g.output.rows / 2, columns: g.output.columns / 2)
  let written = maxPoolTwoByTwo ? pooled : g.output
  let copies = image.readsInputDirectly ? 1 : batch
  // Padded images at most 8 MiB at a time (at least one).
  let block = Swift.max(1, Swift.min(copies, (8 << 20) / (image.imageLength * MemoryLayout<Float>.stride)))
  let scratch = UnsafeMutablePointer<Float>.allocate(capacity: block * image.imageLength)
  defer { scratch.deallocate() }
  scratch.initialize(repeating: 0, count: block * image.imageLength)
  let perPlane = Swift.max(1, filters.nonzeros / g.output.channels) * (image.roundedLength / 16)
  filters.offsets.withUnsafeBufferPointer { entries in
    // An empty array may have no base address; no value is read through it then.
    (filters.values.isEmpty ? [0] : filters.values).withUnsafeBufferPointer { values in
      var start = 0
      while start < batch {
        // Images start..<end: padded copies in scratch, or read in place.
        let end = image.readsInputDirectly ? batch : Swift.min(batch, start + block)
        // Copies go to scratch slot n - firstCopy: every image of the block, or only the
        // batch's last when the others are read in place.
        let firstCopy = image.readsInputDirectly ? batch - 1 : start
        let source = { (n: Int) -> UnsafePointer<Float> in
          n < firstCopy ? x + n * g.input.featureCount : UnsafePointer(scratch + (n - firstCopy) * image.imageLength)
        }
        Parallel.forEachChunk(of: end - firstCopy, minimumChunk: Swift.max(1, (1 << 15) / image.imageLength)) {
          for slot in $0 {
            image.pad(scratch + slot * image.imageLength, from: x + (firstCopy + slot) * g.input.featureCount)
          }
        }
        let planes = (end - start) * g.output.channels
        Parallel.forEachChunk(of: planes, minimumChunk: Swift.max(1, (1 << 11) / perPlane)) { range in
          withUnsafeTemporaryAllocation(of: Float.self, capacity: image.roundedLength) { wide in
            for plane in range {
              let (i, o) = plane.quotientAndRemainder(dividingBy: g.output.channels)
              let first = entries[o]
              sparsity_shifted_sum(
                isa.rawValue, wide.baseAddress!, Int64(image.roundedLength), bias?[o] ?? 0, relu ? 1 : 0,
                source(start + i), tapOffsets + first, values.baseAddress! + first, Int64(entries[o + 1] - first))
              let target = y + (start + i) * written.featureCount + o * written.pixelCount
              if maxPoolTwoByTwo {
                maxPoolTwoByTwoValues(target, wide.baseAddress!, rowStride: image.paddedColumns, output: pooled)
                continue
              }
              for p in 0..<g.output.rows {
                (target + p * g.output.columns).update(
                  from: wide.baseAddress! + p * image.paddedColumns, count: g.output.columns)
              }
            }
          }
        }
        start = end
      }
    }
  }
}
