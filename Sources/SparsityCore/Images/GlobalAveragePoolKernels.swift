// Global average pooling (NCHW): one mean per channel of every sample.

/// The mean of each channel's pixels, PyTorch's `adaptive_avg_pool2d(x, 1)` flattened:
///
///     y[n, c] = (1 / (rows * columns)) * sum over r, q of x[n, c, r, q]
///
/// Shapes: `input` is (batch, image.featureCount), `output` is (batch, image.channels). Planes
/// are summed eight lanes at a time and split over threads.
/// - Complexity: O(batch * image.featureCount), no allocation.
public func globalAvgPool2d(_ input: Tensor, image: ImageShape, into output: inout Tensor) {
  checkGlobalPoolShapes(input, image: image, output: output, name: "globalAvgPool2d")
  let (planes, pixels) = (input.rows * image.channels, image.pixelCount)
  guard planes > 0 else { return }
  input.scalars.withUnsafeBufferPointer { xs in
    output.scalars.withUnsafeMutableBufferPointer { ys in
      let (x, y, divisor) = (xs.baseAddress!, ys.baseAddress!, Float(pixels))
      Parallel.forEachChunk(of: planes, minimumChunk: minimumPlanesPerChunk(workPerPlane: pixels)) { range in
        for plane in range { y[plane] = PlaneReductions.sum(x + plane * pixels, count: pixels) / divisor }
      }
    }
  }
}

/// The backward pass of `globalAvgPool2d`: every pixel of a channel gets that channel's output
/// gradient divided by the pixel count,
///
///     dx[n, c, r, q] = dy[n, c] / (rows * columns)
///
/// `inputGradient` (batch, image.featureCount) is overwritten; `outputGradient` is
/// (batch, image.channels).
/// - Complexity: O(batch * image.featureCount), no allocation.
public func globalAvgPool2dBackward(_ outputGradient: Tensor, image: ImageShape, into inputGradient: inout Tensor) {
  checkGlobalPoolShapes(inputGradient, image: image, output: outputGradient, name: "globalAvgPool2dBackward")
  let (planes, pixels) = (outputGradient.rows * image.channels, image.pixelCount)
  guard planes > 0 else { return }
  outputGradient.scalars.withUnsafeBufferPointer { gs in
    inputGradient.scalars.withUnsafeMutableBufferPointer { dxs in
      let (g, dx, divisor) = (gs.baseAddress!, dxs.baseAddress!, Float(pixels))
      Parallel.forEachChunk(of: planes, minimumChunk: minimumPlanesPerChunk(workPerPlane: pixels)) { range in
        for plane in range { (dx + plane * pixels).update(repeating: g[plane] / divisor, count: pixels) }
      }
    }
  }
}

/// Reference twin of `globalAvgPool2d`: each mean summed in Double, one pixel at a time.
public func globalAvgPool2dReference(_ input: Tensor, image: ImageShape, into output: inout Tensor) {
  checkGlobalPoolShapes(input, image: image, output: output, name: "globalAvgPool2d")
  for n in 0..<input.rows {
    for c in 0..<image.channels {
      var sum = 0.0
      for p in 0..<image.pixelCount { sum += Double(input[n, c * image.pixelCount + p]) }
      output[n, c] = Float(sum / Double(image.pixelCount))
    }
  }
}

/// Reference twin of `globalAvgPool2dBackward`: one pixel at a time.
public func globalAvgPool2dBackwardReference(
  _ outputGradient: Tensor, image: ImageShape, into inputGradient: inout Tensor
) {
  checkGlobalPoolShapes(inputGradient, image: image, output: outputGradient, name: "globalAvgPool2dBackward")
  for n in 0..<outputGradient.rows {
    for c in 0..<image.channels {
      for p in 0..<image.pixelCount {
        inputGradient[n, c * image.pixelCount + p] = outputGradient[n, c] / Float(image.pixelCount)
      }
    }
  }
}

/// Checks that `images` is (batch, image.featureCount) and `channels` is (batch, image.channels).
private func checkGlobalPoolShapes(_ images: Tensor, image: ImageShape, output channels: Tensor, name: String) {
  precondition(
    images.rank == 2 && images.columns == image.featureCount,
    "\(name): images \(images.shape) for image shape \(image) (\(image.featureCount) features)")
  precondition(
    channels.shape == [images.rows, image.channels],
    "\(name): per-channel values \(channels.shape), expected \([images.rows, image.channels])")
}
