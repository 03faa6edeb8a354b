// Shape checks and work splitting shared by the pooling kernels.

/// Checks a pooling forward's shapes and returns the output image (programmer errors stop).
func checkedPoolShapes(
  _ input: Tensor, image: ImageShape, window: SlidingWindow, output: Tensor, name: String
) -> ImageShape {
  guard let outputImage = window.outputShape(of: image) else {
    preconditionFailure("\(name): window \(window) does not fit image \(image)")
  }
  precondition(
    input.rank == 2 && input.columns == image.featureCount,
    "\(name): input \(input.shape) for images \(image) (\(image.featureCount) features)")
  precondition(
    output.shape == [input.rows, outputImage.featureCount],
    "\(name): output \(output.shape), expected \([input.rows, outputImage.featureCount])")
  return outputImage
}

/// Checks a pooling backward's shapes and returns the batch size (programmer errors stop).
func checkedPoolGradientShapes(
  _ outputGradient: Tensor, image: ImageShape, inputGradient: Tensor, name: String
) -> Int {
  precondition(
    outputGradient.rank == 2 && outputGradient.columns % image.channels == 0,
    "\(name)Backward: output gradient \(outputGradient.shape) for \(image.channels) channels")
  precondition(
    inputGradient.shape == [outputGradient.rows, image.featureCount],
    "\(name)Backward: input gradient \(inputGradient.shape), expected \([outputGradient.rows, image.featureCount])")
  return outputGradient.rows
}

/// The planes per thread worth splitting a batch of images over threads: about 16K values of
/// work per piece, at least one plane.
@inline(__always)
func minimumPlanesPerChunk(workPerPlane: Int) -> Int {
  Swift.max(1, 16_384 / Swift.max(1, workPerPlane))
}
