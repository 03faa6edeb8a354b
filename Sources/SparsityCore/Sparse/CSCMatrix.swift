/// A sparse matrix in compressed sparse column (CSC) form: the column-major, neuron-major twin
/// of `CSRMatrix`.
///
/// Column `j` of a weight matrix W (outputs x inputs) holds every weight that input `j` feeds:
/// the layout for skipping zero activations and zero weights together (y = W x reading only
/// the stored weights of the active inputs): `productSkippingZeroInputs`, in
/// `Kernels/SparseInputSparseWeights.swift`.
public struct CSCMatrix: Equatable, Sendable {
  /// The same entries stored as the CSR form of the transpose (columns become rows).
  public let storage: CSRMatrix

  /// Number of rows of the matrix.
  public var rows: Int { storage.columns }
  /// Number of columns of the matrix.
  public var columns: Int { storage.rows }
  /// Number of stored entries.
  public var nonzeroCount: Int { storage.nonzeroCount }
  /// Fraction of entries not stored.
  public var sparsity: Double { storage.sparsity }
  /// Bytes of the stored arrays.
  public var storedBytes: Int { storage.storedBytes }

  /// The entries of a dense matrix that `rule` keeps, stored column by column.
  public init(dense: Tensor, rule: ZeroRule = .exactZero) {
    storage = CSRMatrix(dense: dense.transposed(), rule: rule)
  }

  /// The CSC form of a CSR matrix.
  public init(_ csr: CSRMatrix) { storage = csr.transposed() }

  /// The dense matrix.
  public func toDense() -> Tensor { storage.toDense().transposed() }
}
