// Max pooling over the pixels of each channel (NCHW): forward with the index of each maximum,
// backward routing each output gradient to that index.

import CSparsityKernels

/// Max pooling, PyTorch's `max_pool2d` with `ceil_mode=False`: every output pixel is the largest
/// input pixel under its window, padding counting as -infinity,
///
///     y[n, c, i, j] = max over taps (a, b) inside the image of x[n, c, i s - p + a d, j s - p + b d]
///     argmax[n, c, i, j] = the plane index r * columns + q of that pixel
///
/// (s stride, p padding, d dilation, per direction). Taps are scanned row by row and a value
/// replaces the maximum only when strictly larger (or NaN, which then propagates), so among
/// ties the first in scan order wins, as in PyTorch. A window whose taps all fall on padding
/// gives -infinity and index -1 (PyTorch rejects a padding above half the kernel, which rules
/// that out for undilated windows).
///
/// Shapes: `input` is (batch, image.featureCount), `output` and `argmax` hold
/// (batch, outputImage.featureCount) with outputImage = `window.outputShape(of: image)`. Planes
/// (sample, channel) are split over threads.
/// - Complexity: O(batch * channels * outputPixels * window taps), no allocation.
public func maxPool2d(
  _ input: Tensor, image: ImageShape, window: SlidingWindow, into output: inout Tensor, argmax: inout [Int32]
) {
  let outputImage = checkedPoolShapes(input, image: image, window: window, output: output, name: "maxPool2d")
  precondition(argmax.count == output.count, "maxPool2d: \(argmax.count) indices for output \(output.shape)")
  let planes = input.rows * image.channels
  guard planes > 0 else { return }
  let (inputPlane, outputPlane) = (image.pixelCount, outputImage.pixelCount)
  window.withInsideTaps(image: image, output: outputImage) { rowTaps, columnTaps in
    input.scalars.withUnsafeBufferPointer { xs in
      output.scalars.withUnsafeMutableBufferPointer { ys in
        argmax.withUnsafeMutableBufferPointer { ms in
          let (x, y, m) = (xs.baseAddress!, ys.baseAddress!, ms.baseAddress!)
          let chunk = minimumPlanesPerChunk(workPerPlane: outputPlane * window.tapCount)
          let unpadded = window.paddingRows == 0 && window.paddingColumns == 0
          Parallel.forEachChunk(of: planes, minimumChunk: chunk) { range in
            for plane in range where unpadded {
              maxPoolPlaneInside(
                y + plane * outputPlane, argmax: m + plane * outputPlane, x + plane * inputPlane, image: image,
                output: outputImage, window: window)
            }
            for plane in range where !unpadded {
              maxPoolPlane(
                y + plane * outputPlane, argmax: m + plane * outputPlane, x + plane * inputPlane, image: image,
                output: outputImage, window: window, rowTaps: rowTaps, columnTaps: columnTaps)
            }
          }
        }
      }
    }
  }
}

/// One plane of `maxPool2d` without padding, where every tap of every window is inside the
/// image: no clipping, wrapping index arithmetic (the sizes were checked), and the 2x2 window
/// unrolled. The same scan order and comparisons as `maxPoolPlane`.
@inline(__always)
private func maxPoolPlaneInside(
  _ y: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>, _ x: UnsafePointer<Float>,
  image: ImageShape, output: ImageShape, window: SlidingWindow
) {
  let width = image.columns
  let (rowStep, columnStep) = (window.dilationRows &* width, window.dilationColumns)
  let twoByTwo = window.kernelRows == 2 && window.kernelColumns == 2
  if twoByTwo && window.strideRows == 2 && window.strideColumns == 2 && window.dilationRows == 1
    && window.dilationColumns == 1
  {
    return maxPoolPlaneTwoByTwo(y, argmax: argmax, x, width: width, output: output)
  }
  @inline(__always) func take(_ value: Float, _ at: Int, _ best: inout Float, _ index: inout Int) {
    let larger = value > best || value.isNaN
    best = larger ? value : best
    index = larger ? at : index
  }
  for i in 0..<output.rows {
    let top = i &* window.strideRows &* width
    for j in 0..<output.columns {
      let base = top &+ j &* window.strideColumns
      var (best, index) = (-Float.infinity, base)
      if twoByTwo {
        take(x[base], base, &best, &index)
        take(x[base &+ columnStep], base &+ columnStep, &best, &index)
        take(x[base &+ rowStep], base &+ rowStep, &best, &index)
        take(x[base &+ rowStep &+ columnStep], base &+ rowStep &+ columnStep, &best, &index)
      } else {
        var line = base
        for _ in 0..<window.kernelRows {
          var at = line
          for _ in 0..<window.kernelColumns {
            take(x[at], at, &best, &index)
            at = at &+ columnStep
          }
          line = line &+ rowStep
        }
      }
      y[i &* output.columns &+ j] = best
      argmax[i &* output.columns &+ j] = Int32(truncatingIfNeeded: index)
    }
  }
}

/// One plane of the common 2x2, stride 2 max pool, eight outputs at a time: each pair of input
/// rows is loaded 16 values at a time and split into even and odd columns, and the four taps are
/// compared in scan order with the same rule as `maxPoolPlane` (strictly larger, or NaN).
@inline(__always)
private func maxPoolPlaneTwoByTwo(
  _ y: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>, _ x: UnsafePointer<Float>, width: Int,
  output: ImageShape
) {
  let lanes = SIMD8<Int32>(0, 2, 4, 6, 8, 10, 12, 14)
  for i in 0..<output.rows {
    let top = x + 2 &* i &* width
    let bottom = top + width
    var j = 0
    while j &+ 8 <= output.columns {
      let upper = UnsafeRawPointer(top + 2 &* j).loadUnaligned(as: SIMD16<Float>.self)
      let lower = UnsafeRawPointer(bottom + 2 &* j).loadUnaligned(as: SIMD16<Float>.self)
      var best = upper.evenHalf
      let first = lanes &+ Int32(truncatingIfNeeded: 2 &* i &* width &+ 2 &* j)
      var index = first
      @inline(__always) func take(_ candidate: SIMD8<Float>, _ offset: Int) {
        let larger = (candidate .> best) .| (candidate .!= candidate)
        best.replace(with: candidate, where: larger)
        index.replace(with: first &+ Int32(truncatingIfNeeded: offset), where: larger)
      }
      take(upper.oddHalf, 1)
      take(lower.evenHalf, width)
      take(lower.oddHalf, width &+ 1)
      UnsafeMutableRawPointer(y + (i &* output.columns &+ j)).storeBytes(of: best, as: SIMD8<Float>.self)
      UnsafeMutableRawPointer(argmax + (i &* output.columns &+ j)).storeBytes(of: index, as: SIMD8<Int32>.self)
      j &+= 8
    }
    if j &+ 4 <= output.columns {
      // Four outputs (the 4-wide planes of a LeNet's second pool), as above; written out for
      // the concrete SIMD4 types, since the pool's generic SIMD version measured several times slower.
      let upper = UnsafeRawPointer(top + 2 &* j).loadUnaligned(as: SIMD8<Float>.self)
      let lower = UnsafeRawPointer(bottom + 2 &* j).loadUnaligned(as: SIMD8<Float>.self)
      var best = upper.evenHalf
      let first = lanes.lowHalf &+ Int32(truncatingIfNeeded: 2 &* i &* width &+ 2 &* j)
      var index = first
      @inline(__always) func take(_ candidate: SIMD4<Float>, _ offset: Int) {
        let larger = (candidate .> best) .| (candidate .!= candidate)
        best.replace(with: candidate, where: larger)
        index.replace(with: first &+ Int32(truncatingIfNeeded: offset), where: larger)
      }
      take(upper.oddHalf, 1)
      take(lower.evenHalf, width)
      take(lower.oddHalf, width &+ 1)
      UnsafeMutableRawPointer(y + (i &* output.columns &+ j)).storeBytes(of: best, as: SIMD4<Float>.self)
      UnsafeMutableRawPointer(argmax + (i &* output.columns &+ j)).storeBytes(of: index, as: SIMD4<Int32>.self)
      j &+= 4
    }
    while j < output.columns {
      let base = 2 &* i &* width &+ 2 &* j
      var (best, index) = (x[base], base)
      @inline(__always) func take(_ at: Int) {
        if x[at] > best || x[at].isNaN { (best, index) = (x[at], at) }
      }
      take(base &+ 1)
      take(base &+ width)
      take(base &+ width &+ 1)
      y[i &* output.columns &+ j] = best
      argmax[i &* output.columns &+ j] = Int32(truncatingIfNeeded: index)
      j &+= 1
    }
  }
}

/// The 2x2, stride 2 max pool without padding and without the indices, for inference: the
/// values `maxPool2d` computes with that window, eight outputs a step.
///
/// Shapes: `x` is (batch, image.featureCount), `y` (batch, channels x rows / 2 x columns / 2).
/// Planes (sample, channel) are split over threads.
/// - Complexity: O(batch * image.featureCount), no allocation.
public func maxPoolTwoByTwo(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, batch: Int, image: ImageShape)
{
  let output = maxPoolTwoByTwoShape(of: image)
  let planes = batch * image.channels
  Parallel.forEachChunk(of: planes, minimumChunk: minimumPlanesPerChunk(workPerPlane: image.pixelCount)) { range in
    for plane in range {
      maxPoolTwoByTwoValues(
        y + plane * output.pixelCount, x + plane * image.pixelCount, rowStride: image.columns, output: output)
    }
  }
}

/// The output of the 2x2, stride 2 max pool without padding on `image`: its channels at half its
/// rows and columns, rounded down (`SlidingWindow.outputShape(of:)` for that window).
public func maxPoolTwoByTwoShape(of image: ImageShape) -> ImageShape {
  ImageShape(channels: image.channels, rows: image.rows / 2, columns: image.columns / 2)
}

/// One plane of the 2x2, stride 2 max pool without the indices, for inference: y[i, j] is the
/// largest of x[2i, 2j], x[2i, 2j + 1], x[2i + 1, 2j], x[2i + 1, 2j + 1] with input rows
/// `rowStride` apart, by the rule of `maxPool2d` (strictly larger in scan order, or NaN).
/// Only the first 2 * output.columns values of each input row are read. `activated`: x is a
/// fused ReLU's output (no NaN, no -0), where the plain maximum is the rule's and cheaper.
/// - Complexity: O(output pixels), eight (then four) outputs a step (`sparsity_max_pool_2x2`).
@inline(__always)
func maxPoolTwoByTwoValues(
  _ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, rowStride: Int, output: ImageShape,
  activated: Bool = false, isa: KernelInstructionSet = .active
) {
  sparsity_max_pool_2x2(
    isa.rawValue, y, x, Int64(rowStride), Int64(output.rows), Int64(output.columns), activated ? 1 : 0)
}

/// One plane of `maxPool2d`, its loops clipped to the inside taps.
@inline(__always)
private func maxPoolPlane(
  _ y: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>, _ x: UnsafePointer<Float>,
  image: ImageShape, output: ImageShape, window: SlidingWindow, rowTaps: UnsafePointer<Int>,
  columnTaps: UnsafePointer<Int>
) {
  let width = image.columns
  for i in 0..<output.rows {
    let top = i * window.strideRows - window.paddingRows
    let rows = rowTaps[2 * i]..<rowTaps[2 * i + 1]
    for j in 0..<output.columns {
      let left = j * window.strideColumns - window.paddingColumns
      let columns = columnTaps[2 * j]..<columnTaps[2 * j + 1]
      var (best, index) = (-Float.infinity, -1)
      if !rows.isEmpty && !columns.isEmpty {
        // PyTorch starts from the first inside tap, so a window of -infinity points at it.
        index =
          (top + rows.lowerBound * window.dilationRows) * width + left + columns.lowerBound * window.dilationColumns
      }
      var a = rows.lowerBound
      while a < rows.upperBound {
        let line = (top + a * window.dilationRows) * width + left
        var b = columns.lowerBound
        while b < columns.upperBound {
          let at = line + b * window.dilationColumns
          let value = x[at]
          // Branch-free: a select, not a jump, on data-dependent comparisons.
          let take = value > best || value.isNaN
          best = take ? value : best
          index = take ? at : index
          b += 1
        }
        a += 1
      }
      y[i * output.columns + j] = best
      argmax[i * output.columns + j] = Int32(index)
    }
  }
}

/// The backward pass of `maxPool2d`: each output gradient goes to the input pixel its window
/// took the maximum from, gradients of overlapping windows adding up,
///
///     dx[n, c, r, q] = sum of dy[n, c, i, j] over outputs (i, j) with argmax = r * columns + q
///
/// and dx = 0 elsewhere (index -1 routes nowhere). `inputGradient` is overwritten.
///
/// Shapes: `outputGradient` is (batch, channels * outputPixels), `argmax` from the forward pass
/// has as many entries, `inputGradient` is (batch, image.featureCount).
/// - Complexity: O(batch * (image.featureCount + channels * outputPixels)), no allocation.
public func maxPool2dBackward(
  _ outputGradient: Tensor, argmax: [Int32], image: ImageShape, into inputGradient: inout Tensor
) {
  let batch = checkedPoolGradientShapes(outputGradient, image: image, inputGradient: inputGradient, name: "maxPool2d")
  precondition(
    argmax.count == outputGradient.count, "maxPool2dBackward: \(argmax.count) indices for \(outputGradient.shape)")
  let planes = batch * image.channels
  guard planes > 0 else { return }
  let (inputPlane, outputPlane) = (image.pixelCount, outputGradient.columns / image.channels)
  outputGradient.scalars.withUnsafeBufferPointer { gs in
    argmax.withUnsafeBufferPointer { ms in
      inputGradient.scalars.withUnsafeMutableBufferPointer { dxs in
        let (g, m, dx) = (gs.baseAddress!, ms.baseAddress!, dxs.baseAddress!)
        let chunk = minimumPlanesPerChunk(workPerPlane: inputPlane + outputPlane)
        Parallel.forEachChunk(of: planes, minimumChunk: chunk) { range in
          for plane in range {
            let (target, gradient, index) = (dx + plane * inputPlane, g + plane * outputPlane, m + plane * outputPlane)
            target.update(repeating: 0, count: inputPlane)
            for o in 0..<outputPlane where index[o] >= 0 { target[Int(index[o])] += gradient[o] }
          }
        }
      }
    }
  }
}

/// Reference twin of `maxPool2d`: every tap of every window, bounds checked one at a time.
public func maxPool2dReference(
  _ input: Tensor, image: ImageShape, window: SlidingWindow, into output: inout Tensor, argmax: inout [Int32]
) {
  let outputImage = checkedPoolShapes(input, image: image, window: window, output: output, name: "maxPool2d")
  for n in 0..<input.rows {
    for c in 0..<image.channels {
      for i in 0..<outputImage.rows {
        for j in 0..<outputImage.columns {
          var (best, index) = (-Float.infinity, -1)
          for a in 0..<window.kernelRows {
            for b in 0..<window.kernelColumns {
              let r = i * window.strideRows - window.paddingRows + a * window.dilationRows
              let q = j * window.strideColumns - window.paddingColumns + b * window.dilationColumns
              guard r >= 0 && r < image.rows && q >= 0 && q < image.columns else { continue }
              let value = input[n, (c * image.rows + r) * image.columns + q]
              if index < 0 || value > best || value.isNaN { (best, index) = (value, r * image.columns + q) }
            }
          }
          let o = (c * outputImage.rows + i) * outputImage.columns + j
          output[n, o] = best
          argmax[n * outputImage.featureCount + o] = Int32(index)
        }
      }
    }
  }
}

/// Reference twin of `maxPool2dBackward`: zero, then one addition per output.
public func maxPool2dBackwardReference(
  _ outputGradient: Tensor, argmax: [Int32], image: ImageShape, into inputGradient: inout Tensor
) {
  let batch = checkedPoolGradientShapes(outputGradient, image: image, inputGradient: inputGradient, name: "maxPool2d")
  let outputPlane = outputGradient.columns / image.channels
  for i in 0..<inputGradient.count { inputGradient[flat: i] = 0 }
  for n in 0..<batch {
    for c in 0..<image.channels {
      for o in 0..<outputPlane {
        let index = Int(argmax[(n * image.channels + c) * outputPlane + o])
        guard index >= 0 else { continue }
        inputGradient[n, c * image.pixelCount + index] += outputGradient[n, c * outputPlane + o]
      }
    }
  }
}
