// Convolution filters with only their nonzero taps stored, for the direct sparse convolution.

/// The nonzero weights of a convolution's filters, filter by filter (CSR over out x (in / groups
/// x kernel rows x kernel columns)): for filter o, entries `offsets[o]..<offsets[o + 1]` give each
/// nonzero weight's input channel (absolute, its group's offset included), tap row and tap
/// column.
///
/// Built once from the dense weight tensor (out, in / groups, kernel rows, kernel columns);
/// zeros are never stored or read by `sparseFilterConvolve`.
public struct SparseFilters: Sendable, Equatable {
  /// The convolution's shapes.
  public let geometry: ConvolutionGeometry
  /// out + 1 offsets into the entries.
  public let offsets: [Int]
  /// The input channel of each entry.
  public let channels: [Int32]
  /// The tap row of each entry.
  public let tapRows: [Int32]
  /// The tap column of each entry.
  public let tapColumns: [Int32]
  /// The weight of each entry (never 0).
  public let values: [Float]
  /// Each filter's entries by input channel (they are sorted by channel): filter o has segments
  /// `segmentOffsets[o]..<segmentOffsets[o + 1]`, segment s the channel `segmentChannels[s]`
  /// and its entries end at `segmentEnds[s]` (starting where the previous one ends, or at the
  /// filter's first entry).
  let segmentOffsets: [Int]
  let segmentChannels: [Int32]
  let segmentEnds: [Int]
  /// Each entry's offset in the laid-out input image from the output position it adds to
  /// (`ShiftedImage`); nil when offsets would not fit Int32.
  let shiftedOffsets: [Int32]?
  /// The layout those offsets are into, built once with them.
  let shiftedImage: ShiftedImage?

  /// The nonzero taps of `weights`, (out, in / groups, kernel rows, kernel columns) values row-major.
  /// - Complexity: O(weights).
  public init(weights: [Float], geometry: ConvolutionGeometry) {
    precondition(
      weights.count == geometry.output.channels * geometry.patchLength,
      "SparseFilters: \(weights.count) weights for \(geometry)")
    self.geometry = geometry
    let (kernelRows, kernelColumns) = (geometry.window.kernelRows, geometry.window.kernelColumns)
    var offsets = [0]
    var (channels, tapRows, tapColumns, values) = ([Int32](), [Int32](), [Int32](), [Float]())
    for o in 0..<geometry.output.channels {
      let group = o / geometry.outputChannelsPerGroup
      for c in 0..<geometry.inputChannelsPerGroup {
        for i in 0..<kernelRows {
          for j in 0..<kernelColumns {
            let w = weights[((o * geometry.inputChannelsPerGroup + c) * kernelRows + i) * kernelColumns + j]
            guard w != 0 else { continue }
            channels.append(Int32(group * geometry.inputChannelsPerGroup + c))
            tapRows.append(Int32(i))
            tapColumns.append(Int32(j))
            values.append(w)
          }
        }
      }
      offsets.append(values.count)
    }
    (self.offsets, self.channels, self.tapRows, self.tapColumns, self.values) =
      (offsets, channels, tapRows, tapColumns, values)
    var (segmentOffsets, segmentChannels, segmentEnds) = ([0], [Int32](), [Int]())
    for o in 0..<geometry.output.channels {
      for e in offsets[o]..<offsets[o + 1] {
        if e > offsets[o] && channels[e] == channels[e - 1] {
          segmentEnds[segmentEnds.count - 1] = e + 1
        } else {
          segmentChannels.append(channels[e])
          segmentEnds.append(e + 1)
        }
      }
      segmentOffsets.append(segmentChannels.count)
    }
    (self.segmentOffsets, self.segmentChannels, self.segmentEnds) = (segmentOffsets, segmentChannels, segmentEnds)
    shiftedImage = ShiftedImage(geometry)
    shiftedOffsets = shiftedImage.map { image in
      (0..<values.count).map { e in
        image.offset(channel: Int(channels[e]), tapRow: Int(tapRows[e]), tapColumn: Int(tapColumns[e]))
      }
    }
  }

  /// True when `sparseFilterConvolve` can max-pool 2x2 with stride 2 in the same pass: an output
  /// of at least 2x2 (and offsets that fit Int32).
  public var fusesMaxPool: Bool { computesRowBands && Self.outputPools(geometry) }

  /// True when `sparseFilterConvolve` can compute a band of output rows (`outputRows`): offsets
  /// that fit Int32.
  public var computesRowBands: Bool { shiftedImage != nil }

  /// `fusesMaxPool` of filters with `geometry`, without building them.
  public static func fusesMaxPool(_ geometry: ConvolutionGeometry) -> Bool {
    computesRowBands(geometry) && outputPools(geometry)
  }

  /// `computesRowBands` of filters with `geometry`, without building them: the shifted layout
  /// exists (`ShiftedImage`, nil when offsets would not fit Int32).
  public static func computesRowBands(_ geometry: ConvolutionGeometry) -> Bool { ShiftedImage(geometry) != nil }

  /// True when the output is at least 2x2.
  private static func outputPools(_ geometry: ConvolutionGeometry) -> Bool {
    geometry.output.rows >= 2 && geometry.output.columns >= 2
  }

  /// Nonzero weights stored.
  public var nonzeros: Int { values.count }

  /// Bytes stored: offsets, three 32-bit indices and a value per entry.
  public var storedBytes: Int { offsets.count * MemoryLayout<Int>.stride + values.count * 16 }
}

/// Direct sparse convolution: every output plane starts at its bias and each nonzero weight of
/// its filter adds that weight times the shifted input plane it reads,
///
///     y[n, o, p, q] = b[o] + sum over nonzero w[o, c, i, j] of w * x[n, c, p s - pad + i d, q s - pad + j d]
///
/// (Park et al., "Faster CNNs with Direct Sparse Convolutions and Guided Pruning", ICLR 2017).
/// Each plane is a weighted sum of shifted runs of the zero-padded image, split into its stride
/// phases when the stride is above 1 (`ShiftedImage`): one vector multiply-add per nonzero and
/// 16 outputs, in registers. (Images too large for 32-bit offsets add each nonzero's weight over
/// the output rows its tap reaches instead.) With `relu` the
/// planes are clamped at 0. With `maxPoolTwoByTwo` (only where `filters.fusesMaxPool`), each
/// plane is max-pooled 2x2 with stride 2 before it is stored, as `maxPool2d` would. Planes
/// (sample, filter) are split over the cores.
///
/// With `outputRows` (only where `filters.computesRowBands`) only those output rows of every
/// plane are computed and stored, the rest of `y` left as it is; pooled, the rows
/// lowerBound / 2 ..< upperBound / 2 of the pooled planes, so both bounds must be even. Only the
/// input rows they read (`ConvolutionGeometry.inputRows(forOutputRows:)`) need to hold the
/// image: a band of a deeper layer's output needs only a band of each layer before it.
///
/// Shapes: `x` is (batch, input.featureCount), `y` (batch, output.featureCount), NCHW rows, or
/// (batch, output channels x output rows / 2 x output columns / 2) when pooled.
/// - Complexity: O(batch * nonzeros * output pixels).
public func sparseFilterConvolve(
  _ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, batch: Int, filters: SparseFilters,
  bias: UnsafePointer<Float>?, relu: Bool, maxPoolTwoByTwo: Bool = false, outputRows: Range<Int>? = nil
) {
  precondition(!maxPoolTwoByTwo || filters.fusesMaxPool, "sparseFilterConvolve: cannot pool \(filters.geometry)")
  if let rows = outputRows {
    precondition(
      filters.computesRowBands && rows.lowerBound >= 0 && rows.upperBound <= filters.geometry.output.rows
        && (!maxPoolTwoByTwo || (rows.lowerBound % 2 == 0 && rows.upperBound % 2 == 0)),
      "sparseFilterConvolve: output rows \(rows) of \(filters.geometry)")
  }
  // (fusesMaxPool implies the shifted layout below.)
  if let shifted = filters.shiftedOffsets, let image = filters.shiftedImage {
    // An empty array may have no base address; nothing is read through it then.
    return (shifted.isEmpty ? [0] : shifted).withUnsafeBufferPointer {
      shiftedSparseConvolve(
        y, x, batch: batch, filters: filters, offsets: $0.baseAddress!, image: image, bias: bias, relu: relu,
        maxPoolTwoByTwo: maxPoolTwoByTwo, outputRows: outputRows)
    }
  }
  sparseFilterConvolveByRows(y, x, batch: batch, filters: filters, bias: bias, relu: relu)
}

/// `sparseFilterConvolve` for inputs too large for 32-bit offsets (no pooling): each nonzero
/// adds its weight over the output rows its tap reaches, plane by plane.
func sparseFilterConvolveByRows(
  _ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, batch: Int, filters: SparseFilters,
  bias: UnsafePointer<Float>?, relu: Bool
) {
  let g = filters.geometry
  let (outputPixels, inputPixels) = (g.output.pixelCount, g.input.pixelCount)
  let planes = batch * g.output.channels
  let workPerPlane = Swift.max(1, filters.nonzeros / Swift.max(1, g.output.channels)) * outputPixels
  filters.offsets.withUnsafeBufferPointer { offsets in
    filters.channels.withUnsafeBufferPointer { channels in
      filters.tapRows.withUnsafeBufferPointer { tapRows in
        filters.tapColumns.withUnsafeBufferPointer { tapColumns in
          filters.values.withUnsafeBufferPointer { values in
            Parallel.forEachChunk(of: planes, minimumChunk: Swift.max(1, (1 << 14) / workPerPlane)) { range in
              for plane in range {
                let (n, o) = plane.quotientAndRemainder(dividingBy: g.output.channels)
                let target = y + n * g.output.featureCount + o * outputPixels
                target.update(repeating: bias?[o] ?? 0, count: outputPixels)
                let image = x + n * g.input.featureCount
                for e in offsets[o]..<offsets[o + 1] {
                  addShiftedPlane(
                    target, image + Int(channels[e]) * inputPixels, weight: values[e], tapRow: Int(tapRows[e]),
                    tapColumn: Int(tapColumns[e]), geometry: g)
                }
                if relu { for p in 0..<outputPixels where target[p] < 0 { target[p] = 0 } }
              }
            }
          }
        }
      }
    }
  }
}

/// target[p, q] += weight * plane[p s - pad + i d, q s - pad + j d] over the outputs whose tap
/// (i, j) lands inside the plane.
@inline(__always)
func addShiftedPlane(
  _ target: UnsafeMutablePointer<Float>, _ plane: UnsafePointer<Float>, weight: Float, tapRow: Int, tapColumn: Int,
  geometry g: ConvolutionGeometry
) {
  let w = g.window
  let rowOffset = tapRow * w.dilationRows - w.paddingRows
  let columnOffset = tapColumn * w.dilationColumns - w.paddingColumns
  let rows = validOutputRange(length: g.input.rows, outputs: g.output.rows, offset: rowOffset, stride: w.strideRows)
  let columns = validOutputRange(
    length: g.input.columns, outputs: g.output.columns, offset: columnOffset, stride: w.strideColumns)
  guard !columns.isEmpty else { return }
  for p in rows {
    let source = plane + (p * w.strideRows + rowOffset) * g.input.columns + columnOffset
    let line = target + p * g.output.columns
    if w.strideColumns == 1 {
      for q in columns { line[q] += weight * source[q] }
    } else {
      for q in columns { line[q] += weight * source[q * w.strideColumns] }
    }
  }
}
