import Testing

@testable import SparsityCore

/// (batch, image, window) cases shared by the pooling kernel tests: empty batch, 1 x 1, odd
/// images with stride 2 and padding 1, asymmetric windows, and a batch large enough to be split
/// over threads.
let poolingTestCases: [(batch: Int, image: ImageShape, window: SlidingWindow)] = [
  (0, ImageShape(channels: 2, rows: 4, columns: 4), SlidingWindow(kernelRows: 2, kernelColumns: 2, stride: 2)),
  (1, ImageShape(rows: 1, columns: 1), SlidingWindow(kernelRows: 1, kernelColumns: 1)),
  (
    3, ImageShape(channels: 3, rows: 7, columns: 5),
    SlidingWindow(kernelRows: 3, kernelColumns: 3, stride: 2, padding: 1)
  ),
  (2, ImageShape(channels: 2, rows: 8, columns: 8), SlidingWindow(kernelRows: 2, kernelColumns: 2, stride: 2)),
  (
    2, ImageShape(channels: 3, rows: 9, columns: 6),
    SlidingWindow(
      kernelRows: 3, kernelColumns: 2, strideRows: 1, strideColumns: 2, paddingRows: 1, paddingColumns: 1,
      dilationRows: 1, dilationColumns: 1)
  ),
  (4, ImageShape(channels: 5, rows: 13, columns: 11), SlidingWindow(kernelRows: 3, kernelColumns: 3, padding: 1)),
  (64, ImageShape(channels: 8, rows: 10, columns: 10), SlidingWindow(kernelRows: 2, kernelColumns: 2, stride: 2)),
  // Wide rows: the 2x2 kernel's eight-at-a-time path, then its scalar tail (18 = 8 + 8 + 2 outputs).
  (3, ImageShape(channels: 2, rows: 7, columns: 37), SlidingWindow(kernelRows: 2, kernelColumns: 2, stride: 2)),
  // Eight, then four, then one (13 outputs); the 8x8 and 10x10 cases above take the four-wide step alone.
  (2, ImageShape(channels: 2, rows: 6, columns: 27), SlidingWindow(kernelRows: 2, kernelColumns: 2, stride: 2)),
]

/// Dilated windows, for max pooling only (PyTorch's average pooling has none).
let dilatedPoolingTestCases: [(batch: Int, image: ImageShape, window: SlidingWindow)] = [
  (
    3, ImageShape(channels: 2, rows: 9, columns: 7),
    SlidingWindow(kernelRows: 3, kernelColumns: 3, padding: 1, dilation: 2)
  ),
  (
    2, ImageShape(channels: 1, rows: 11, columns: 6),
    SlidingWindow(
      kernelRows: 3, kernelColumns: 2, strideRows: 2, strideColumns: 1, paddingRows: 1, paddingColumns: 0,
      dilationRows: 3, dilationColumns: 2)
  ),
  // Every tap of the single window falls on padding: -infinity, index -1.
  (1, ImageShape(rows: 2, columns: 2), SlidingWindow(kernelRows: 2, kernelColumns: 2, padding: 1, dilation: 3)),
]

@Suite struct MaxPoolKernelsTests {
  private static func check(batch: Int, image: ImageShape, window: SlidingWindow, input: Tensor, _ label: String) {
    let outputImage = window.outputShape(of: image)!
    let shape = [batch, outputImage.featureCount]
    var (fast, twin) = (Tensor(repeating: .nan, shape: shape), Tensor(repeating: .nan, shape: shape))
    var (fastIndex, twinIndex) = ([Int32](repeating: 7, count: fast.count), [Int32](repeating: 9, count: fast.count))
    maxPool2d(input, image: image, window: window, into: &fast, argmax: &fastIndex)
    maxPool2dReference(input, image: image, window: window, into: &twin, argmax: &twinIndex)
    #expect(bits(fast) == bits(twin), "\(label): \(batch) x \(image), \(window)")
    #expect(fastIndex == twinIndex, "\(label): \(batch) x \(image), \(window)")

    let gradient = randomMatrix(batch, outputImage.featureCount, zeroFraction: 0, seed: 5)
    var (fastGradient, twinGradient) = (
      Tensor(repeating: .nan, shape: input.shape), Tensor(repeating: .nan, shape: input.shape)
    )
    maxPool2dBackward(gradient, argmax: fastIndex, image: image, into: &fastGradient)
    maxPool2dBackwardReference(gradient, argmax: twinIndex, image: image, into: &twinGradient)
    #expect(bits(fastGradient) == bits(twinGradient), "\(label) backward: \(batch) x \(image), \(window)")
  }

  @Test(arguments: poolingTestCases + dilatedPoolingTestCases)
  func matchesItsTwin(batch: Int, image: ImageShape, window: SlidingWindow) {
    let input = randomMatrix(batch, image.featureCount, zeroFraction: 0, seed: UInt64(image.featureCount))
    Self.check(batch: batch, image: image, window: window, input: input, "random")
    // Ties everywhere and negative values next to the padding: first index wins, padding loses.
    var generator = Xoshiro256StarStar(seed: 3)
    let levels: [Float] = [-2, -1, -1, -0.0]
    let ties = (0..<(batch * image.featureCount)).map { _ in levels[Int(generator.next() % 4)] }
    Self.check(
      batch: batch, image: image, window: window,
      input: Tensor(shape: [batch, image.featureCount], scalars: ties), "ties")
    let infinite = Tensor(repeating: -.infinity, shape: [batch, image.featureCount])
    Self.check(batch: batch, image: image, window: window, input: infinite, "-infinity")
    var withNaN = randomMatrix(batch, image.featureCount, zeroFraction: 0, seed: 8)
    for i in stride(from: 0, to: withNaN.count, by: 7) { withNaN.scalars[i] = .nan }
    Self.check(batch: batch, image: image, window: window, input: withNaN, "NaN")
  }

  @Test func poolsTwoByTwoAndRoutesGradientsToTheMaxima() {
    let image = ImageShape(rows: 4, columns: 4)
    let input = Tensor(rows: [[1, 5, 2, 2, 3, 4, 2, 2, -1, -2, 0, 9, -3, -4, 9, 1]])
    var output = Tensor(zeros: [1, 4])
    var argmax = [Int32](repeating: 0, count: 4)
    maxPool2d(
      input, image: image, window: SlidingWindow(kernelRows: 2, kernelColumns: 2, stride: 2), into: &output,
      argmax: &argmax)
    #expect(output == Tensor(rows: [[5, 2, -1, 9]]))
    #expect(argmax == [1, 2, 8, 11])  // ties (2, 2, 2, 2) keep the first; 9 at 11 before 9 at 14
    var inputGradient = Tensor(repeating: .nan, shape: [1, 16])
    maxPool2dBackward(Tensor(rows: [[1, 2, 3, 4]]), argmax: argmax, image: image, into: &inputGradient)
    #expect(inputGradient == Tensor(rows: [[0, 1, 2, 0, 0, 0, 0, 0, 3, 0, 0, 4, 0, 0, 0, 0]]))
  }

  @Test func paddingActsAsMinusInfinityAndOverlapsAddUp() {
    // 1 x 3 image, windows 1 x 3 with padding 1 and stride 1: [-, -5, -7], [-5, -7, -6], [-7, -6, -].
    let image = ImageShape(rows: 1, columns: 3)
    let window = SlidingWindow(
      kernelRows: 1, kernelColumns: 3, strideRows: 1, strideColumns: 1, paddingRows: 0, paddingColumns: 1,
      dilationRows: 1, dilationColumns: 1)
    var output = Tensor(zeros: [1, 3])
    var argmax = [Int32](repeating: 0, count: 3)
    maxPool2d(Tensor(rows: [[-5, -7, -6]]), image: image, window: window, into: &output, argmax: &argmax)
    #expect(output == Tensor(rows: [[-5, -5, -6]]) && argmax == [0, 0, 2])
    var inputGradient = Tensor(zeros: [1, 3])
    maxPool2dBackward(Tensor(rows: [[1, 10, 100]]), argmax: argmax, image: image, into: &inputGradient)
    #expect(inputGradient == Tensor(rows: [[11, 0, 100]]))
  }
}

/// The index-free 2x2 pool of compiled inference against `maxPool2dReference`, on rows of
/// every length from 2 to 41 (eight, four and single outputs a step) read with a longer row
/// stride, NaN included, on every instruction set this CPU has.
@Suite struct MaxPoolTwoByTwoValuesTests {
  @Test(arguments: 2...41)
  func valuesMatchTheReference(columns: Int) {
    let image = ImageShape(rows: 5, columns: columns)
    let window = SlidingWindow(kernelRows: 2, kernelColumns: 2, stride: 2)
    let output = window.outputShape(of: image)!
    var generator = Xoshiro256StarStar(seed: UInt64(columns))
    var input = Tensor.normal(shape: [1, image.featureCount], using: &generator)
    input.scalars[Int(generator.next() % UInt64(image.featureCount))] = .nan
    var expected = Tensor(zeros: [1, output.featureCount])
    var argmax = [Int32](repeating: 0, count: output.featureCount)
    maxPool2dReference(input, image: image, window: window, into: &expected, argmax: &argmax)
    // The same image with rows 3 values longer, as the wide planes of the sparse convolution.
    let stride = columns + 3
    var wide = [Float](repeating: 100, count: image.rows * stride)
    for r in 0..<image.rows {
      for q in 0..<columns { wide[r * stride + q] = input.scalars[r * columns + q] }
    }
    for isa in KernelInstructionSet.supported {
      var values = [Float](repeating: 0, count: output.featureCount)
      maxPoolTwoByTwoValues(&values, wide, rowStride: stride, output: output, isa: isa)
      #expect(values.map(\.bitPattern) == expected.scalars.map(\.bitPattern), "\(isa)")
    }
    // A ReLU's output (no NaN, no -0, ties among its zeros): the plain maximum of the activated
    // path is the rule's, bit for bit.
    let activated = wide.map { $0 > 0 ? $0 : 0 }
    var rectified = Tensor(zeros: [1, output.featureCount])
    let compact = Tensor(
      shape: [1, image.featureCount],
      scalars: (0..<image.rows).flatMap { r in activated[(r * stride)..<(r * stride + columns)] })
    maxPool2dReference(compact, image: image, window: window, into: &rectified, argmax: &argmax)
    for isa in KernelInstructionSet.supported {
      var values = [Float](repeating: 0, count: output.featureCount)
      maxPoolTwoByTwoValues(&values, activated, rowStride: stride, output: output, activated: true, isa: isa)
      #expect(values.map(\.bitPattern) == rectified.scalars.map(\.bitPattern), "\(isa), activated")
    }
  }
}
