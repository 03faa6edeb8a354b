// Batch normalization over the channels of images (NCHW): per-channel batch statistics, the
// normalization itself, and its gradients.
//
// Shapes throughout: images are (batch, image.featureCount); per-channel arrays hold
// image.channels values. A channel's statistics run over its M = batch * rows * columns values.

/// Each channel's mean and biased variance over the batch and the pixels,
///
///     mean[c] = (1 / M) sum over n, r, q of x[n, c, r, q]
///     variance[c] = (1 / M) sum over n, r, q of (x[n, c, r, q] - mean[c])^2
///
/// in two passes (mean first, then squared deviations, which avoids the cancellation of
/// E[x^2] - mean^2); each plane is summed in Float, eight lanes at a time, and the planes added
/// in Double. An empty batch gives means and variances of 0. Channels are split over threads.
/// - Complexity: O(batch * image.featureCount), no allocation.
public func channelMeansAndVariances(
  of input: Tensor, image: ImageShape, means: inout [Float], variances: inout [Float]
) {
  checkImages(input, image: image, name: "channelMeansAndVariances")
  precondition(
    means.count == image.channels && variances.count == image.channels,
    "channelMeansAndVariances: \(means.count) means and \(variances.count) variances for \(image.channels) channels")
  let (batch, pixels, channels) = (input.rows, image.pixelCount, image.channels)
  let count = Double(batch * pixels)
  input.scalars.withUnsafeBufferPointer { xs in
    means.withUnsafeMutableBufferPointer { ms in
      variances.withUnsafeMutableBufferPointer { vs in
        let (x, mean, variance) = (xs.baseAddress, ms.baseAddress!, vs.baseAddress!)
        Parallel.forEachChunk(of: channels, minimumChunk: minimumPlanesPerChunk(workPerPlane: 2 * batch * pixels)) {
          range in
          for c in range {
            var total = 0.0
            for n in 0..<batch { total += Double(PlaneReductions.sum(x! + (n * channels + c) * pixels, count: pixels)) }
            mean[c] = batch == 0 ? 0 : Float(total / count)
            var squares = 0.0
            for n in 0..<batch {
              squares += Double(
                PlaneReductions.sumOfSquaredDeviations(x! + (n * channels + c) * pixels, count: pixels, mean: mean[c]))
            }
            variance[c] = batch == 0 ? 0 : Float(squares / count)
          }
        }
      }
    }
  }
}

/// The affine per-channel map of batch normalization's forward pass,
///
///     y[n, c, r, q] = (x[n, c, r, q] - mean[c]) * scale[c] + shift[c]
///
/// with scale = gamma / sqrt(variance + epsilon) and shift = beta. `output` (shaped as `input`)
/// is overwritten. Planes are split over threads.
/// - Complexity: O(batch * image.featureCount), no allocation.
public func normalizeChannels(
  _ input: Tensor, image: ImageShape, means: [Float], scales: [Float], shifts: [Float], into output: inout Tensor
) {
  checkImages(input, image: image, name: "normalizeChannels")
  precondition(
    means.count == image.channels && scales.count == image.channels && shifts.count == image.channels,
    "normalizeChannels: \(means.count) means, \(scales.count) scales, \(shifts.count) shifts for \(image.channels) channels"
  )
  precondition(output.shape == input.shape, "normalizeChannels: output \(output.shape), input \(input.shape)")
  let (planes, pixels, channels) = (input.rows * image.channels, image.pixelCount, image.channels)
  guard planes > 0 else { return }
  input.scalars.withUnsafeBufferPointer { xs in
    output.scalars.withUnsafeMutableBufferPointer { ys in
      let (x, y) = (xs.baseAddress!, ys.baseAddress!)
      Parallel.forEachChunk(of: planes, minimumChunk: minimumPlanesPerChunk(workPerPlane: pixels)) { range in
        for plane in range {
          let c = plane % channels
          let (mean, scale, shift) = (means[c], scales[c], shifts[c])
          let (source, target) = (x + plane * pixels, y + plane * pixels)
          for p in 0..<pixels { target[p] = (source[p] - mean) * scale + shift }
        }
      }
    }
  }
}

/// The gradients of batch normalization's gamma and beta for one batch, per channel,
///
///     weightGradient[c] = sum over n, r, q of dy[n, c, r, q] * xhat[n, c, r, q]
///     biasGradient[c] = sum over n, r, q of dy[n, c, r, q]
///
/// with xhat = (x - mean[c]) * inverseDeviation[c], the normalized input. Both arrays are
/// overwritten (the caller adds them to the parameters' gradients); `batchNormInputGradient`
/// needs them too. Channels are split over threads.
/// - Complexity: O(batch * image.featureCount), no allocation.
public func batchNormParameterGradients(
  _ outputGradient: Tensor, input: Tensor, image: ImageShape, means: [Float], inverseDeviations: [Float],
  weightGradient: inout [Float], biasGradient: inout [Float]
) {
  checkImages(input, image: image, name: "batchNormParameterGradients")
  precondition(
    means.count == image.channels && inverseDeviations.count == image.channels
      && weightGradient.count == image.channels && biasGradient.count == image.channels,
    "batchNormParameterGradients: per-channel arrays of \(means.count), \(inverseDeviations.count), \(weightGradient.count) and \(biasGradient.count) for \(image.channels) channels"
  )
  precondition(
    outputGradient.shape == input.shape,
    "batchNormParameterGradients: output gradient \(outputGradient.shape), input \(input.shape)")
  let (batch, pixels, channels) = (input.rows, image.pixelCount, image.channels)
  input.scalars.withUnsafeBufferPointer { xs in
    outputGradient.scalars.withUnsafeBufferPointer { gs in
      weightGradient.withUnsafeMutableBufferPointer { ws in
        biasGradient.withUnsafeMutableBufferPointer { bs in
          let (x, g, weight, bias) = (xs.baseAddress, gs.baseAddress, ws.baseAddress!, bs.baseAddress!)
          Parallel.forEachChunk(of: channels, minimumChunk: minimumPlanesPerChunk(workPerPlane: batch * pixels)) {
            range in
            for c in range {
              var (sum, product) = (0.0, 0.0)
              for n in 0..<batch {
                let offset = (n * channels + c) * pixels
                let plane = PlaneReductions.sumAndDeviationProduct(
                  g! + offset, x! + offset, count: pixels, mean: means[c])
                sum += Double(plane.sum)
                product += Double(plane.product)
              }
              bias[c] = Float(sum)
              weight[c] = Float(product * Double(inverseDeviations[c]))
            }
          }
        }
      }
    }
  }
}

/// dL/dx of batch normalization, given dL/dy and the parameter gradients of the same batch
/// (`batchNormParameterGradients`). With batch statistics (training) the mean and variance
/// depend on x, which gives the standard batch-norm backward,
///
///     dx = scale[c] * (dy - biasGradient[c] / M - xhat * weightGradient[c] / M)
///
/// with xhat = (x - mean[c]) * inverseDeviation[c] and scale = gamma * inverseDeviation; with
/// fixed (running) statistics the map is affine and dx = scale[c] * dy. `inputGradient` (shaped
/// as `input`) is overwritten. Planes are split over threads.
///
/// Reference: S. Ioffe and C. Szegedy, "Batch Normalization: Accelerating Deep Network Training
/// by Reducing Internal Covariate Shift", ICML 2015 (section 3, the chain rule through the
/// batch statistics).
/// - Complexity: O(batch * image.featureCount), no allocation.
public func batchNormInputGradient(
  _ outputGradient: Tensor, input: Tensor, image: ImageShape, means: [Float], inverseDeviations: [Float],
  scales: [Float], weightGradient: [Float], biasGradient: [Float], batchStatistics: Bool,
  into inputGradient: inout Tensor
) {
  checkImages(input, image: image, name: "batchNormInputGradient")
  precondition(
    means.count == image.channels && inverseDeviations.count == image.channels && scales.count == image.channels
      && weightGradient.count == image.channels && biasGradient.count == image.channels,
    "batchNormInputGradient: per-channel arrays of other than \(image.channels) values")
  precondition(
    outputGradient.shape == input.shape && inputGradient.shape == input.shape,
    "batchNormInputGradient: output gradient \(outputGradient.shape), input gradient \(inputGradient.shape), input \(input.shape)"
  )
  let (planes, pixels, channels) = (input.rows * image.channels, image.pixelCount, image.channels)
  guard planes > 0 else { return }
  let perValue = batchStatistics ? 1 / Float(input.rows * pixels) : 0
  input.scalars.withUnsafeBufferPointer { xs in
    outputGradient.scalars.withUnsafeBufferPointer { gs in
      inputGradient.scalars.withUnsafeMutableBufferPointer { dxs in
        let (x, g, dx) = (xs.baseAddress!, gs.baseAddress!, dxs.baseAddress!)
        Parallel.forEachChunk(of: planes, minimumChunk: minimumPlanesPerChunk(workPerPlane: pixels)) { range in
          for plane in range {
            let c = plane % channels
            let (mean, scale) = (means[c], scales[c])
            let meanGradient = biasGradient[c] * perValue
            let slope = weightGradient[c] * perValue * inverseDeviations[c]  // per unit of x - mean
            let offset = plane * pixels
            let (source, gradient, target) = (x + offset, g + offset, dx + offset)
            for p in 0..<pixels {
              target[p] = scale * (gradient[p] - meanGradient - (source[p] - mean) * slope)
            }
          }
        }
      }
    }
  }
}

// MARK: - Reference twins

/// Reference twin of `channelMeansAndVariances`: both passes in Double, one value at a time.
public func channelMeansAndVariancesReference(
  of input: Tensor, image: ImageShape, means: inout [Float], variances: inout [Float]
) {
  checkImages(input, image: image, name: "channelMeansAndVariances")
  for c in 0..<image.channels {
    let values = channelValues(input, image: image, channel: c)
    let mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    let variance = values.isEmpty ? 0 : values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    (means[c], variances[c]) = (Float(mean), Float(variance))
  }
}

/// Reference twin of `normalizeChannels`: one value at a time.
public func normalizeChannelsReference(
  _ input: Tensor, image: ImageShape, means: [Float], scales: [Float], shifts: [Float], into output: inout Tensor
) {
  checkImages(input, image: image, name: "normalizeChannels")
  for n in 0..<input.rows {
    for k in 0..<image.featureCount {
      let c = k / image.pixelCount
      output[n, k] = (input[n, k] - means[c]) * scales[c] + shifts[c]
    }
  }
}

/// Reference twin of `batchNormParameterGradients`: sums in Double, one value at a time.
public func batchNormParameterGradientsReference(
  _ outputGradient: Tensor, input: Tensor, image: ImageShape, means: [Float], inverseDeviations: [Float],
  weightGradient: inout [Float], biasGradient: inout [Float]
) {
  checkImages(input, image: image, name: "batchNormParameterGradients")
  for c in 0..<image.channels {
    let xs = channelValues(input, image: image, channel: c)
    let gs = channelValues(outputGradient, image: image, channel: c)
    let xhat = xs.map { ($0 - Double(means[c])) * Double(inverseDeviations[c]) }
    biasGradient[c] = Float(gs.reduce(0, +))
    weightGradient[c] = Float(zip(gs, xhat).reduce(0) { $0 + $1.0 * $1.1 })
  }
}

/// Reference twin of `batchNormInputGradient`: the formula in Double, one value at a time.
public func batchNormInputGradientReference(
  _ outputGradient: Tensor, input: Tensor, image: ImageShape, means: [Float], inverseDeviations: [Float],
  scales: [Float], weightGradient: [Float], biasGradient: [Float], batchStatistics: Bool,
  into inputGradient: inout Tensor
) {
  checkImages(input, image: image, name: "batchNormInputGradient")
  let count = Double(input.rows * image.pixelCount)
  for n in 0..<input.rows {
    for k in 0..<image.featureCount {
      let c = k / image.pixelCount
      let xhat = (Double(input[n, k]) - Double(means[c])) * Double(inverseDeviations[c])
      var gradient = Double(outputGradient[n, k])
      if batchStatistics { gradient -= (Double(biasGradient[c]) + xhat * Double(weightGradient[c])) / count }
      inputGradient[n, k] = Float(Double(scales[c]) * gradient)
    }
  }
}

/// The values of channel `channel` over the batch, sample by sample, in Double.
private func channelValues(_ images: Tensor, image: ImageShape, channel: Int) -> [Double] {
  (0..<images.rows).flatMap { n in
    (0..<image.pixelCount).map { p in Double(images[n, channel * image.pixelCount + p]) }
  }
}

/// Checks that `input` holds (batch, image.featureCount) images.
private func checkImages(_ input: Tensor, image: ImageShape, name: String) {
  precondition(
    input.rank == 2 && input.columns == image.featureCount,
    "\(name): input \(input.shape) for images \(image) (\(image.featureCount) features)")
}
