// Batch-1 inference, one input after another: what a timing of zero-skipping at batch 1 runs,
// dense `sgemv` against `activationSkippingMatVec`, with the same call per input as a server
// answering single requests.

/// y = W x_s for each row x_s of X in turn, by BLAS `sgemv`; each product overwrites y[0..<outputs],
/// so y ends holding the last row's product.
///
/// Shapes: W (`weights`) is (outputs, inputs) row-major, X (`inputs`) is (samples, inputs), y
/// has at least `outputs` entries.
/// - Complexity: O(samples * inputs * outputs), `samples` BLAS calls.
public func denseMatVecOfEachRow(
  _ y: inout [Float], weights: [Float], inputs x: [Float], samples: Int, inputCount: Int, outputCount: Int
) {
  checkRowByRowShapes(y, weights, x, samples: samples, inputCount: inputCount, outputCount: outputCount)
  guard samples > 0, outputCount > 0 else { return }
  y.withUnsafeMutableBufferPointer { out in
    weights.withUnsafeBufferPointer { w in
      x.withUnsafeBufferPointer { x in
        for s in 0..<samples {
          BLAS.gemv(
            out.baseAddress!, w.baseAddress!, x.baseAddress! + s * inputCount, rows: outputCount, columns: inputCount)
        }
      }
    }
  }
}

/// y = W x_s for each row x_s of X in turn, reading only the weight rows of nonzero inputs
/// (`activationSkippingMatVec`); each product overwrites y[0..<outputs], so y ends holding the
/// last row's product.
///
/// Shapes: W^T (`weightsByInput`) is (inputs, outputs) row-major, X (`inputs`) is
/// (samples, inputs), y has at least `outputs` entries.
/// - Complexity: O(samples * inputs + nnz(X) * outputs).
public func activationSkippingMatVecOfEachRow(
  _ y: inout [Float], weightsByInput: [Float], inputs x: [Float], samples: Int, inputCount: Int, outputCount: Int
) {
  checkRowByRowShapes(y, weightsByInput, x, samples: samples, inputCount: inputCount, outputCount: outputCount)
  guard samples > 0, outputCount > 0 else { return }
  y.withUnsafeMutableBufferPointer { out in
    weightsByInput.withUnsafeBufferPointer { wt in
      x.withUnsafeBufferPointer { x in
        for s in 0..<samples {
          activationSkippingMatVec(
            out.baseAddress!, wt.baseAddress!, x.baseAddress! + s * inputCount, inputs: inputCount,
            outputs: outputCount)
        }
      }
    }
  }
}

/// Reference twin of `denseMatVecOfEachRow`: every product one term at a time, in Float.
public func denseMatVecOfEachRowReference(
  _ y: inout [Float], weights: [Float], inputs x: [Float], samples: Int, inputCount: Int, outputCount: Int
) {
  checkRowByRowShapes(y, weights, x, samples: samples, inputCount: inputCount, outputCount: outputCount)
  for s in 0..<samples {
    for o in 0..<outputCount {
      var total: Float = 0
      for j in 0..<inputCount { total += weights[o * inputCount + j] * x[s * inputCount + j] }
      y[o] = total
    }
  }
}

/// Reference twin of `activationSkippingMatVecOfEachRow`: every product one term at a time,
/// zero inputs included, in Float.
public func activationSkippingMatVecOfEachRowReference(
  _ y: inout [Float], weightsByInput: [Float], inputs x: [Float], samples: Int, inputCount: Int, outputCount: Int
) {
  checkRowByRowShapes(y, weightsByInput, x, samples: samples, inputCount: inputCount, outputCount: outputCount)
  for s in 0..<samples {
    for o in 0..<outputCount {
      var total: Float = 0
      for j in 0..<inputCount { total += weightsByInput[j * outputCount + o] * x[s * inputCount + j] }
      y[o] = total
    }
  }
}

/// Stops unless the weights are inputs x outputs, X is samples x inputs and y holds an output.
private func checkRowByRowShapes(
  _ y: [Float], _ weights: [Float], _ x: [Float], samples: Int, inputCount: Int, outputCount: Int
) {
  precondition(
    weights.count == inputCount * outputCount && x.count >= samples * inputCount && y.count >= outputCount,
    "row-by-row product: \(weights.count) weights, \(x.count) inputs, \(y.count) outputs for \(samples) samples, "
      + "\(inputCount) inputs, \(outputCount) outputs")
}
