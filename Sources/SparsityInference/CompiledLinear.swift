// One Linear layer prepared for inference: its weights in the layout of the chosen kernel.

import SparsityCore

/// A `Linear` layer's weights stored for one `LayerKernel`, with its bias and the element-wise
/// activation that follows it fused into one pass: Y = f(X W^T + b).
///
/// Shapes: X is (batch, inputs), W is (outputs, inputs), Y is (batch, outputs), row-major.
/// Immutable once built; `run` reads its weights and writes only the output it is given.
public struct CompiledLinear: Sendable {
  /// The weights in the layout `kernel` reads.
  enum Weights: Sendable {
    case dense(Tensor)
    case inputMajor(InputMajorWeights)
    case csr(CSRMatrix)
    case bsr(BSRMatrix)
    case csc(CSCMatrix)
  }

  /// How the product is computed.
  public let kernel: LayerKernel
  /// Input features.
  public let inputs: Int
  /// Output features.
  public let outputs: Int
  /// The activation applied after the bias.
  public let activation: PointwiseActivation
  /// Threads the product may use (at most `Parallel.threadCount`); nil for all of them.
  public let threads: Int?
  let weights: Weights
  let bias: [Float]?

  /// Prepares `weights` (outputs, inputs) and `bias` (outputs, or nil) for `kernel`, to run on
  /// at most `threads` threads (nil: all of Sparsity's).
  /// - Complexity: O(outputs * inputs) to convert the weights.
  public init(
    weights: Tensor, bias: Tensor?, kernel: LayerKernel, activation: PointwiseActivation = .identity,
    threads: Int? = nil
  ) {
    precondition(weights.rank == 2, "CompiledLinear: weights must be a matrix, shape \(weights.shape)")
    precondition(threads.map { $0 > 0 } ?? true, "CompiledLinear: \(threads!) threads")
    self.threads = threads
    precondition(
      bias == nil || bias!.shape == [weights.rows], "CompiledLinear: bias \(bias!.shape) for \(weights.rows) outputs")
    self.kernel = kernel
    self.inputs = weights.columns
    self.outputs = weights.rows
    self.activation = activation
    self.bias = bias?.scalars
    switch kernel {
    case .dense: self.weights = .dense(weights)
    case .activationSkipping: self.weights = .inputMajor(InputMajorWeights(weights))
    case .csr: self.weights = .csr(CSRMatrix(dense: weights))
    case .bsr(let r, let c): self.weights = .bsr(BSRMatrix(dense: weights, blockRows: r, blockColumns: c))
    case .sparseInputSparseWeights: self.weights = .csc(CSCMatrix(dense: weights))
    }
  }

  /// `prepared` (its converted weights reused) with `activation` and `threads` in place of its
  /// own where given: nil keeps the prepared value; `threads: .some(nil)` means all threads.
  init(prepared: CompiledLinear, activation: PointwiseActivation? = nil, threads: Int?? = nil) {
    kernel = prepared.kernel
    self.threads = threads ?? prepared.threads
    inputs = prepared.inputs
    outputs = prepared.outputs
    weights = prepared.weights
    bias = prepared.bias
    self.activation = activation ?? prepared.activation
  }

  /// Bytes of the weights as stored (indices included) plus the bias.
  public var storedBytes: Int {
    let biasBytes = (bias?.count ?? 0) * MemoryLayout<Float>.stride
    switch weights {
    case .dense(let w): return w.count * MemoryLayout<Float>.stride + biasBytes
    case .inputMajor(let w): return w.weightsByInput.count * MemoryLayout<Float>.stride + biasBytes
    case .csr(let w): return w.storedBytes + biasBytes
    case .bsr(let w): return w.storedBytes + biasBytes
    case .csc(let w): return w.storedBytes + biasBytes
    }
  }

  /// y = f(x W^T + b) for `batch` samples. x is (batch, inputs), y is (batch, outputs); y is
  /// overwritten. Allocates nothing (kernels use the per-thread scratch arena).
  /// - Complexity: that of the kernel, plus O(batch * outputs) for bias and activation.
  public func run(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, batch: Int) {
    guard batch > 0, outputs > 0 else { return }
    if let threads, threads < Parallel.threadCount {
      Parallel.withThreadCount(threads) { product(y, x, batch: batch) }
    } else {
      product(y, x, batch: batch)
    }
    if let bias {
      bias.withUnsafeBufferPointer { b in activation.apply(y, bias: b.baseAddress, rows: batch, columns: outputs) }
    } else {
      activation.apply(y, bias: nil, rows: batch, columns: outputs)
    }
  }

  /// y = x W^T with the chosen kernel.
  func product(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, batch: Int) {
    guard inputs > 0 else { return y.update(repeating: 0, count: batch * outputs) }
    switch weights {
    case .dense(let w):
      w.scalars.withUnsafeBufferPointer {
        denseProduct(y, $0.baseAddress!, x, batch: batch, inputs: inputs, outputs: outputs)
      }
    case .inputMajor(let w):
      w.weightsByInput.scalars.withUnsafeBufferPointer {
        activationSkippingMatMul(y, $0.baseAddress!, x, batch: batch, inputs: inputs, outputs: outputs)
      }
    case .csr(let w):
      w.rowOffsets.withUnsafeBufferPointer { o in
        w.columnIndices.withUnsafeBufferPointer { j in
          w.values.withUnsafeBufferPointer { v in
            guard let jp = j.baseAddress, let vp = v.baseAddress else {
              return y.update(repeating: 0, count: batch * outputs)
            }
            csrMatMul(
              y, offsets: o.baseAddress!, indices: jp, values: vp, x, batch: batch, rows: outputs, columns: inputs)
          }
        }
      }
    case .bsr(let w):
      bsrMatMul(y, w, x, batch: batch)
    case .csc(let w):
      w.storage.rowOffsets.withUnsafeBufferPointer { o in
        w.storage.columnIndices.withUnsafeBufferPointer { r in
          w.storage.values.withUnsafeBufferPointer { v in
            guard let rp = r.baseAddress, let vp = v.baseAddress else {
              return y.update(repeating: 0, count: batch * outputs)
            }
            sparseInputSparseWeightsMatMul(
              y, columnOffsets: o.baseAddress!, rowIndices: rp, values: vp, x, batch: batch, inputs: inputs,
              outputs: outputs)
          }
        }
      }
    }
  }
}

/// Y = X W^T with dense BLAS. Batch 1 is `sgemv`, its rows split over the cores when the matrix
/// is large and BLAS itself runs single-threaded; larger batches are `parallelGEMM`.
/// Shapes: y (batch, outputs), w (outputs, inputs), x (batch, inputs).
/// - Complexity: O(batch * inputs * outputs).
func denseProduct(
  _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>, batch: Int, inputs: Int,
  outputs: Int
) {
  guard batch == 1 else {
    return parallelGEMM(y, x, w, m: batch, n: outputs, k: inputs, transposeB: true)
  }
  let split = BLAS.threadCount == 1 && Parallel.threadCount > 1 && inputs * outputs >= 1 << 18
  Parallel.forEachChunk(of: outputs, minimumChunk: split ? 64 : outputs) { rows in
    BLAS.gemv(y + rows.lowerBound, w + rows.lowerBound * inputs, x, rows: rows.count, columns: inputs)
  }
}
