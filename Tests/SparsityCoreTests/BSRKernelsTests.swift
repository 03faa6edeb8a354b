import SparsityTestSupport
import Testing

@testable import SparsityCore

@Suite struct BSRKernelsTests {
  static let blockShapes = [(1, 4), (4, 1), (2, 3), (4, 4), (1, 1)]

  @Test(arguments: kernelTestSparsities)
  func productMatchesReferenceTwinOnEveryShape(sparsity: Double) {
    for (index, shape) in kernelTestShapes.enumerated() {
      let weights = randomMatrix(shape.outputs, shape.inputs, zeroFraction: sparsity, seed: UInt64(index))
      let input = randomMatrix(shape.batch, shape.inputs, zeroFraction: 0, seed: UInt64(300 + index))
      for (blockRows, blockColumns) in Self.blockShapes {
        let bsr = BSRMatrix(dense: weights, blockRows: blockRows, blockColumns: blockColumns)
        let fast = bsr.product(input)
        var twin = Tensor(zeros: [shape.batch, shape.outputs])
        input.scalars.withUnsafeBufferPointer { x in
          twin.scalars.withUnsafeMutableBufferPointer { y in
            guard let yp = y.baseAddress, let xp = x.baseAddress else { return }
            bsrMatMulReference(yp, bsr, xp, batch: shape.batch)
          }
        }
        let label = "shape \(shape), block \(blockRows)x\(blockColumns), sparsity \(sparsity)"
        #expect(relativeError(fast, twin) < 1e-5, "\(label)")
        #expect(relativeError(fast, naiveLinear(input, weights)) < 1e-5, "\(label)")
      }
    }
  }
}
