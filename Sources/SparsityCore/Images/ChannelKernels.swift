// Whole channels scaled at once (NCHW): the forward and backward pass of channel dropout.

/// Multiplies every pixel of each channel of each sample by that plane's factor,
///
///     y[n, c, r, q] = x[n, c, r, q] * factors[n * channels + c]
///
/// the forward pass of channel dropout with its mask as `factors` and, with dy as `input`, its
/// backward pass too. `output` (shaped as `input`) is overwritten. Planes are split over threads.
///
/// Shapes: `input` is (batch, image.featureCount), `factors` holds batch * image.channels values.
/// - Complexity: O(batch * image.featureCount), no allocation.
public func scaleChannels(_ input: Tensor, image: ImageShape, by factors: [Float], into output: inout Tensor) {
  checkScaleChannelsShapes(input, image: image, factors: factors, output: output)
  let (planes, pixels) = (factors.count, image.pixelCount)
  guard planes > 0 else { return }
  input.scalars.withUnsafeBufferPointer { xs in
    factors.withUnsafeBufferPointer { fs in
      output.scalars.withUnsafeMutableBufferPointer { ys in
        let (x, f, y) = (xs.baseAddress!, fs.baseAddress!, ys.baseAddress!)
        Parallel.forEachChunk(of: planes, minimumChunk: minimumPlanesPerChunk(workPerPlane: pixels)) { range in
          for plane in range {
            let (factor, source, target) = (f[plane], x + plane * pixels, y + plane * pixels)
            for p in 0..<pixels { target[p] = source[p] * factor }
          }
        }
      }
    }
  }
}

/// Reference twin of `scaleChannels`: one value at a time.
public func scaleChannelsReference(_ input: Tensor, image: ImageShape, by factors: [Float], into output: inout Tensor) {
  checkScaleChannelsShapes(input, image: image, factors: factors, output: output)
  for n in 0..<input.rows {
    for k in 0..<image.featureCount {
      output[n, k] = input[n, k] * factors[n * image.channels + k / image.pixelCount]
    }
  }
}

private func checkScaleChannelsShapes(_ input: Tensor, image: ImageShape, factors: [Float], output: Tensor) {
  precondition(
    input.rank == 2 && input.columns == image.featureCount && output.shape == input.shape,
    "scaleChannels: input \(input.shape), output \(output.shape) for images \(image)")
  precondition(
    factors.count == input.rows * image.channels,
    "scaleChannels: \(factors.count) factors for \(input.rows) samples of \(image.channels) channels")
}
