// 2-D convolution over a batch of NCHW samples, forward and backward, through im2col and BLAS.

/// Floats of patches and products a block of images aims at (1 MB, so they stay in a core's L2
/// cache between the im2col, the BLAS product and the scatter).
private let blockElements = 1 << 18
/// The most floats of partial weight gradients `convolutionGradients` holds at once.
private let partialElements = 1 << 24

/// Images per block of a convolution pass: as many as keep the block's patches and products
/// near `blockElements` floats, at least one. Depends on the shapes alone.
private func imagesPerBlock(_ geometry: ConvolutionGeometry, batch: Int) -> Int {
  let perImage = (geometry.patchLength + geometry.outputChannelsPerGroup) * geometry.output.pixelCount
  let largest = Swift.max(1, Swift.min(batch, blockElements / Swift.max(1, perImage)))
  // Equal blocks: 64 images in blocks of at most 59 are 2 of 32, not 59 and 5.
  let blocks = (batch + largest - 1) / largest
  return Swift.max(1, (batch + blocks - 1) / Swift.max(1, blocks))
}

/// The blocks of images of a pass over `batch` images, in order.
private func imageBlocks(of geometry: ConvolutionGeometry, batch: Int) -> [Range<Int>] {
  let block = imagesPerBlock(geometry, batch: batch)
  return stride(from: 0, to: batch, by: block).map { $0..<Swift.min(batch, $0 + block) }
}

/// Runs `body(index, images, patches, products)` for each block of `blocks` with scratch space
/// for the block's patches (patchLength, images * pixels) and products (filters per group,
/// images * pixels). With at least `spreadFrom` blocks (and more than one thread) the blocks
/// themselves go to the threads, each with its own scratch and everything inside on one thread
/// (no hand-off per product, each block's data in its own core's cache); otherwise they run in
/// turn and the work inside each is split over the threads.
private func forEachBlock(
  _ blocks: [Range<Int>], of geometry: ConvolutionGeometry, spreadFrom: Int,
  _ body: (Int, Range<Int>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void
) {
  let pixels = geometry.output.pixelCount
  let largest = blocks.map(\.count).max() ?? 0
  let patchCount = geometry.patchLength * largest * pixels
  let scratchCount = patchCount + geometry.outputChannelsPerGroup * largest * pixels
  let threads = Parallel.threadCount
  guard threads > 1, blocks.count >= Swift.max(2, spreadFrom) else {
    return Scratch.withBuffer(of: Float.self, count: scratchCount) { scratch in
      for (index, images) in blocks.enumerated() { body(index, images, scratch, scratch + patchCount) }
    }
  }
  Parallel.forEachChunk(of: blocks.count) { chunk in
    Parallel.withThreadCount(1) {
      Scratch.withBuffer(of: Float.self, count: scratchCount) { scratch in
        for index in chunk { body(index, blocks[index], scratch, scratch + patchCount) }
      }
    }
  }
}

/// The patches of group `group` of the images `images` side by side: (patchLength, images.count * pixels).
private func extractBlockPatches(
  _ patches: UnsafeMutablePointer<Float>, _ input: UnsafePointer<Float>, images: Range<Int>, group: Int,
  geometry: ConvolutionGeometry
) {
  let (pixels, width) = (geometry.output.pixelCount, images.count * geometry.output.pixelCount)
  let groupOffset = group * geometry.inputChannelsPerGroup * geometry.input.pixelCount
  Parallel.forEachChunk(of: images.count, minimumChunk: 2) { chunk in
    for local in chunk {
      extractPatches(
        patches + local * pixels, leadingDimension: width,
        input + (images.lowerBound + local) * geometry.input.featureCount + groupOffset,
        channels: geometry.inputChannelsPerGroup, rows: geometry.input.rows, columns: geometry.input.columns,
        window: geometry.window, output: (geometry.output.rows, geometry.output.columns))
    }
  }
}

/// Convolution forward: every output channel is its filter slid over the input, plus its bias.
///
///     y[n, o, p, q] = b[o] + sum over c in o's group, i, j of
///                     w[o, c, i, j] * x[n, c, p * sr - pr + i * dr, q * sc - pc + j * dc]
///
/// Shapes: `input` is (batch, input.featureCount), `output` is (batch, output.featureCount), both
/// NCHW rows; `weight` holds (out, in / groups, kr, kc) values row-major, `bias` out values or
/// nil. Blocks of images are unrolled into patches (im2col) and multiplied by the filters in one
/// BLAS product per block and group (`parallelGEMM`); the split depends only on the shapes, so
/// results are reproducible.
/// - Complexity: O(batch * output.featureCount * patchLength).
public func convolve(
  _ input: Tensor, weight: [Float], bias: [Float]?, geometry: ConvolutionGeometry, into output: inout Tensor
) {
  let batch = input.rows
  precondition(input.columns == geometry.input.featureCount, "convolve: input \(input.shape) for \(geometry)")
  precondition(
    output.shape == [batch, geometry.output.featureCount], "convolve: output \(output.shape) for \(geometry)")
  precondition(weight.count == geometry.output.channels * geometry.patchLength, "convolve: \(weight.count) weights")
  precondition(bias == nil || bias!.count == geometry.output.channels, "convolve: bias of \(bias!.count) values")
  guard batch > 0 else { return }
  input.scalars.withUnsafeBufferPointer { x in
    weight.withUnsafeBufferPointer { w in
      output.scalars.withUnsafeMutableBufferPointer { y in
        if let bias {
          bias.withUnsafeBufferPointer { b in
            convolve(
              y.baseAddress!, x.baseAddress!, batch: batch, weight: w.baseAddress!, bias: b.baseAddress!,
              geometry: geometry)
          }
        } else {
          convolve(y.baseAddress!, x.baseAddress!, batch: batch, weight: w.baseAddress!, bias: nil, geometry: geometry)
        }
      }
    }
  }
}

/// `convolve` on raw rows: y (batch, output.featureCount) from x (batch, input.featureCount),
/// weight (out, in / groups, kr, kc) and bias (out, or nil). The inference engine's dense
/// convolution (im2col and BLAS).
/// - Complexity: O(batch * output.featureCount * patchLength).
public func convolve(
  _ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, batch: Int, weight: UnsafePointer<Float>,
  bias: UnsafePointer<Float>?, geometry: ConvolutionGeometry
) {
  let (filters, pixels, length) = (geometry.outputChannelsPerGroup, geometry.output.pixelCount, geometry.patchLength)
  forEachBlock(imageBlocks(of: geometry, batch: batch), of: geometry, spreadFrom: 2 * Parallel.threadCount) {
    _, images, patches, products in
    for group in 0..<geometry.groups {
      extractBlockPatches(patches, x, images: images, group: group, geometry: geometry)
      parallelGEMM(
        products, weight + group * filters * length, patches, m: filters, n: images.count * pixels, k: length)
      // (filters, images * pixels) -> each image's channels of this group, plus the bias.
      Parallel.forEachChunk(of: images.count, minimumChunk: 4) { chunk in
        for local in chunk {
          for filter in 0..<filters {
            let channel = group * filters + filter
            let target = y + (images.lowerBound + local) * geometry.output.featureCount + channel * pixels
            let source = products + filter * images.count * pixels + local * pixels
            let shift = bias?[channel] ?? 0
            for p in 0..<pixels { target[p] = source[p] + shift }
          }
        }
      }
    }
  }
}

/// Blocks whose weight gradients `convolutionGradients` holds at once: enough for two per
/// thread, but no more than `partialElements` floats of them (at least one block).
private func gradientRoundLength(weightCount: Int, blocks: Int) -> Int {
  Swift.max(1, Swift.min(blocks, 2 * Parallel.threadCount, partialElements / Swift.max(1, weightCount)))
}

/// At most how many floats of scratch `convolve` and `convolutionGradients` take with `threads`
/// threads, whatever the batch: on each thread, a block's patches and products (about 2^18, at
/// least one image's); on the calling thread, the partial weight gradients of the blocks held at
/// once (two per thread, at most 2^24 floats, at least one weight gradient). Nil on overflow.
public func convolutionScratchBound(_ geometry: ConvolutionGeometry, threads: Int) -> (perThread: Int, calling: Int)? {
  let perImage = (geometry.patchLength + geometry.outputChannelsPerGroup).multipliedReportingOverflow(
    by: geometry.output.pixelCount)
  let weights = geometry.output.channels.multipliedReportingOverflow(by: geometry.patchLength)
  guard !perImage.overflow, !weights.overflow else { return nil }
  let inFlight = weights.partialValue.multipliedReportingOverflow(by: 2 * Swift.max(1, threads))
  let partials = inFlight.overflow ? partialElements : Swift.min(inFlight.partialValue, partialElements)
  return (Swift.max(perImage.partialValue, blockElements), Swift.max(weights.partialValue, partials))
}

/// `blocks` cut into consecutive rounds of at most `length` blocks, as even as can be (9
/// blocks in rounds of at most 4 are 3, 3 and 3): with two blocks or more and `length` at
/// least 4, every round has two blocks or more.
private func rounds(of blocks: [Range<Int>], length: Int) -> [ArraySlice<Range<Int>>] {
  let count = (blocks.count + length - 1) / length
  return (0..<count).map { blocks[blocks.count * $0 / count..<blocks.count * ($0 + 1) / count] }
}

/// Convolution backward: the weight gradient (and the input gradient when asked) from the output
/// gradient G.
///
///     dL/dw[o, c, i, j] (+)= sum over n, p, q of G[n, o, p, q] * x[n, c, p * sr - pr + i * dr, ...]
///     dL/dx = the adjoint of the forward map applied to G (patches W^T G, then col2im)
///
/// The weight gradient is overwritten when `overwriteWeightGradient`, else added to; the input
/// gradient, when given, is overwritten. The bias gradient is `accumulateChannelSums` of G.
/// Shapes as in `convolve`; `outputGradient` is (batch, output.featureCount). Each block of
/// images extracts its patches again (in its core's cache; cheaper than keeping the whole
/// batch's from the forward pass in memory) and computes its own part of the weight gradient;
/// the parts are added in block order. With two blocks or more (and at most 2^22 weights) the
/// result does not depend on the thread count; a single block's products are split over the
/// threads, which may round differently.
/// - Complexity: O(batch * output.featureCount * patchLength), twice with the input gradient.
public func convolutionGradients(
  input: Tensor, outputGradient: Tensor, weight: [Float], geometry: ConvolutionGeometry,
  weightGradient: inout [Float], overwriteWeightGradient: Bool, inputGradient: UnsafeMutablePointer<Float>?
) {
  let batch = input.rows
  precondition(input.columns == geometry.input.featureCount, "convolutionGradients: input \(input.shape)")
  precondition(
    outputGradient.shape == [batch, geometry.output.featureCount],
    "convolutionGradients: output gradient \(outputGradient.shape) for \(geometry)")
  precondition(
    weight.count == geometry.output.channels * geometry.patchLength && weightGradient.count == weight.count,
    "convolutionGradients: \(weight.count) weights, \(weightGradient.count) gradients")
  let (filters, pixels, length) = (geometry.outputChannelsPerGroup, geometry.output.pixelCount, geometry.patchLength)
  let (featureCount, weightCount) = (geometry.input.featureCount, weight.count)
  let blocks = imageBlocks(of: geometry, batch: batch)
  if overwriteWeightGradient && blocks.isEmpty { setToZero(&weightGradient) }
  let round = gradientRoundLength(weightCount: weightCount, blocks: blocks.count)
  Scratch.withBuffer(of: Float.self, count: round * weightCount) { partials in
    input.scalars.withUnsafeBufferPointer { x in
      outputGradient.scalars.withUnsafeBufferPointer { g in
        weight.withUnsafeBufferPointer { w in
          weightGradient.withUnsafeMutableBufferPointer { dw in
            // Blocks spread over the threads from two on: then each block's products run whole on
            // one thread, so every block's part, and the sum, are the same bits whatever the
            // thread count (a product split over threads may round differently).
            for inFlight in rounds(of: blocks, length: round) {
              forEachBlock(Array(inFlight), of: geometry, spreadFrom: 2) { index, images, patches, products in
                let width = images.count * pixels
                if let inputGradient {
                  (inputGradient + images.lowerBound * featureCount).update(
                    repeating: 0, count: images.count * featureCount)
                }
                for group in 0..<geometry.groups {
                  // G of this group and block as (filters, images * pixels).
                  Parallel.forEachChunk(of: images.count, minimumChunk: 4) { chunk in
                    for local in chunk {
                      for filter in 0..<filters {
                        let source =
                          g.baseAddress! + (images.lowerBound + local) * geometry.output.featureCount
                          + (group * filters + filter) * pixels
                        copyRun(products + filter * width + local * pixels, source, count: pixels)
                      }
                    }
                  }
                  extractBlockPatches(patches, x.baseAddress!, images: images, group: group, geometry: geometry)
                  parallelGEMM(
                    partials + index * weightCount + group * filters * length, products, patches, m: filters,
                    n: length, k: width, transposeB: true)
                  guard let inputGradient else { continue }
                  // Patch gradients W^T G into the patch buffer, then back onto the images.
                  parallelGEMM(
                    patches, w.baseAddress! + group * filters * length, products, m: length, n: width, k: filters,
                    transposeA: true)
                  let groupOffset = group * geometry.inputChannelsPerGroup * geometry.input.pixelCount
                  Parallel.forEachChunk(of: images.count, minimumChunk: 2) { chunk in
                    for local in chunk {
                      accumulatePatches(
                        inputGradient + (images.lowerBound + local) * featureCount + groupOffset,
                        patches + local * pixels, leadingDimension: width, channels: geometry.inputChannelsPerGroup,
                        rows: geometry.input.rows, columns: geometry.input.columns, window: geometry.window,
                        output: (geometry.output.rows, geometry.output.columns))
                    }
                  }
                }
              }
              for index in 0..<inFlight.count {
                let partial = partials + index * weightCount
                if inFlight.startIndex + index == 0 && overwriteWeightGradient {
                  dw.baseAddress!.update(from: partial, count: weightCount)
                } else {
                  addRun(dw.baseAddress!, partial, count: weightCount)
                }
              }
            }
          }
        }
      }
    }
  }
}

/// Adds each channel's sum over the batch and pixels to `sums`: the bias gradient of a
/// convolution, and the statistics of batch normalization.
///
///     sums[c] += sum over n, p of values[n, c, p]
///
/// Shapes: `values` is (batch, channels * pixels) NCHW rows; `sums` has `channels` entries.
/// - Complexity: O(batch * channels * pixels).
public func accumulateChannelSums(of values: Tensor, channels: Int, into sums: inout [Float]) {
  precondition(
    sums.count == channels && channels > 0, "accumulateChannelSums: \(sums.count) sums, \(channels) channels")
  precondition(values.rank == 2 && values.columns % channels == 0, "accumulateChannelSums: values \(values.shape)")
  let pixels = values.columns / channels
  let rows = values.rows
  values.scalars.withUnsafeBufferPointer { v in
    sums.withUnsafeMutableBufferPointer { s in
      let (source, target) = (v.baseAddress, s.baseAddress!)
      guard let source else { return }
      // Channels over the cores; each plane summed in eight lanes (`PlaneReductions`).
      Parallel.forEachChunk(of: channels, minimumChunk: Swift.max(1, (1 << 15) / Swift.max(1, rows * pixels))) {
        range in
        for c in range {
          var total: Float = 0
          for n in 0..<rows { total += PlaneReductions.sum(source + n * values.columns + c * pixels, count: pixels) }
          target[c] += total
        }
      }
    }
  }
}
