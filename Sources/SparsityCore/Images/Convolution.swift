// 2-D convolution over a batch of NCHW samples, forward and backward, through im2col and BLAS.

/// Images per block of a convolution pass: as many as keep the block's patches and products
/// near `blockElements` floats (a few MB, so they stay in the last-level cache), at least one.
private func imagesPerBlock(_ geometry: ConvolutionGeometry, batch: Int) -> Int {
  let blockElements = 1 << 21
  let perImage = (geometry.patchLength + geometry.outputChannelsPerGroup) * geometry.output.pixelCount
  let largest = Swift.max(1, Swift.min(batch, blockElements / Swift.max(1, perImage)))
  // Equal blocks: 64 images in blocks of at most 59 are 2 of 32, not 59 and 5.
  let blocks = (batch + largest - 1) / largest
  return Swift.max(1, (batch + blocks - 1) / Swift.max(1, blocks))
}

/// Runs `body(images, patches, products)` for each block of images with scratch space for the
/// block's patches (patchLength, images * pixels) and products (filters per group, images * pixels).
private func forEachBlock(
  of geometry: ConvolutionGeometry, batch: Int,
  _ body: (Range<Int>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void
) {
  let block = imagesPerBlock(geometry, batch: batch)
  let pixels = geometry.output.pixelCount
  let patchCount = geometry.patchLength * block * pixels
  Scratch.withBuffer(of: Float.self, count: patchCount + geometry.outputChannelsPerGroup * block * pixels) { scratch in
    for start in stride(from: 0, to: batch, by: block) {
      body(start..<Swift.min(batch, start + block), scratch, scratch + patchCount)
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
  bias: UnsafePointer<Float>?, geometry: ConvolutionGeometry, savingPatchesIn cache: UnsafeMutablePointer<Float>? = nil
) {
  let (filters, pixels, length) = (geometry.outputChannelsPerGroup, geometry.output.pixelCount, geometry.patchLength)
  forEachBlock(of: geometry, batch: batch) { images, scratch, products in
    for group in 0..<geometry.groups {
      let patches = cache.map { $0 + cachedPatchesOffset(images: images, group: group, geometry: geometry) } ?? scratch
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

/// Floats of the patches `convolve` saves for a batch (`savingPatchesIn`):
/// batch x groups x patchLength x output pixels.
public func cachedPatchesCount(_ geometry: ConvolutionGeometry, batch: Int) -> Int {
  batch * geometry.groups * geometry.patchLength * geometry.output.pixelCount
}

/// Where the patches of group `group` of the block `images` start in the saved patches: blocks
/// in image order, each block's groups one after another, each (patchLength, images * pixels).
private func cachedPatchesOffset(images: Range<Int>, group: Int, geometry: ConvolutionGeometry) -> Int {
  geometry.patchLength * geometry.output.pixelCount * (images.lowerBound * geometry.groups + group * images.count)
}

/// Convolution backward: the weight gradient (and the input gradient when asked) from the output
/// gradient G.
///
///     dL/dw[o, c, i, j] (+)= sum over n, p, q of G[n, o, p, q] * x[n, c, p * sr - pr + i * dr, ...]
///     dL/dx = the adjoint of the forward map applied to G (patches W^T G, then col2im)
///
/// The weight gradient is overwritten when `overwriteWeightGradient`, else added to; the input
/// gradient, when given, is overwritten. The bias gradient is `accumulateChannelSums` of G.
/// Shapes as in `convolve`; `outputGradient` is (batch, output.featureCount). `savedPatches`,
/// when given, are those `convolve` saved for this input (`savingPatchesIn`): they are read
/// instead of extracted again.
/// - Complexity: O(batch * output.featureCount * patchLength), twice with the input gradient.
public func convolutionGradients(
  input: Tensor, outputGradient: Tensor, weight: [Float], geometry: ConvolutionGeometry,
  weightGradient: inout [Float], overwriteWeightGradient: Bool, inputGradient: UnsafeMutablePointer<Float>?,
  savedPatches: UnsafePointer<Float>? = nil
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
  if let inputGradient { inputGradient.update(repeating: 0, count: batch * geometry.input.featureCount) }
  var first = true
  input.scalars.withUnsafeBufferPointer { x in
    outputGradient.scalars.withUnsafeBufferPointer { g in
      weight.withUnsafeBufferPointer { w in
        weightGradient.withUnsafeMutableBufferPointer { dw in
          forEachBlock(of: geometry, batch: batch) { images, patches, products in
            let width = images.count * pixels
            for group in 0..<geometry.groups {
              // G of this group and block as (filters, images * pixels).
              Parallel.forEachChunk(of: images.count, minimumChunk: 4) { chunk in
                for local in chunk {
                  for filter in 0..<filters {
                    let source =
                      g.baseAddress! + (images.lowerBound + local) * geometry.output.featureCount
                      + (group * filters + filter) * pixels
                    (products + filter * width + local * pixels).update(from: source, count: pixels)
                  }
                }
              }
              var groupPatches = UnsafePointer(patches)
              if let savedPatches {
                groupPatches = savedPatches + cachedPatchesOffset(images: images, group: group, geometry: geometry)
              } else {
                extractBlockPatches(patches, x.baseAddress!, images: images, group: group, geometry: geometry)
              }
              parallelGEMM(
                dw.baseAddress! + group * filters * length, products, groupPatches, m: filters, n: length, k: width,
                transposeB: true, beta: first && overwriteWeightGradient ? 0 : 1)
              guard let inputGradient else { continue }
              // Patch gradients W^T G into the patch buffer, then back onto the images.
              parallelGEMM(
                patches, w.baseAddress! + group * filters * length, products, m: length, n: width, k: filters,
                transposeA: true)
              let groupOffset = group * geometry.inputChannelsPerGroup * geometry.input.pixelCount
              Parallel.forEachChunk(of: images.count, minimumChunk: 2) { chunk in
                for local in chunk {
                  accumulatePatches(
                    inputGradient + (images.lowerBound + local) * geometry.input.featureCount + groupOffset,
                    patches + local * pixels, leadingDimension: width, channels: geometry.inputChannelsPerGroup,
                    rows: geometry.input.rows, columns: geometry.input.columns, window: geometry.window,
                    output: (geometry.output.rows, geometry.output.columns))
                }
              }
            }
            first = false
          }
        }
      }
    }
  }
  if first && overwriteWeightGradient { setToZero(&weightGradient) }
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
