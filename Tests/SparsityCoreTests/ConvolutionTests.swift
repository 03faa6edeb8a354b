import SparsityCore
import SparsityTestSupport
import Testing

/// Convolutions on odd shapes: 1x1, 5x5, stride 2, padding, dilation, groups, depthwise.
let convolutionCases: [(input: ImageShape, outputChannels: Int, window: SlidingWindow, groups: Int)] = [
  (ImageShape(channels: 1, rows: 8, columns: 8), 3, SlidingWindow(kernelRows: 5, kernelColumns: 5), 1),
  (
    ImageShape(channels: 3, rows: 7, columns: 5), 4,
    SlidingWindow(kernelRows: 3, kernelColumns: 3, stride: 2, padding: 1), 1
  ),
  (ImageShape(channels: 4, rows: 5, columns: 6), 6, SlidingWindow(kernelRows: 1, kernelColumns: 1), 2),
  (ImageShape(channels: 4, rows: 6, columns: 6), 4, SlidingWindow(kernelRows: 3, kernelColumns: 3, padding: 1), 4),
  (
    ImageShape(channels: 2, rows: 9, columns: 7), 2,
    SlidingWindow(kernelRows: 3, kernelColumns: 2, padding: 2, dilation: 2), 1
  ),
]

@Suite struct ConvolutionTests {
  @Test(arguments: convolutionCases.indices, [0, 1, 3, 70])
  func forwardAndGradientsMatchTheReference(case index: Int, batch: Int) {
    let c = convolutionCases[index]
    let geometry = ConvolutionGeometry(
      input: c.input, outputChannels: c.outputChannels, window: c.window, groups: c.groups)!
    var generator = Xoshiro256StarStar(seed: UInt64(index * 100 + batch))
    let input = Tensor.normal(shape: [batch, c.input.featureCount], using: &generator)
    let weight = Tensor.normal(shape: [c.outputChannels * geometry.patchLength], using: &generator).scalars
    let bias = Tensor.normal(shape: [c.outputChannels], using: &generator).scalars
    var output = Tensor(repeating: .nan, shape: [batch, geometry.output.featureCount])
    var expected = output
    convolve(input, weight: weight, bias: bias, geometry: geometry, into: &output)
    convolveReference(input, weight: weight, bias: bias, geometry: geometry, into: &expected)
    #expect(relativeError(output, expected) < 1e-5)

    let upstream = Tensor.normal(shape: output.shape, using: &generator)
    for overwrite in [true, false] {
      let start = Tensor.normal(shape: [weight.count], using: &generator).scalars
      var (dw, dwReference) = (start, start)
      var dx = Tensor(repeating: .nan, shape: input.shape)
      var dxReference = dx
      dx.scalars.withUnsafeMutableBufferPointer { p in
        convolutionGradients(
          input: input, outputGradient: upstream, weight: weight, geometry: geometry, weightGradient: &dw,
          overwriteWeightGradient: overwrite, inputGradient: p.baseAddress)
      }
      dxReference.scalars.withUnsafeMutableBufferPointer { p in
        convolutionGradientsReference(
          input: input, outputGradient: upstream, weight: weight, geometry: geometry, weightGradient: &dwReference,
          overwriteWeightGradient: overwrite, inputGradient: p.baseAddress)
      }
      #expect(relativeError(Tensor(dw), Tensor(dwReference)) < 1e-5, "weight gradient, overwrite \(overwrite)")
      #expect(relativeError(dx, dxReference) < 1e-5, "input gradient")
    }
  }

  /// A batch of many blocks of images (five images of 8x24x24 fill a block): the blocks go to
  /// the threads, and the gradients are summed over more blocks than are held at once. The
  /// results match the reference and are the same bits on one thread as on all of them.
  @Test func manyBlocksMatchTheReferenceOnAnyThreadCount() {
    let geometry = ConvolutionGeometry(
      input: ImageShape(channels: 8, rows: 24, columns: 24), outputChannels: 16,
      window: SlidingWindow(kernelRows: 3, kernelColumns: 3, padding: 1), groups: 1)!
    let batch = 43
    var generator = Xoshiro256StarStar(seed: 12)
    let input = Tensor.normal(shape: [batch, geometry.input.featureCount], using: &generator)
    let weight = Tensor.normal(shape: [16 * geometry.patchLength], using: &generator).scalars
    let bias = Tensor.normal(shape: [16], using: &generator).scalars
    let upstream = Tensor.normal(shape: [batch, geometry.output.featureCount], using: &generator)
    func run() -> (output: Tensor, dw: [Float], dx: Tensor) {
      var output = Tensor(repeating: .nan, shape: upstream.shape)
      convolve(input, weight: weight, bias: bias, geometry: geometry, into: &output)
      var dw = [Float](repeating: .nan, count: weight.count)
      var dx = Tensor(repeating: .nan, shape: input.shape)
      dx.scalars.withUnsafeMutableBufferPointer { p in
        convolutionGradients(
          input: input, outputGradient: upstream, weight: weight, geometry: geometry, weightGradient: &dw,
          overwriteWeightGradient: true, inputGradient: p.baseAddress)
      }
      return (output, dw, dx)
    }
    let all = run()
    let one = Parallel.withThreadCount(1) { run() }
    #expect(bits(all.output) == bits(one.output) && bits(all.dw) == bits(one.dw))
    #expect(bits(all.dx) == bits(one.dx))

    var expected = Tensor(zeros: upstream.shape)
    convolveReference(input, weight: weight, bias: bias, geometry: geometry, into: &expected)
    var (dw, dx) = ([Float](repeating: 0, count: weight.count), Tensor(zeros: input.shape))
    dx.scalars.withUnsafeMutableBufferPointer { p in
      convolutionGradientsReference(
        input: input, outputGradient: upstream, weight: weight, geometry: geometry, weightGradient: &dw,
        overwriteWeightGradient: true, inputGradient: p.baseAddress)
    }
    #expect(relativeError(all.output, expected) < 1e-5)
    #expect(relativeError(Tensor(all.dw), Tensor(dw)) < 1e-5 && relativeError(all.dx, dx) < 1e-5)
  }

  @Test func channelSumsAddEachChannelOverBatchAndPixels() {
    let values = Tensor(shape: [2, 6], scalars: [1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60])
    var sums: [Float] = [100, 0, 0]
    accumulateChannelSums(of: values, channels: 3, into: &sums)
    #expect(sums == [133, 77, 121])
  }

  @Test func geometryReportsItsProblems() {
    let image = ImageShape(channels: 3, rows: 4, columns: 4)
    let window = SlidingWindow(kernelRows: 3, kernelColumns: 3)
    #expect(ConvolutionGeometry.problem(input: image, outputChannels: 4, window: window, groups: 2) != nil)
    #expect(ConvolutionGeometry.problem(input: image, outputChannels: 0, window: window, groups: 1) != nil)
    let wide = SlidingWindow(kernelRows: 5, kernelColumns: 5)
    #expect(ConvolutionGeometry(input: image, outputChannels: 2, window: wide) == nil)
    let geometry = ConvolutionGeometry(input: image, outputChannels: 6, window: window, groups: 3)!
    #expect(geometry.output == ImageShape(channels: 6, rows: 2, columns: 2))
    #expect(geometry.weightShape == [6, 1, 3, 3])
    #expect(geometry.patchLength == 9)
  }
}
