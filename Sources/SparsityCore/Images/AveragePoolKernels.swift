// Average pooling over the pixels of each channel (NCHW): windows, and the whole plane.

/// Average pooling, PyTorch's `avg_pool2d` with its defaults (`ceil_mode=False`,
/// `count_include_pad=True`): every output pixel is the sum of the input pixels under its
/// window divided by the window's tap count, padding counting as zeros,
///
///     y[n, c, i, j] = (sum over taps (a, b) inside the image of x[n, c, i s - p + a, j s - p + b])
///                     / (kernelRows * kernelColumns)
///
/// (s stride, p padding, per direction). PyTorch's average pooling has no dilation.
///
/// Shapes: `input` is (batch, image.featureCount), `output` is (batch, outputImage.featureCount)
/// with outputImage = `window.outputShape(of: image)`. Planes are split over threads.
/// - Precondition: dilation 1 in both directions.
/// - Complexity: O(batch * channels * outputPixels * window taps), no allocation.
public func avgPool2d(_ input: Tensor, image: ImageShape, window: SlidingWindow, into output: inout Tensor) {
  let outputImage = checkedAveragePoolShapes(input, image: image, window: window, output: output)
  let planes = input.rows * image.channels
  guard planes > 0 else { return }
  let (inputPlane, outputPlane, divisor) = (image.pixelCount, outputImage.pixelCount, Float(window.tapCount))
  window.withInsideTaps(image: image, output: outputImage) { rowTaps, columnTaps in
    input.scalars.withUnsafeBufferPointer { xs in
      output.scalars.withUnsafeMutableBufferPointer { ys in
        let (x, y) = (xs.baseAddress!, ys.baseAddress!)
        let chunk = minimumPlanesPerChunk(workPerPlane: outputPlane * window.tapCount)
        Parallel.forEachChunk(of: planes, minimumChunk: chunk) { range in
          for plane in range {
            let (source, target) = (x + plane * inputPlane, y + plane * outputPlane)
            for i in 0..<outputImage.rows {
              let top = i * window.strideRows - window.paddingRows
              for j in 0..<outputImage.columns {
                let left = j * window.strideColumns - window.paddingColumns
                var sum: Float = 0
                for a in rowTaps[2 * i]..<rowTaps[2 * i + 1] {
                  let line = source + (top + a) * image.columns + left
                  for b in columnTaps[2 * j]..<columnTaps[2 * j + 1] { sum += line[b] }
                }
                target[i * outputImage.columns + j] = sum / divisor
              }
            }
          }
        }
      }
    }
  }
}

/// The backward pass of `avgPool2d`: each output gradient, divided by the tap count, goes to
/// every input pixel under its window,
///
///     dx[n, c, r, q] = sum over outputs (i, j) whose window covers (r, q) of dy[n, c, i, j] / taps
///
/// `inputGradient` is overwritten. Shapes: `outputGradient` is (batch, outputImage.featureCount),
/// `inputGradient` is (batch, image.featureCount).
/// - Complexity: O(batch * channels * (inputPixels + outputPixels * window taps)), no allocation.
public func avgPool2dBackward(
  _ outputGradient: Tensor, image: ImageShape, window: SlidingWindow, into inputGradient: inout Tensor
) {
  let outputImage = checkedAveragePoolGradientShapes(
    outputGradient, image: image, window: window, inputGradient: inputGradient)
  let planes = outputGradient.rows * image.channels
  guard planes > 0 else { return }
  let (inputPlane, outputPlane, divisor) = (image.pixelCount, outputImage.pixelCount, Float(window.tapCount))
  window.withInsideTaps(image: image, output: outputImage) { rowTaps, columnTaps in
    outputGradient.scalars.withUnsafeBufferPointer { gs in
      inputGradient.scalars.withUnsafeMutableBufferPointer { dxs in
        let (g, dx) = (gs.baseAddress!, dxs.baseAddress!)
        let chunk = minimumPlanesPerChunk(workPerPlane: inputPlane + outputPlane * window.tapCount)
        Parallel.forEachChunk(of: planes, minimumChunk: chunk) { range in
          for plane in range {
            let (source, target) = (g + plane * outputPlane, dx + plane * inputPlane)
            target.update(repeating: 0, count: inputPlane)
            for i in 0..<outputImage.rows {
              let top = i * window.strideRows - window.paddingRows
              for j in 0..<outputImage.columns {
                let left = j * window.strideColumns - window.paddingColumns
                let share = source[i * outputImage.columns + j] / divisor
                for a in rowTaps[2 * i]..<rowTaps[2 * i + 1] {
                  let line = target + (top + a) * image.columns + left
                  for b in columnTaps[2 * j]..<columnTaps[2 * j + 1] { line[b] += share }
                }
              }
            }
          }
        }
      }
    }
  }
}

/// Reference twin of `avgPool2d`: every tap of every window, bounds checked one at a time.
public func avgPool2dReference(_ input: Tensor, image: ImageShape, window: SlidingWindow, into output: inout Tensor) {
  let outputImage = checkedAveragePoolShapes(input, image: image, window: window, output: output)
  for n in 0..<input.rows {
    for c in 0..<image.channels {
      for i in 0..<outputImage.rows {
        for j in 0..<outputImage.columns {
          var sum: Float = 0
          for (r, q) in windowPixels(i, j, image: image, window: window) {
            sum += input[n, (c * image.rows + r) * image.columns + q]
          }
          output[n, (c * outputImage.rows + i) * outputImage.columns + j] = sum / Float(window.tapCount)
        }
      }
    }
  }
}

/// Reference twin of `avgPool2dBackward`: zero, then one addition per output and tap.
public func avgPool2dBackwardReference(
  _ outputGradient: Tensor, image: ImageShape, window: SlidingWindow, into inputGradient: inout Tensor
) {
  let outputImage = checkedAveragePoolGradientShapes(
    outputGradient, image: image, window: window, inputGradient: inputGradient)
  for k in 0..<inputGradient.count { inputGradient[flat: k] = 0 }
  for n in 0..<outputGradient.rows {
    for c in 0..<image.channels {
      for i in 0..<outputImage.rows {
        for j in 0..<outputImage.columns {
          let share =
            outputGradient[n, (c * outputImage.rows + i) * outputImage.columns + j] / Float(window.tapCount)
          for (r, q) in windowPixels(i, j, image: image, window: window) {
            inputGradient[n, (c * image.rows + r) * image.columns + q] += share
          }
        }
      }
    }
  }
}

/// The pixels (row, column) inside the image under the window of output (i, j), row by row.
private func windowPixels(_ i: Int, _ j: Int, image: ImageShape, window: SlidingWindow) -> [(Int, Int)] {
  var pixels: [(Int, Int)] = []
  for a in 0..<window.kernelRows {
    for b in 0..<window.kernelColumns {
      let r = i * window.strideRows - window.paddingRows + a * window.dilationRows
      let q = j * window.strideColumns - window.paddingColumns + b * window.dilationColumns
      if r >= 0 && r < image.rows && q >= 0 && q < image.columns { pixels.append((r, q)) }
    }
  }
  return pixels
}

private func checkedAveragePoolShapes(
  _ input: Tensor, image: ImageShape, window: SlidingWindow, output: Tensor
) -> ImageShape {
  precondition(
    window.dilationRows == 1 && window.dilationColumns == 1, "avgPool2d: window \(window) must not be dilated")
  return checkedPoolShapes(input, image: image, window: window, output: output, name: "avgPool2d")
}

private func checkedAveragePoolGradientShapes(
  _ outputGradient: Tensor, image: ImageShape, window: SlidingWindow, inputGradient: Tensor
) -> ImageShape {
  precondition(
    window.dilationRows == 1 && window.dilationColumns == 1, "avgPool2d: window \(window) must not be dilated")
  guard let outputImage = window.outputShape(of: image) else {
    preconditionFailure("avgPool2dBackward: window \(window) does not fit image \(image)")
  }
  _ = checkedPoolGradientShapes(outputGradient, image: image, inputGradient: inputGradient, name: "avgPool2d")
  precondition(
    outputGradient.columns == outputImage.featureCount,
    "avgPool2dBackward: output gradient \(outputGradient.shape) for output images \(outputImage)")
  return outputImage
}
