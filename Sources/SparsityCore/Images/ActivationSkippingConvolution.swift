// Convolution that visits only the nonzero input pixels and scatters their contributions.

/// A convolution's filters stored input-major for `activationSkippingConvolve`: for each input
/// channel c and tap (i, j), the weights of the filters of c's group, contiguous over those
/// filters, (in, kernel rows, kernel columns, out / groups) row-major; with `sparse`, only the
/// nonzero weights, as (tap, filter, value) entries per input channel.
public struct InputMajorFilters: Sendable, Equatable {
  /// The convolution's shapes.
  public let geometry: ConvolutionGeometry
  /// Dense weights (in, kernel rows, kernel columns, out / groups); empty when `sparse`.
  public let dense: [Float]
  /// For sparse filters: in + 1 offsets into the entries.
  public let offsets: [Int]
  /// For sparse filters: the tap index i * kernel columns + j of each entry.
  public let taps: [Int32]
  /// For sparse filters: the filter (within the group) of each entry.
  public let filters: [Int32]
  /// For sparse filters: the weight of each entry.
  public let values: [Float]
  /// True when only nonzero weights are stored.
  public let sparse: Bool

  /// The filters of `weights` (out, in / groups, kernel rows, kernel columns) row-major, input-major.
  /// - Complexity: O(weights).
  public init(weights: [Float], geometry: ConvolutionGeometry, sparse: Bool) {
    precondition(weights.count == geometry.output.channels * geometry.patchLength, "InputMajorFilters: weights")
    self.geometry = geometry
    self.sparse = sparse
    let (taps, perGroup, inPerGroup) = (
      geometry.window.tapCount, geometry.outputChannelsPerGroup, geometry.inputChannelsPerGroup
    )
    func weight(_ c: Int, _ tap: Int, _ local: Int) -> Float {
      let (group, channel) = c.quotientAndRemainder(dividingBy: inPerGroup)
      return weights[((group * perGroup + local) * inPerGroup + channel) * taps + tap]
    }
    var dense = [Float]()
    var (offsets, tapIndices, filterIndices, values) = ([0], [Int32](), [Int32](), [Float]())
    for c in 0..<geometry.input.channels {
      for tap in 0..<taps {
        for local in 0..<perGroup {
          let w = weight(c, tap, local)
          if !sparse {
            dense.append(w)
          } else if w != 0 {
            tapIndices.append(Int32(tap))
            filterIndices.append(Int32(local))
            values.append(w)
          }
        }
      }
      offsets.append(values.count)
    }
    (self.dense, self.offsets, self.taps, self.filters, self.values) =
      (dense, sparse ? offsets : [], tapIndices, filterIndices, values)
  }

  /// Bytes stored.
  public var storedBytes: Int {
    sparse ? offsets.count * MemoryLayout<Int>.stride + values.count * 12 : dense.count * MemoryLayout<Float>.stride
  }
}

/// Convolution by activation skipping: only nonzero input pixels are read, and each adds its
/// value times the weights of every tap that reaches it into the outputs of those taps,
///
///     y[n, o, p, q] += x[n, c, r, s] * w[o, c, i, j]  for (p, q) = ((r + pad - i d) / stride, ...)
///
/// accumulated channels-last (output pixel, filter) so that each addition runs over the filters
/// of the input's group, contiguous; then transposed into NCHW with the bias (and ReLU). With
/// sparse filters only the nonzero weights of each input channel are visited (zeros skipped on
/// both sides). Samples are split over the cores, or at batch 1 the filters are.
///
/// Shapes: `x` is (batch, input.featureCount), `y` (batch, output.featureCount), NCHW rows.
/// - Complexity: O(batch * (input pixels + nonzero inputs * taps * filters per group)) dense;
///   O(batch * (input pixels + nonzero inputs * nonzero weights per input channel)) sparse.
public func activationSkippingConvolve(
  _ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, batch: Int, filters: InputMajorFilters,
  bias: UnsafePointer<Float>?, relu: Bool
) {
  let g = filters.geometry
  let (outputs, pixels) = (g.output.channels, g.output.pixelCount)
  if batch == 1 {
    // Split the filters: each thread accumulates its own slice of the channels-last sums.
    Scratch.withBuffer(of: Float.self, count: pixels * outputs) { sums in
      let sumsAddress = Int(bitPattern: sums)
      Parallel.forEachChunk(of: outputs, minimumChunk: Swift.max(8, outputs / 2)) { range in
        let sums = UnsafeMutablePointer<Float>(bitPattern: sumsAddress)!
        scatterImage(sums, x, filters: filters, outputRange: range)
        gatherPlanes(y, sums, geometry: g, outputRange: range, bias: bias, relu: relu)
      }
    }
    return
  }
  Parallel.forEachChunk(of: batch, minimumChunk: 1) { images in
    Scratch.withBuffer(of: Float.self, count: pixels * outputs) { sums in
      for n in images {
        scatterImage(sums, x + n * g.input.featureCount, filters: filters, outputRange: 0..<outputs)
        gatherPlanes(y + n * g.output.featureCount, sums, geometry: g, outputRange: 0..<outputs, bias: bias, relu: relu)
      }
    }
  }
}

/// The channels-last sums (pixels, outputs) of one image for the filters in `outputRange`
/// (only those columns are written).
private func scatterImage(
  _ sums: UnsafeMutablePointer<Float>, _ image: UnsafePointer<Float>, filters: InputMajorFilters,
  outputRange: Range<Int>
) {
  let g = filters.geometry
  let outputs = g.output.channels
  for p in 0..<g.output.pixelCount {
    (sums + p * outputs + outputRange.lowerBound).update(repeating: 0, count: outputRange.count)
  }
  filters.dense.withUnsafeBufferPointer { dense in
    scatterChannels(sums, image, filters: filters, dense: dense.baseAddress, outputRange: outputRange)
  }
}

/// The additions of `scatterImage`, with the dense weights' address when they are dense.
private func scatterChannels(
  _ sums: UnsafeMutablePointer<Float>, _ image: UnsafePointer<Float>, filters: InputMajorFilters,
  dense: UnsafePointer<Float>?, outputRange: Range<Int>
) {
  let g = filters.geometry
  let w = g.window
  let (outputs, perGroup) = (g.output.channels, g.outputChannelsPerGroup)
  for c in 0..<g.input.channels {
    let groupBase = (c / g.inputChannelsPerGroup) * perGroup
    // The filters of this group that this call owns, as a local range.
    let low = Swift.max(outputRange.lowerBound, groupBase) - groupBase
    let high = Swift.min(outputRange.upperBound, groupBase + perGroup) - groupBase
    guard low < high else { continue }
    let plane = image + c * g.input.pixelCount
    for r in 0..<g.input.rows {
      for s in 0..<g.input.columns {
        let value = plane[r * g.input.columns + s]
        guard value != 0 else { continue }
        if filters.sparse {
          for e in filters.offsets[c]..<filters.offsets[c + 1] {
            let local = Int(filters.filters[e])
            guard local >= low && local < high else { continue }
            let (i, j) = Int(filters.taps[e]).quotientAndRemainder(dividingBy: w.kernelColumns)
            guard let pixel = reachedOutput(r, s, i, j, g) else { continue }
            sums[pixel * outputs + groupBase + local] += value * filters.values[e]
          }
          continue
        }
        for i in 0..<w.kernelRows {
          for j in 0..<w.kernelColumns {
            guard let pixel = reachedOutput(r, s, i, j, g) else { continue }
            let weights = dense! + ((c * w.kernelRows + i) * w.kernelColumns + j) * perGroup
            let target = sums + pixel * outputs + groupBase
            for local in low..<high { target[local] += value * weights[local] }
          }
        }
      }
    }
  }
}

/// The output pixel that tap (i, j) of a window covering input (r, s) belongs to, or nil.
@inline(__always)
private func reachedOutput(_ r: Int, _ s: Int, _ i: Int, _ j: Int, _ g: ConvolutionGeometry) -> Int? {
  let w = g.window
  let rowStart = r + w.paddingRows - i * w.dilationRows
  let columnStart = s + w.paddingColumns - j * w.dilationColumns
  guard rowStart >= 0, columnStart >= 0, rowStart % w.strideRows == 0, columnStart % w.strideColumns == 0 else {
    return nil
  }
  let (p, q) = (rowStart / w.strideRows, columnStart / w.strideColumns)
  guard p < g.output.rows, q < g.output.columns else { return nil }
  return p * g.output.columns + q
}

/// NCHW planes of `outputRange` from the channels-last sums, plus the bias, clamped with `relu`.
private func gatherPlanes(
  _ y: UnsafeMutablePointer<Float>, _ sums: UnsafePointer<Float>, geometry g: ConvolutionGeometry,
  outputRange: Range<Int>, bias: UnsafePointer<Float>?, relu: Bool
) {
  let (outputs, pixels) = (g.output.channels, g.output.pixelCount)
  for o in outputRange {
    let plane = y + o * pixels
    let shift = bias?[o] ?? 0
    for p in 0..<pixels {
      let value = sums[p * outputs + o] + shift
      plane[p] = relu && value < 0 ? 0 : value
    }
  }
}
