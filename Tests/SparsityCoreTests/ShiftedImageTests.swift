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

  /// Case `index` with `batch` random images (every other one with an input channel of zeros,
  /// which the kernel skips, when `zeroChannels`), a quarter of the filter taps nonzero, a bias,
  /// and the reference convolution.
  struct Fixture {
    let c: (input: ImageShape, outputChannels: Int, window: SlidingWindow, groups: Int)
    let geometry: ConvolutionGeometry
    var input: Tensor
    let weights: [Float]
    let bias: [Float]
    let filters: SparseFilters
    let image: ShiftedImage
    let offsets: [Int32]
    var expected: Tensor

    init(case index: Int, batch: Int, seed: UInt64, zeroChannels: Bool) {
      c = ShiftedImageTests.cases[index]
      geometry = ConvolutionGeometry(
        input: c.input, outputChannels: c.outputChannels, window: c.window, groups: c.groups)!
      var generator = Xoshiro256StarStar(seed: seed)
      input = Tensor.normal(shape: [batch, c.input.featureCount], using: &generator)
      for n in stride(from: 0, to: zeroChannels ? batch : 0, by: 2) {
        let start = n * c.input.featureCount + (n / 2 % c.input.channels) * c.input.pixelCount
        for p in start..<(start + c.input.pixelCount) { input.scalars[p] = 0 }
      }
      weights = Tensor.normal(shape: [c.outputChannels * geometry.patchLength], using: &generator).scalars.map {
        generator.next() % 4 == 0 ? $0 : 0
      }
      bias = Tensor.normal(shape: [c.outputChannels], using: &generator).scalars
      filters = SparseFilters(weights: weights, geometry: geometry)
      image = ShiftedImage(geometry)!
      offsets = filters.shiftedOffsets!
      expected = Tensor(zeros: [batch, geometry.output.featureCount])
      convolveReference(input, weight: weights, bias: bias, geometry: geometry, into: &expected)
    }
  }

  @Test(arguments: cases.indices, [1, 2, 5])
  func shiftedPlanesMatchTheReference(case index: Int, batch: Int) {
    let f = Fixture(case: index, batch: batch, seed: UInt64(17 * index + batch), zeroChannels: true)
    let (geometry, input, bias) = (f.geometry, f.input, f.bias)
    let (filters, image, offsets, expected) = (f.filters, f.image, f.offsets, f.expected)
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

  /// Bands of output rows (`outputRows`) give the full convolution's rows, wide and by rows,
  /// pooled or not, read no input row outside `inputRows(forOutputRows:)` (those are NaN here)
  /// and leave the other output rows as they were.
  @Test(arguments: cases.indices)
  func bandsOfRowsMatchTheWholePlanes(case index: Int) {
    let f = Fixture(case: index, batch: 1, seed: UInt64(31 * index + 7), zeroChannels: false)
    let (c, geometry, input, bias) = (f.c, f.geometry, f.input, f.bias)
    let (filters, image, offsets) = (f.filters, f.image, f.offsets)
    let expected = f.expected.map { max(0, $0) }
    let window = SlidingWindow(kernelRows: 2, kernelColumns: 2, stride: 2)
    var pooled = Tensor(zeros: [1, window.outputShape(of: geometry.output)?.featureCount ?? 0])
    if filters.fusesMaxPool {
      var indices = [Int32](repeating: 0, count: pooled.count)
      maxPool2dReference(expected, image: geometry.output, window: window, into: &pooled, argmax: &indices)
    }
    let rows = geometry.output.rows
    for pool in filters.fusesMaxPool ? [false, true] : [false] {
      // Three bands where there are rows enough (even bounds when pooled), one empty.
      let step = pool ? 2 : 1
      let cuts = [0, rows / 3 / step * step, rows / 3 / step * step, 2 * rows / 3 / step * step, rows / step * step]
      let stored = pool ? window.outputShape(of: geometry.output)! : geometry.output
      let reference = pool ? pooled : expected
      for byRows in geometry.output.columns >= 8 ? [false, true] : [false] {
        for isa in KernelInstructionSet.supported {
          for band in 0..<(cuts.count - 1) {
            let computed = cuts[band]..<cuts[band + 1]
            let read = geometry.inputRows(forOutputRows: computed)
            var bandInput = input
            for channel in 0..<c.input.channels {
              for row in 0..<c.input.rows where !read.contains(row) {
                let start = channel * c.input.pixelCount + row * c.input.columns
                for p in start..<(start + c.input.columns) { bandInput.scalars[p] = .nan }
              }
            }
            var output = [Float](repeating: 1234, count: stored.featureCount)
            bandInput.scalars.withUnsafeBufferPointer { x in
              shiftedSparseConvolve(
                &output, x.baseAddress!, batch: 1, filters: filters, offsets: offsets, image: image, bias: bias,
                relu: true, maxPoolTwoByTwo: pool, outputRows: computed, byRows: byRows, isa: isa)
            }
            let written = pool ? computed.lowerBound / 2..<computed.upperBound / 2 : computed
            for channel in 0..<stored.channels {
              for row in 0..<stored.rows {
                let start = channel * stored.pixelCount + row * stored.columns
                let got = Array(output[start..<(start + stored.columns)])
                if written.contains(row) {
                  let want = Array(reference.scalars[start..<(start + stored.columns)])
                  let error = zip(got, want).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
                  #expect(error < 1e-5, "\(isa) pool \(pool) rows \(byRows) band \(computed) row \(row)")
                } else {
                  #expect(got.allSatisfy { $0 == 1234 }, "band \(computed) wrote row \(row)")
                }
              }
            }
          }
        }
      }
    }
  }

  @Test func inputRowsOfOutputRowsFollowTheWindow() {
    // 5x5, stride 1: output rows 2..<4 read input rows 2..<8.
    let lenet = ConvolutionGeometry(
      input: ImageShape(channels: 20, rows: 12, columns: 12), outputChannels: 50,
      window: SlidingWindow(kernelRows: 5, kernelColumns: 5))!
    #expect(lenet.inputRows(forOutputRows: 2..<4) == 2..<8)
    #expect(lenet.inputRows(forOutputRows: 0..<8) == 0..<12)
    #expect(lenet.inputRows(forOutputRows: 3..<3) == 0..<0)
    // 3x3, stride 2, padding 1, dilation 2: output row p reads padded rows 2p, 2p + 2, 2p + 4,
    // input rows 2p - 1 ... 2p + 3, clipped to the image.
    let strided = ConvolutionGeometry(
      input: ImageShape(channels: 1, rows: 9, columns: 9), outputChannels: 1,
      window: SlidingWindow(kernelRows: 3, kernelColumns: 3, stride: 2, padding: 1, dilation: 2))!
    #expect(strided.inputRows(forOutputRows: 0..<1) == 0..<4)
    #expect(strided.inputRows(forOutputRows: 1..<3) == 1..<8)
    #expect(strided.inputRows(forOutputRows: 3..<strided.output.rows) == 5..<9)
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
