@testable import SparsityCore
import SparsityTestSupport
import Testing

/// The direct sparse convolution (shifted runs of the padded image, in stride phases) against
/// the reference, on every instruction set this CPU has: planes long enough for every register
/// blocking (8, 4, 2 and 1 vectors), padding, dilation, groups, strides 2 and 3 (also unequal),
/// images shorter than a vector,
/// batches whose last image is copied, input channels that are all zero (skipped) and the
/// fused 2x2 max pool; planes computed wide and, where outputs are 8 or more wide, by rows (rows
/// of 8 to 70 outputs; pooled as they are stored where rows are an even 8 to 32 outputs).
@Suite struct ShiftedImageTests {
  static let cases: [(input: ImageShape, outputChannels: Int, window: SlidingWindow, groups: Int)] = [
    (ImageShape(channels: 1, rows: 28, columns: 28), 5, SlidingWindow(kernelRows: 5, kernelColumns: 5), 1),
    (ImageShape(channels: 6, rows: 12, columns: 12), 7, SlidingWindow(kernelRows: 5, kernelColumns: 5), 1),
    (ImageShape(channels: 4, rows: 9, columns: 11), 4, SlidingWindow(kernelRows: 3, kernelColumns: 3, padding: 1), 2),
    (
      ImageShape(channels: 2, rows: 13, columns: 10), 3,
      SlidingWindow(kernelRows: 3, kernelColumns: 2, padding: 2, dilation: 2), 1
    ),
    (ImageShape(channels: 1, rows: 3, columns: 3), 2, SlidingWindow(kernelRows: 2, kernelColumns: 2), 1),
    // Rows of 70 outputs: more than eight row vectors, the last overlapping the one before.
    (ImageShape(channels: 2, rows: 6, columns: 72), 3, SlidingWindow(kernelRows: 3, kernelColumns: 3), 1),
    // Pooled as stored by rows: 2, 4 and (overlapping) 2 vectors a row, odd row counts.
    (ImageShape(channels: 2, rows: 11, columns: 18), 3, SlidingWindow(kernelRows: 3, kernelColumns: 3), 1),
    (ImageShape(channels: 1, rows: 7, columns: 34), 2, SlidingWindow(kernelRows: 3, kernelColumns: 3), 1),
    (ImageShape(channels: 2, rows: 9, columns: 12), 2, SlidingWindow(kernelRows: 3, kernelColumns: 3), 1),
    (ImageShape(channels: 8, rows: 5, columns: 5), 8, SlidingWindow(kernelRows: 1, kernelColumns: 1), 8),
    // Strided: phases of the padded image.
    (
      ImageShape(channels: 3, rows: 17, columns: 15), 4,
      SlidingWindow(kernelRows: 3, kernelColumns: 3, stride: 2, padding: 1), 1
    ),
    (ImageShape(channels: 4, rows: 9, columns: 10), 6, SlidingWindow(kernelRows: 1, kernelColumns: 1, stride: 2), 2),
    (
      ImageShape(channels: 2, rows: 19, columns: 13), 3,
      SlidingWindow(
        kernelRows: 3, kernelColumns: 2, strideRows: 2, strideColumns: 3, paddingRows: 2, paddingColumns: 1,
        dilationRows: 2, dilationColumns: 1), 1
    ),
    (
      ImageShape(channels: 2, rows: 21, columns: 12), 3,
      SlidingWindow(
        kernelRows: 3, kernelColumns: 3, strideRows: 3, strideColumns: 1, paddingRows: 0, paddingColumns: 0,
        dilationRows: 1, dilationColumns: 1), 1
    ),
  ]

  @Test(arguments: cases.indices, [1, 2, 5])
  func shiftedPlanesMatchTheReference(case index: Int, batch: Int) {
    let c = Self.cases[index]
    let geometry = ConvolutionGeometry(
      input: c.input, outputChannels: c.outputChannels, window: c.window, groups: c.groups)!
    var generator = Xoshiro256StarStar(seed: UInt64(17 * index + batch))
    var input = Tensor.normal(shape: [batch, c.input.featureCount], using: &generator)
    // Every other sample has one input channel of zeros, which the kernel skips.
    for n in stride(from: 0, to: batch, by: 2) {
      let start = n * c.input.featureCount + (n / 2 % c.input.channels) * c.input.pixelCount
      for p in start..<(start + c.input.pixelCount) { input.scalars[p] = 0 }
    }
    let weights = Tensor.normal(shape: [c.outputChannels * geometry.patchLength], using: &generator).scalars.map {
      generator.next() % 4 == 0 ? $0 : 0
    }
    let bias = Tensor.normal(shape: [c.outputChannels], using: &generator).scalars
    let filters = SparseFilters(weights: weights, geometry: geometry)
    let image = try! #require(ShiftedImage(geometry))
    let offsets = try! #require(filters.shiftedOffsets)
    var expected = Tensor(zeros: [batch, geometry.output.featureCount])
    convolveReference(input, weight: weights, bias: bias, geometry: geometry, into: &expected)
    // Planes wide and, where rows are 8 outputs or more, by rows.
    let layouts = geometry.output.columns >= 8 ? [false, true] : [false]
    func convolve(shape: [Int], relu: Bool, pool: Bool, byRows: Bool, isa: KernelInstructionSet) -> Tensor {
      var output = Tensor(repeating: .nan, shape: shape)
      input.scalars.withUnsafeBufferPointer { x in
        output.scalars.withUnsafeMutableBufferPointer { y in
          shiftedSparseConvolve(
            y.baseAddress!, x.baseAddress!, batch: batch, filters: filters, offsets: offsets, image: image,
            bias: bias, relu: relu, maxPoolTwoByTwo: pool, byRows: byRows, isa: isa)
        }
      }
      return output
    }
    for isa in KernelInstructionSet.supported {
      for relu in [false, true] {
        for byRows in layouts {
          let output = convolve(shape: expected.shape, relu: relu, pool: false, byRows: byRows, isa: isa)
          let reference = relu ? expected.map { max(0, $0) } : expected
          #expect(relativeError(output, reference) < 1e-5, "\(isa), relu \(relu), by rows \(byRows)")
        }
      }
      guard filters.fusesMaxPool else { continue }
      let window = SlidingWindow(kernelRows: 2, kernelColumns: 2, stride: 2)
      let pooledShape = window.outputShape(of: geometry.output)!
      var pooled = Tensor(zeros: [batch, pooledShape.featureCount])
      var indices = [Int32](repeating: 0, count: pooled.count)
      maxPool2dReference(
        expected.map { max(0, $0) }, image: geometry.output, window: window, into: &pooled, argmax: &indices)
      for byRows in layouts {
        let output = convolve(shape: pooled.shape, relu: true, pool: true, byRows: byRows, isa: isa)
        #expect(relativeError(output, pooled) < 1e-5, "\(isa), pooled, by rows \(byRows)")
      }
    }
  }

  @Test func filtersWithoutNonzerosGiveTheBias() {
    let geometry = ConvolutionGeometry(
      input: ImageShape(channels: 2, rows: 6, columns: 7), outputChannels: 3,
      window: SlidingWindow(kernelRows: 3, kernelColumns: 3, padding: 1))!
    let filters = SparseFilters(weights: [Float](repeating: 0, count: 3 * geometry.patchLength), geometry: geometry)
    let input = [Float](repeating: 1, count: 2 * geometry.input.featureCount)
    var output = [Float](repeating: .nan, count: 2 * geometry.output.featureCount)
    let bias: [Float] = [1, -2, 3]
    sparseFilterConvolve(&output, input, batch: 2, filters: filters, bias: bias, relu: true)
    let plane = geometry.output.pixelCount
    // relu(bias) over every plane of both samples.
    var expected: [Float] = []
    for _ in 0..<2 {
      for value: Float in [1, 0, 3] { expected += [Float](repeating: value, count: plane) }
    }
    #expect(output == expected)
  }

  @Test func stridedTapsReadTheirPhase() {
    // Stride 2, dilation 1: tap (1, 3) of channel 1 reads phase (1, 1) of channel 1, shifted by
    // row 0 and column 1.
    let geometry = ConvolutionGeometry(
      input: ImageShape(channels: 2, rows: 8, columns: 9), outputChannels: 1,
      window: SlidingWindow(kernelRows: 3, kernelColumns: 4, stride: 2, padding: 1))!
    let image = ShiftedImage(geometry)!
    #expect(image.phaseRows == 5 && image.rowStride == 6 && image.planeLength == 30)
    // Phase (channel 1, row phase 1, column phase 1) is the 7th of 2 x 2 per channel; 30 floats each.
    let expected: Int32 = 7 * 30 + 1
    #expect(image.offset(channel: 1, tapRow: 1, tapColumn: 3) == expected)
    #expect(image.imageLength == 2 * 4 * 30 + 16)
  }

  @Test func theLastTapEndsAtTheImage() {
    let geometry = ConvolutionGeometry(
      input: ImageShape(channels: 3, rows: 10, columns: 9), outputChannels: 1,
      window: SlidingWindow(kernelRows: 3, kernelColumns: 4, padding: 1, dilation: 2))!
    let image = ShiftedImage(geometry)!
    let last = image.offset(channel: 2, tapRow: 2, tapColumn: 3)
    #expect(Int(last) + image.wideLength == image.imageLength - 16)
    #expect(image.roundedLength % 16 == 0 && image.roundedLength - image.wideLength < 16)
  }
}
