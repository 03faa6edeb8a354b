import SparsityCore

/// The weights of one benchmark case in dense form and in the form its sparse kernel reads.
struct KernelFixture {
  let kernel: BenchmarkKernel
  let sparsity: Double
  /// W (outputs, inputs) as dense BLAS sees it, zeros included.
  let denseWeights: Tensor
  let sparseWeights: SparseWeights

  enum SparseWeights {
    case inputMajor(InputMajorWeights)
    case csr(CSRMatrix)
    case bsr(BSRMatrix)
  }

  /// Builds the case: weight-sparse kernels zero `sparsity` of `weights` (element by element for
  /// CSR, whole blocks for BSR); activation skipping keeps the weights dense.
  init(kernel: BenchmarkKernel, weights: Tensor, sparsity: Double, using generator: inout Xoshiro256StarStar) {
    self.kernel = kernel
    self.sparsity = sparsity
    switch kernel {
    case .activationSkipping:
      // Huge pages for the dense baseline too, as for the input-major copy the kernel reads.
      denseWeights = weights.onHugePages()
      sparseWeights = .inputMajor(InputMajorWeights(weights))
    case .csr:
      denseWeights = weights.sparsified(zeroFraction: sparsity, using: &generator).onHugePages()
      sparseWeights = .csr(CSRMatrix(dense: denseWeights))
    case .bsr1x4, .bsr4x1:
      let (blockRows, blockColumns) = kernel == .bsr1x4 ? (1, 4) : (4, 1)
      denseWeights = KernelFixture.blockSparsified(weights, blockRows, blockColumns, sparsity, &generator).onHugePages()
      sparseWeights = .bsr(BSRMatrix(dense: denseWeights, blockRows: blockRows, blockColumns: blockColumns))
    }
  }

  /// `weights` with whole `blockRows` x `blockColumns` blocks set to zero, each with probability `sparsity`.
  static func blockSparsified(
    _ weights: Tensor, _ blockRows: Int, _ blockColumns: Int, _ sparsity: Double, _ generator: inout Xoshiro256StarStar
  ) -> Tensor {
    let (rows, columns) = (weights.rows, weights.columns)
    let blockGrid = Tensor(
      repeating: 1, shape: [(rows + blockRows - 1) / blockRows, (columns + blockColumns - 1) / blockColumns]
    )
    .sparsified(zeroFraction: sparsity, using: &generator)
    var out = weights
    for i in 0..<rows {
      for j in 0..<columns where blockGrid[i / blockRows, j / blockColumns] == 0 { out[i, j] = 0 }
    }
    return out
  }

  /// `variants` distinct input batches: ReLU-like outputs with `sparsity` zeros for activation
  /// skipping, dense normal inputs for the weight-sparse kernels.
  func inputs(batch: Int, variants: Int, using generator: inout Xoshiro256StarStar) -> [Tensor] {
    (0..<Swift.max(1, variants)).map { _ in
      let values = Tensor.normal(shape: [batch, denseWeights.columns], using: &generator)
      return kernel == .activationSkipping
        ? values.absolute().sparsified(zeroFraction: sparsity, using: &generator) : values
    }
  }

  /// Bytes of the weights as the sparse kernel stores them.
  var sparseWeightBytes: Int {
    switch sparseWeights {
    case .inputMajor(let weights): return weights.weightsByInput.count * 4
    case .csr(let matrix): return matrix.storedBytes
    case .bsr(let matrix): return matrix.storedBytes
    }
  }

  /// Y = X W^T with OpenBLAS (the caller lends BLAS its threads: `KernelBenchmark.measure`).
  func dense(_ out: inout Tensor, _ input: Tensor) {
    Tensor.linearProduct(input, weights: denseWeights, into: &out)
  }

  /// Y = X W^T with the zero-skipping kernel.
  func sparse(_ out: inout Tensor, _ input: Tensor) {
    switch sparseWeights {
    case .inputMajor(let weights): weights.product(input, into: &out)
    case .csr(let matrix): matrix.product(input, into: &out)
    case .bsr(let matrix): matrix.product(input, into: &out)
    }
  }
}

extension Tensor {
  /// The same tensor with its storage copied to huge-page-backed memory.
  func onHugePages() -> Tensor { Tensor(shape: shape, scalars: HugePageArray.copy(scalars)) }
}
