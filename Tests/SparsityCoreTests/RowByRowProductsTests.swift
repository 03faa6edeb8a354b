import Testing

@testable import SparsityCore

/// BLAS and the skipping kernel sum in other orders than the twins' one-term-at-a-time loop, so
/// they agree within the rounding bound of a dot product of n terms: each result is within
/// γ_n Σ_j |w_j x_j| of the exact value (γ_n = n u / (1 − n u), u = 2^-24), so two results are
/// within 2 γ_n Σ_j |w_j x_j| of each other.
@Suite struct RowByRowProductsTests {
  /// (samples, inputs, outputs): none, single, odd, around the SIMD width, larger.
  static let shapes: [(Int, Int, Int)] = [(0, 5, 3), (2, 5, 0), (1, 1, 1), (3, 17, 33), (4, 64, 16), (5, 300, 129)]

  /// The bound on |y − y'| for each output of the last sample.
  private static func bounds(_ weights: Tensor, _ x: [Float], sample: Int) -> [Float] {
    let (outputs, inputs) = (weights.rows, weights.columns)
    let u = 0x1p-24
    let gamma = Double(inputs) * u / (1 - Double(inputs) * u)
    return (0..<outputs).map { o in
      var magnitude = 0.0
      for j in 0..<inputs { magnitude += Double(Swift.abs(weights[o, j] * x[sample * inputs + j])) }
      return Float(2 * gamma * magnitude) + Float.leastNormalMagnitude
    }
  }

  private static func within(_ a: [Float], _ b: [Float], _ bounds: [Float]) -> Bool {
    bounds.indices.allSatisfy { Swift.abs(a[$0] - b[$0]) <= bounds[$0] }
  }

  @Test(arguments: shapes)
  func denseAndSkippingMatchTheirTwins(samples: Int, inputs: Int, outputs: Int) {
    let weights = randomMatrix(outputs, inputs, zeroFraction: 0, seed: UInt64(inputs))
    let byInput = weights.transposed().scalars
    let x = randomMatrix(samples, inputs, zeroFraction: 0.7, seed: UInt64(samples)).relu().scalars
    let bounds = samples == 0 ? [] : Self.bounds(weights, x, sample: samples - 1)
    var results = [[Float]]()
    for kernel in 0..<4 {
      var y = [Float](repeating: .nan, count: outputs + 2)
      switch kernel {
      case 0:
        denseMatVecOfEachRow(
          &y, weights: weights.scalars, inputs: x, samples: samples, inputCount: inputs, outputCount: outputs)
      case 1:
        denseMatVecOfEachRowReference(
          &y, weights: weights.scalars, inputs: x, samples: samples, inputCount: inputs, outputCount: outputs)
      case 2:
        activationSkippingMatVecOfEachRow(
          &y, weightsByInput: byInput, inputs: x, samples: samples, inputCount: inputs, outputCount: outputs)
      default:
        activationSkippingMatVecOfEachRowReference(
          &y, weightsByInput: byInput, inputs: x, samples: samples, inputCount: inputs, outputCount: outputs)
      }
      let untouched = y[outputs...].allSatisfy { $0.isNaN }
      #expect(untouched, "kernel \(kernel) wrote past the outputs")
      results.append(Array(y.prefix(outputs)))
    }
    #expect(bits(results[1]) == bits(results[3]), "the twins sum in the same order")
    for kernel in [0, 2] {
      #expect(Self.within(results[kernel], results[1], bounds), "kernel \(kernel), \(samples) x \(inputs) x \(outputs)")
    }
  }
}
