// Tensor-level entry points to the zero-skipping kernels: the forward product of a linear layer,
// Y = X W^T, with the zeros of X or of W skipped. Shapes: X is (batch, inputs), W is
// (outputs, inputs), Y is (batch, outputs).

/// Dense weights laid out input-major (W^T) for activation skipping.
///
/// Row `j` holds every weight leaving input `j`, so an input that a ReLU switched off costs
/// nothing: its row is never read.
public struct InputMajorWeights: Equatable, Sendable {
  /// W^T, (inputs, outputs).
  public let weightsByInput: Tensor
  public var inputs: Int { weightsByInput.rows }
  public var outputs: Int { weightsByInput.columns }

  /// The input-major layout of `weights` (outputs, inputs).
  public init(_ weights: Tensor) {
    let (outputs, inputs) = (weights.rows, weights.columns)
    let storage: [Float] = HugePageArray.make(count: weights.count) { buffer in
      weights.scalars.withUnsafeBufferPointer { source in
        guard let out = buffer.baseAddress, let input = source.baseAddress else { return }
        transpose(out, input, rows: outputs, columns: inputs)
      }
    }
    weightsByInput = Tensor(shape: [inputs, outputs], scalars: storage)
  }

  /// Y = X W^T, skipping the zeros of X; writes into `out` (batch, outputs).
  public func product(_ input: Tensor, into out: inout Tensor) {
    let batch = checkedBatch(input, &out, inputs: inputs, outputs: outputs, "InputMajorWeights.product")
    input.scalars.withUnsafeBufferPointer { x in
      weightsByInput.scalars.withUnsafeBufferPointer { w in
        out.scalars.withUnsafeMutableBufferPointer { y in
          guard let yp = y.baseAddress, let wp = w.baseAddress, let xp = x.baseAddress else {
            return y.update(repeating: 0)
          }
          activationSkippingMatMul(yp, wp, xp, batch: batch, inputs: inputs, outputs: outputs)
        }
      }
    }
  }

  /// Y = X W^T, skipping the zeros of X.
  public func product(_ input: Tensor) -> Tensor {
    var out = Tensor(zeros: [input.rows, outputs])
    product(input, into: &out)
    return out
  }
}

extension CSRMatrix {
  /// Y = X W^T with this matrix as W (outputs x inputs); writes into `out` (batch, rows).
  public func product(_ input: Tensor, into out: inout Tensor) {
    let batch = checkedBatch(input, &out, inputs: columns, outputs: rows, "CSRMatrix.product")
    rowOffsets.withUnsafeBufferPointer { o in
      columnIndices.withUnsafeBufferPointer { j in
        values.withUnsafeBufferPointer { v in
          input.scalars.withUnsafeBufferPointer { x in
            out.scalars.withUnsafeMutableBufferPointer { y in
              guard let yp = y.baseAddress, let jp = j.baseAddress, let vp = v.baseAddress, let xp = x.baseAddress
              else {
                return y.update(repeating: 0)
              }
              csrMatMul(
                yp, offsets: o.baseAddress!, indices: jp, values: vp, xp, batch: batch, rows: rows, columns: columns)
            }
          }
        }
      }
    }
  }

  /// Y = X W^T with this matrix as W.
  public func product(_ input: Tensor) -> Tensor {
    var out = Tensor(zeros: [input.rows, rows])
    product(input, into: &out)
    return out
  }
}

extension BSRMatrix {
  /// Y = X W^T with this matrix as W (outputs x inputs); writes into `out` (batch, rows).
  public func product(_ input: Tensor, into out: inout Tensor) {
    let batch = checkedBatch(input, &out, inputs: columns, outputs: rows, "BSRMatrix.product")
    input.scalars.withUnsafeBufferPointer { x in
      out.scalars.withUnsafeMutableBufferPointer { y in
        guard let yp = y.baseAddress, let xp = x.baseAddress, blockCount > 0 else { return y.update(repeating: 0) }
        bsrMatMul(yp, self, xp, batch: batch)
      }
    }
  }

  /// Y = X W^T with this matrix as W.
  public func product(_ input: Tensor) -> Tensor {
    var out = Tensor(zeros: [input.rows, rows])
    product(input, into: &out)
    return out
  }
}

/// Checks the shapes of Y = X W^T and returns the batch size.
func checkedBatch(_ input: Tensor, _ out: inout Tensor, inputs: Int, outputs: Int, _ caller: String) -> Int {
  precondition(
    input.rank == 2 && input.columns == inputs, "\(caller): input \(input.shape), weights take \(inputs) inputs")
  precondition(out.shape == [input.rows, outputs], "\(caller): output \(out.shape), expected \([input.rows, outputs])")
  return input.rows
}
