// Top-k selection on images (NCHW): the k largest pixels of each channel, or the k largest
// channels at each pixel; the forward pass of `SparsityNN`'s `SpatialTopK`.

/// Keeps the k largest pixels of every channel of every sample and sets the rest to zero, with
/// the 0/1 mask of the kept positions:
///
///     y[n, c, r, q] = x[n, c, r, q] and mask = 1 if x[n, c, r, q] is among the k largest of the
///     rows * columns pixels of channel c of sample n, else 0 and 0
///
/// Ties at the k-th value keep the first pixels in row-major order; comparison is by value, as
/// in `selectTopK` (each plane is one of its rows, selected by the same radix selection).
/// Planes are split over threads, each with its own scratch memory.
///
/// Shapes: `input` and `output` are (batch, image.featureCount), `mask` has as many entries.
/// - Complexity: O(batch * image.featureCount), no allocation after a thread's first call.
public func selectTopKInChannels(
  of input: Tensor, image: ImageShape, k: Int, into output: inout Tensor, mask: inout [Float]
) {
  checkSpatialTopKShapes(input, image: image, k: k, output: output, mask: mask, name: "selectTopKInChannels")
  let (planes, pixels) = (input.rows * image.channels, image.pixelCount)
  guard planes > 0 else { return }
  let kept = Swift.min(k, pixels)
  input.scalars.withUnsafeBufferPointer { xs in
    output.scalars.withUnsafeMutableBufferPointer { ys in
      mask.withUnsafeMutableBufferPointer { ms in
        let (x, y, m) = (xs.baseAddress!, ys.baseAddress!, ms.baseAddress!)
        Parallel.forEachChunk(of: planes, minimumChunk: minimumPlanesPerChunk(workPerPlane: 4 * pixels)) { range in
          Scratch.withBuffer(of: UInt32.self, count: pixels) { keys in
            Scratch.withBuffer(of: UInt32.self, count: TopKSelection.histogramSize) { histogram in
              for plane in range {
                let offset = plane * pixels
                selectTopKRow(
                  output: y + offset, mask: m + offset, input: x + offset, keys: keys, histogram: histogram,
                  columns: pixels, k: kept)
              }
            }
          }
        }
      }
    }
  }
}

/// Keeps the k largest channels at every pixel of every sample and sets the rest to zero, with
/// the 0/1 mask of the kept positions:
///
///     y[n, c, r, q] = x[n, c, r, q] and mask = 1 if x[n, c, r, q] is among the k largest of
///     x[n, 0, r, q], ..., x[n, channels - 1, r, q], else 0 and 0
///
/// Ties at the k-th value keep the lowest channels. Each sample's (channels, pixels) block is
/// transposed in scratch memory so that each pixel's channels are contiguous, selected there as
/// rows by `selectTopK`'s radix selection, and transposed back. Samples are split over threads.
///
/// Shapes: `input` and `output` are (batch, image.featureCount), `mask` has as many entries.
/// - Complexity: O(batch * image.featureCount), no allocation after a thread's first call.
public func selectTopKAtPositions(
  of input: Tensor, image: ImageShape, k: Int, into output: inout Tensor, mask: inout [Float]
) {
  checkSpatialTopKShapes(input, image: image, k: k, output: output, mask: mask, name: "selectTopKAtPositions")
  let (batch, pixels, channels, features) = (input.rows, image.pixelCount, image.channels, image.featureCount)
  guard batch > 0 else { return }
  let kept = Swift.min(k, channels)
  input.scalars.withUnsafeBufferPointer { xs in
    output.scalars.withUnsafeMutableBufferPointer { ys in
      mask.withUnsafeMutableBufferPointer { ms in
        let (x, y, m) = (xs.baseAddress!, ys.baseAddress!, ms.baseAddress!)
        guard kept < channels else {
          // Every channel is kept: the identity.
          y.update(from: x, count: batch * features)
          m.update(repeating: 1, count: batch * features)
          return
        }
        Parallel.forEachChunk(of: batch, minimumChunk: minimumPlanesPerChunk(workPerPlane: 8 * features)) { range in
          Scratch.withBuffer(of: Float.self, count: 3 * features) { transposed in
            Scratch.withBuffer(of: UInt32.self, count: channels) { keys in
              Scratch.withBuffer(of: UInt32.self, count: TopKSelection.histogramSize) { histogram in
                let (xT, yT, mT) = (transposed, transposed + features, transposed + 2 * features)
                for n in range {
                  let offset = n * features
                  transpose(xT, x + offset, rows: channels, columns: pixels)
                  for p in 0..<pixels {
                    selectTopKRow(
                      output: yT + p * channels, mask: mT + p * channels, input: xT + p * channels, keys: keys,
                      histogram: histogram, columns: channels, k: kept)
                  }
                  transpose(y + offset, yT, rows: pixels, columns: channels)
                  transpose(m + offset, mT, rows: pixels, columns: channels)
                }
              }
            }
          }
        }
      }
    }
  }
}

/// Reference twin of `selectTopKInChannels`: sorts each plane's pixels by value descending, then
/// index ascending, and keeps the first k.
/// - Complexity: O(batch * image.featureCount * log pixels).
public func selectTopKInChannelsReference(
  of input: Tensor, image: ImageShape, k: Int, into output: inout Tensor, mask: inout [Float]
) {
  checkSpatialTopKShapes(input, image: image, k: k, output: output, mask: mask, name: "selectTopKInChannels")
  for n in 0..<input.rows {
    for c in 0..<image.channels {
      let group = (0..<image.pixelCount).map { c * image.pixelCount + $0 }
      keepLargest(k, of: group, sample: n, input, into: &output, mask: &mask)
    }
  }
}

/// Reference twin of `selectTopKAtPositions`: sorts each pixel's channels by value descending,
/// then channel ascending, and keeps the first k.
/// - Complexity: O(batch * image.featureCount * log channels).
public func selectTopKAtPositionsReference(
  of input: Tensor, image: ImageShape, k: Int, into output: inout Tensor, mask: inout [Float]
) {
  checkSpatialTopKShapes(input, image: image, k: k, output: output, mask: mask, name: "selectTopKAtPositions")
  for n in 0..<input.rows {
    for p in 0..<image.pixelCount {
      let group = (0..<image.channels).map { $0 * image.pixelCount + p }
      keepLargest(k, of: group, sample: n, input, into: &output, mask: &mask)
    }
  }
}

/// Keeps the k largest of sample n's features at `group` (ties: earlier in `group` first).
private func keepLargest(
  _ k: Int, of group: [Int], sample n: Int, _ input: Tensor, into output: inout Tensor, mask: inout [Float]
) {
  let order = group.indices.sorted { a, b in
    let (x, y) = (input[n, group[a]], input[n, group[b]])
    return x != y ? x > y : a < b
  }
  for j in group {
    output[n, j] = 0
    mask[n * input.columns + j] = 0
  }
  for a in order.prefix(k) {
    output[n, group[a]] = input[n, group[a]]
    mask[n * input.columns + group[a]] = 1
  }
}

private func checkSpatialTopKShapes(
  _ input: Tensor, image: ImageShape, k: Int, output: Tensor, mask: [Float], name: String
) {
  precondition(k > 0, "\(name): k \(k) must be positive")
  precondition(
    input.rank == 2 && input.columns == image.featureCount && output.shape == input.shape && mask.count == input.count,
    "\(name): input \(input.shape), output \(output.shape), mask of \(mask.count) for images \(image)")
}
