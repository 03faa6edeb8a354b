import SparsityTestSupport
import Testing

@testable import SparsityCore

@Suite struct ActivationSkippingTests {
  @Test(arguments: kernelTestSparsities)
  func matchesReferenceTwinOnEveryShape(sparsity: Double) {
    for (index, shape) in kernelTestShapes.enumerated() {
      let weights = randomMatrix(shape.outputs, shape.inputs, zeroFraction: 0, seed: UInt64(index))
      let input = randomMatrix(shape.batch, shape.inputs, zeroFraction: sparsity, seed: UInt64(100 + index)).relu()
      let fast = InputMajorWeights(weights).product(input)
      var twin = Tensor(zeros: [shape.batch, shape.outputs])
      input.scalars.withUnsafeBufferPointer { x in
        InputMajorWeights(weights).weightsByInput.scalars.withUnsafeBufferPointer { w in
          twin.scalars.withUnsafeMutableBufferPointer { y in
            guard let yp = y.baseAddress, let wp = w.baseAddress, let xp = x.baseAddress else { return }
            activationSkippingMatMulReference(
              yp, wp, xp, batch: shape.batch, inputs: shape.inputs, outputs: shape.outputs)
          }
        }
      }
      #expect(relativeError(fast, twin) < 1e-5, "shape \(shape), sparsity \(sparsity)")
      #expect(relativeError(fast, naiveLinear(input, weights)) < 1e-5, "shape \(shape), sparsity \(sparsity)")
    }
  }

  @Test func matVecSkipsZeroInputsOfTheSeedExample() {
    // The seed's ReLU output: only inputs 1, 3 and 5 are active, so only their weights matter.
    let x = Tensor([0, 3.2, 0, 5.1, 0, 0.7, 0, 0])
    var weights = Tensor(repeating: .nan, shape: [2, 8])  // NaN weights on inactive inputs are never read
    for j in [1, 3, 5] {
      weights[0, j] = 1
      weights[1, j] = Float(j)
    }
    let y = InputMajorWeights(weights).product(x.reshaped([1, 8]))
    #expect(abs(y[0, 0] - 9.0) < 1e-5)
    #expect(abs(y[0, 1] - (3.2 + 3 * 5.1 + 5 * 0.7)) < 1e-5)
  }

  @Test(arguments: [(1, 1), (17, 33), (300, 257), (1000, 1100)])
  func matVecMatchesItsReferenceTwin(inputs: Int, outputs: Int) {
    let weightsByInput = randomMatrix(inputs, outputs, zeroFraction: 0, seed: 11)
    let x = randomMatrix(1, inputs, zeroFraction: 0.7, seed: 12).relu()
    var fast = [Float](repeating: .nan, count: outputs)
    var twin = [Float](repeating: .nan, count: outputs)
    weightsByInput.scalars.withUnsafeBufferPointer { w in
      x.scalars.withUnsafeBufferPointer { xp in
        activationSkippingMatVec(&fast, w.baseAddress!, xp.baseAddress!, inputs: inputs, outputs: outputs)
        activationSkippingMatVecReference(&twin, w.baseAddress!, xp.baseAddress!, inputs: inputs, outputs: outputs)
      }
    }
    #expect(relativeError(Tensor(fast), Tensor(twin)) < 1e-5)
  }

  @Test func partsOverRunsOfInputsAddUpToTheProduct() {
    let (inputs, outputs) = (96, 37)
    let weights = randomMatrix(outputs, inputs, zeroFraction: 0.8, seed: 41)
    let x = randomMatrix(1, inputs, zeroFraction: 0.6, seed: 42).relu()
    let expected = naiveLinear(x, weights)
    let byInput = InputMajorWeights(weights).weightsByInput.scalars
    // Two parts of interleaved runs of 8 (as a band's rows of every channel), one with an empty run.
    let parts: [[Range<Int>]] = [
      stride(from: 0, to: inputs, by: 16).map { $0..<$0 + 8 } + [5..<5],
      stride(from: 8, to: inputs, by: 16).map { $0..<$0 + 8 },
    ]
    var total = [Float](repeating: 0, count: outputs)
    for runs in parts {
      // The part's rows of W^T in the order of its runs.
      let rows = runs.flatMap { byInput[($0.lowerBound * outputs)..<($0.upperBound * outputs)] }
      var part = [Float](repeating: .nan, count: outputs)
      activationSkippingPartialMatVec(&part, rows, x.scalars, runs: runs, outputs: outputs)
      for o in 0..<outputs { total[o] += part[o] }
    }
    #expect(relativeError(Tensor(shape: [1, outputs], scalars: total), expected) < 1e-5)
  }

  @Test func allZeroInputGivesZeroOutput() {
    let weights = randomMatrix(70, 50, zeroFraction: 0, seed: 1)
    let y = InputMajorWeights(weights).product(Tensor(zeros: [9, 50]))
    #expect(y == Tensor(zeros: [9, 70]))
  }
}
