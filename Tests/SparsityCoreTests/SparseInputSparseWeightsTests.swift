import SparsityTestSupport
import Testing

@testable import SparsityCore

@Suite struct SparseInputSparseWeightsTests {
  /// The reference twin's output for W (outputs, inputs) and X (batch, inputs).
  func twin(_ weights: Tensor, _ input: Tensor) -> Tensor {
    let csc = CSCMatrix(dense: weights)
    let (batch, inputs, outputs) = (input.rows, weights.columns, weights.rows)
    var out = Tensor(zeros: [batch, outputs])
    csc.storage.rowOffsets.withUnsafeBufferPointer { o in
      csc.storage.columnIndices.withUnsafeBufferPointer { r in
        csc.storage.values.withUnsafeBufferPointer { v in
          input.scalars.withUnsafeBufferPointer { x in
            out.scalars.withUnsafeMutableBufferPointer { y in
              guard let yp = y.baseAddress, let xp = x.baseAddress else { return }
              // Empty value arrays have no base address; any valid pointer does, nothing is read.
              let rp = r.baseAddress ?? UnsafePointer(bitPattern: 64)!
              let vp = v.baseAddress ?? UnsafePointer(bitPattern: 64)!
              sparseInputSparseWeightsMatMulReference(
                yp, columnOffsets: o.baseAddress!, rowIndices: rp, values: vp, xp, batch: batch, inputs: inputs,
                outputs: outputs)
            }
          }
        }
      }
    }
    return out
  }

  @Test(arguments: kernelTestSparsities)
  func matchesReferenceTwinOnEveryShape(sparsity: Double) {
    for (index, shape) in kernelTestShapes.enumerated() {
      let weights = randomMatrix(shape.outputs, shape.inputs, zeroFraction: sparsity, seed: UInt64(index))
      let input = randomMatrix(shape.batch, shape.inputs, zeroFraction: 0.5, seed: UInt64(200 + index)).relu()
      let fast = CSCMatrix(dense: weights).productSkippingZeroInputs(input)
      #expect(relativeError(fast, twin(weights, input)) < 1e-5, "shape \(shape), sparsity \(sparsity)")
      #expect(relativeError(fast, naiveLinear(input, weights)) < 1e-5, "shape \(shape), sparsity \(sparsity)")
    }
  }

  @Test(arguments: [0.0, 0.7, 1.0])
  func inputSparsityDoesNotChangeTheResult(inputZeros: Double) {
    let weights = randomMatrix(257, 300, zeroFraction: 0.9, seed: 3)
    let input = randomMatrix(9, 300, zeroFraction: inputZeros, seed: 4)  // negative inputs too
    let fast = CSCMatrix(dense: weights).productSkippingZeroInputs(input)
    #expect(relativeError(fast, naiveLinear(input, weights)) < 1e-5)
  }

  @Test func largeSingleSampleTakesTheSplitPathAndAgrees() {
    // About 500,000 active multiply-adds: above the threshold that splits one sample over the
    // cores (`splitThreshold`); with one thread the same sample runs unsplit.
    let weights = randomMatrix(600, 1200, zeroFraction: 0, seed: 5)
    let input = randomMatrix(1, 1200, zeroFraction: 0.3, seed: 6).relu()
    let matrix = CSCMatrix(dense: weights)
    let fast = matrix.productSkippingZeroInputs(input)
    #expect(relativeError(fast, naiveLinear(input, weights)) < 1e-5)
    let unsplit = Parallel.withThreadCount(1) { matrix.productSkippingZeroInputs(input) }
    #expect(relativeError(unsplit, naiveLinear(input, weights)) < 1e-5)
  }

  @Test func zeroInputsAreNeverRead() {
    // NaN weights on inactive inputs would poison the output if they were multiplied.
    var weights = Tensor(repeating: .nan, shape: [3, 8])
    for j in [1, 3, 5] { for o in 0..<3 { weights[o, j] = Float(o + 1) } }
    let x = Tensor(shape: [1, 8], scalars: [0, 3.2, 0, 5.1, 0, 0.7, 0, 0])
    let y = CSCMatrix(dense: weights).productSkippingZeroInputs(x)
    for o in 0..<3 { #expect(abs(y[0, o] - Float(o + 1) * 9) < 1e-4) }
  }

  @Test(arguments: [8, 15, 16, 17, 33, 64])
  func laneGroupsMatchTheTwinAtEveryGroupBoundary(batch: Int) {
    // Batches from `laneGroupMinimumBatch` on run in groups of 16 samples; partial groups are padded.
    for (index, (outputs, inputs)) in [(1, 1), (17, 3), (130, 67), (1024, 300)].enumerated() {
      let weights = randomMatrix(outputs, inputs, zeroFraction: 0.9, seed: UInt64(30 + index))
      let input = randomMatrix(batch, inputs, zeroFraction: 0.9, seed: UInt64(40 + index)).relu()
      let fast = CSCMatrix(dense: weights).productSkippingZeroInputs(input)
      #expect(relativeError(fast, twin(weights, input)) < 1e-5, "batch \(batch), \(outputs) x \(inputs)")
    }
  }

  @Test func laneGroupsHandleAllZeroGroupsAndFullyDenseInputs() {
    let weights = randomMatrix(70, 40, zeroFraction: 0.5, seed: 7)
    var input = randomMatrix(40, 40, zeroFraction: 0, seed: 8)  // negative values too
    for b in 16..<32 { for j in 0..<40 { input[b, j] = 0 } }  // the second group is all zero
    let fast = CSCMatrix(dense: weights).productSkippingZeroInputs(input)
    #expect(relativeError(fast, naiveLinear(input, weights)) < 1e-5)
    for b in 16..<32 { for o in 0..<70 { #expect(fast[b, o] == 0) } }
    let noWeights = CSCMatrix(dense: Tensor(zeros: [70, 40])).productSkippingZeroInputs(input)
    #expect(noWeights.scalars.allSatisfy { $0 == 0 })
  }

  @Test func gatherNonzerosKeepsOrderAndNaNAndSkipsBothZeros() {
    let x: [Float] = [0, 3.2, -0.0, 5.1, .nan, 0.7, 0, -2]
    var indices = [Int32](repeating: -1, count: x.count)
    var values = [Float](repeating: 0, count: x.count)
    let count = gatherNonzeros(x, count: x.count, indices: &indices, values: &values)
    #expect(count == 5)
    #expect(Array(indices[0..<count]) == [1, 3, 4, 5, 7])
    #expect(values[0] == 3.2 && values[1] == 5.1 && values[2].isNaN && values[3] == 0.7 && values[4] == -2)
    #expect(gatherNonzeros(x, count: 0, indices: &indices, values: &values) == 0)
  }

  @Test func isNonzeroSeesEveryLaneAndIgnoresTheSignOfZero() {
    #expect(!isNonzero(SIMD16<Float>()))
    #expect(!isNonzero(SIMD16<Float>(repeating: -0.0)))
    for lane in 0..<16 {
      var v = SIMD16<Float>()
      v[lane] = -1e-30
      #expect(isNonzero(v), "lane \(lane)")
    }
    var nan = SIMD16<Float>()
    nan[5] = .nan
    #expect(isNonzero(nan))
  }
}
