import SparsityTestSupport
import Testing

@testable import SparsityCore

/// The zero-skipping convolutions against the reference on the shapes of `convolutionCases`,
/// with weights and inputs about 70% zeros, bias and fused ReLU.
@Suite struct SparseConvolutionTests {
  private func sparseValues(_ count: Int, zeros: Double, generator: inout Xoshiro256StarStar) -> [Float] {
    Tensor.normal(shape: [count], using: &generator).scalars.map {
      Double(generator.next() % 1000) / 1000 < zeros ? 0 : $0
    }
  }

  @Test(arguments: convolutionCases.indices, [1, 3])
  func zeroSkippingKernelsMatchTheReference(case index: Int, batch: Int) {
    let c = convolutionCases[index]
    let geometry = ConvolutionGeometry(
      input: c.input, outputChannels: c.outputChannels, window: c.window, groups: c.groups)!
    var generator = Xoshiro256StarStar(seed: UInt64(31 * index + batch))
    let input = Tensor(
      shape: [batch, c.input.featureCount],
      scalars: sparseValues(batch * c.input.featureCount, zeros: 0.7, generator: &generator))
    let weights = sparseValues(c.outputChannels * geometry.patchLength, zeros: 0.7, generator: &generator)
    let bias = Tensor.normal(shape: [c.outputChannels], using: &generator).scalars
    for relu in [false, true] {
      var expected = Tensor(zeros: [batch, geometry.output.featureCount])
      convolveReference(input, weight: weights, bias: bias, geometry: geometry, into: &expected)
      if relu { expected = expected.map { max(0, $0) } }
      let kernels: [(String, (UnsafeMutablePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>) -> Void)] = [
        (
          "sparse filters",
          { y, x, b in
            sparseFilterConvolve(
              y, x, batch: batch, filters: SparseFilters(weights: weights, geometry: geometry), bias: b, relu: relu)
          }
        ),
        (
          "sparse filters by rows (the path for inputs past 32-bit offsets)",
          { y, x, b in
            sparseFilterConvolveByRows(
              y, x, batch: batch, filters: SparseFilters(weights: weights, geometry: geometry), bias: b, relu: relu)
          }
        ),
        (
          "activation skipping",
          { y, x, b in
            activationSkippingConvolve(
              y, x, batch: batch, filters: InputMajorFilters(weights: weights, geometry: geometry, sparse: false),
              bias: b,
              relu: relu)
          }
        ),
        (
          "both",
          { y, x, b in
            activationSkippingConvolve(
              y, x, batch: batch, filters: InputMajorFilters(weights: weights, geometry: geometry, sparse: true),
              bias: b,
              relu: relu)
          }
        ),
      ]
      for (name, kernel) in kernels {
        var output = Tensor(repeating: .nan, shape: expected.shape)
        input.scalars.withUnsafeBufferPointer { x in
          bias.withUnsafeBufferPointer { b in
            output.scalars.withUnsafeMutableBufferPointer { y in kernel(y.baseAddress!, x.baseAddress!, b.baseAddress!)
            }
          }
        }
        #expect(relativeError(output, expected) < 1e-5, "\(name), relu \(relu)")
      }
    }
  }

  @Test func sparseFiltersStoreOnlyNonzeros() {
    let geometry = ConvolutionGeometry(
      input: ImageShape(channels: 2, rows: 4, columns: 4), outputChannels: 2,
      window: SlidingWindow(kernelRows: 2, kernelColumns: 2))!
    var weights = [Float](repeating: 0, count: 16)
    weights[3] = 2  // filter 0, channel 0, tap (1, 1)
    weights[9] = -1  // filter 1, channel 0, tap (0, 1)
    let filters = SparseFilters(weights: weights, geometry: geometry)
    #expect(filters.offsets == [0, 1, 2])
    #expect(filters.tapRows == [1, 0] && filters.tapColumns == [1, 1] && filters.values == [2, -1])
    let inputMajor = InputMajorFilters(weights: weights, geometry: geometry, sparse: true)
    #expect(inputMajor.offsets == [0, 2, 2] && inputMajor.filters == [1, 0] && inputMajor.taps == [1, 3])
  }
}
