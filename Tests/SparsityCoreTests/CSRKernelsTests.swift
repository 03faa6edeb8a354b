import SparsityTestSupport
import Testing

@testable import SparsityCore

@Suite struct CSRKernelsTests {
  @Test(arguments: kernelTestSparsities)
  func productMatchesReferenceTwinOnEveryShape(sparsity: Double) {
    for (index, shape) in kernelTestShapes.enumerated() {
      let weights = randomMatrix(shape.outputs, shape.inputs, zeroFraction: sparsity, seed: UInt64(index))
      let input = randomMatrix(shape.batch, shape.inputs, zeroFraction: 0, seed: UInt64(200 + index))
      let csr = CSRMatrix(dense: weights)
      let fast = csr.product(input)
      var twin = Tensor(zeros: [shape.batch, shape.outputs])
      csr.rowOffsets.withUnsafeBufferPointer { o in
        csr.columnIndices.withUnsafeBufferPointer { j in
          csr.values.withUnsafeBufferPointer { v in
            input.scalars.withUnsafeBufferPointer { x in
              twin.scalars.withUnsafeMutableBufferPointer { y in
                guard let yp = y.baseAddress, let xp = x.baseAddress, let jp = j.baseAddress, let vp = v.baseAddress
                else { return }
                csrMatMulReference(
                  yp, offsets: o.baseAddress!, indices: jp, values: vp, xp, batch: shape.batch, rows: shape.outputs,
                  columns: shape.inputs)
              }
            }
          }
        }
      }
      #expect(relativeError(fast, twin) < 1e-5, "shape \(shape), sparsity \(sparsity)")
      #expect(relativeError(fast, naiveLinear(input, weights)) < 1e-5, "shape \(shape), sparsity \(sparsity)")
    }
  }

  @Test(arguments: [nil, 1, 7, 64, 3000] as [Int?])
  func sparseTimesDenseMatchesTwinAcrossPanels(panelColumns: Int?) {
    // k = 3000 cut into panels of 1, 7, 64 columns (and the default); rows long and uneven;
    // n = 80 takes the 64-wide register path and a 16-wide remainder.
    let a = CSRMatrix(dense: randomMatrix(37, 3000, zeroFraction: 0.8, seed: 5))
    let b = randomMatrix(3000, 80, zeroFraction: 0, seed: 6)
    var fast = [Float](repeating: .nan, count: 37 * 80)
    var twin = [Float](repeating: .nan, count: 37 * 80)
    a.rowOffsets.withUnsafeBufferPointer { o in
      a.columnIndices.withUnsafeBufferPointer { j in
        a.values.withUnsafeBufferPointer { v in
          b.scalars.withUnsafeBufferPointer { bp in
            sparseTimesDense(
              &fast, offsets: o.baseAddress!, indices: j.baseAddress!, values: v.baseAddress!, bp.baseAddress!, m: 37,
              k: 3000, n: 80, panelColumns: panelColumns)
            sparseTimesDenseReference(
              &twin, offsets: o.baseAddress!, indices: j.baseAddress!, values: v.baseAddress!, bp.baseAddress!, m: 37,
              k: 3000, n: 80)
          }
        }
      }
    }
    #expect(relativeError(Tensor(fast), Tensor(twin)) < 1e-5, "panel \(String(describing: panelColumns))")
  }
}
