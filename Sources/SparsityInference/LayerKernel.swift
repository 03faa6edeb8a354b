// The ways a compiled Linear layer can compute Y = X W^T.

/// A kernel for the product of one `Linear` layer, Y = X W^T; the planner picks one per layer.
///
/// Shapes: X is (batch, inputs), W is (outputs, inputs), Y is (batch, outputs). Every kernel
/// computes the same product (up to float rounding); they differ in which zeros they skip.
public enum LayerKernel: Equatable, Hashable, Sendable, CustomStringConvertible {
  /// Dense BLAS: `sgemv` at batch 1 (rows split over the cores when large), `sgemm` split over
  /// the cores (`parallelGEMM`) otherwise. Skips nothing.
  case dense
  /// Dense weights stored input-major (W^T); zero inputs skip their whole weight row
  /// (`activationSkippingMatMul`). Pays off after a ReLU or TopK.
  case activationSkipping
  /// Weights in CSR form; zero weights are never stored or read (`csrMatMul`).
  case csr
  /// Weights in BSR form with `blockRows` x `blockColumns` blocks (`bsrMatMul`).
  case bsr(blockRows: Int, blockColumns: Int)
  /// Weights in CSC form, and for each nonzero input only its stored weights are added
  /// (`sparseInputSparseWeightsMatMul`): skips zero weights and zero inputs together.
  case sparseInputSparseWeights

  /// Every kernel the planner may try, in the order it lists them.
  public static let all: [LayerKernel] = [
    .dense, .activationSkipping, .csr, .bsr(blockRows: 1, blockColumns: 4), .bsr(blockRows: 4, blockColumns: 1),
    .sparseInputSparseWeights,
  ]

  /// The name used in plan files and reports: `dense`, `activation-skipping`, `csr`,
  /// `bsr-RxC`, `csr+activation-skipping`.
  public var name: String {
    switch self {
    case .dense: return "dense"
    case .activationSkipping: return "activation-skipping"
    case .csr: return "csr"
    case .bsr(let r, let c): return "bsr-\(r)x\(c)"
    case .sparseInputSparseWeights: return "csr+activation-skipping"
    }
  }

  public var description: String { name }

  /// The kernel named `name` (see `name`), or nil. Block shapes must be 1...64 on each side.
  public init?(name: String) {
    if let kernel = Self.all.first(where: { $0.name == name }) {
      self = kernel
      return
    }
    guard name.hasPrefix("bsr-") else { return nil }
    let parts = name.dropFirst(4).split(separator: "x", omittingEmptySubsequences: false)
    guard parts.count == 2, let r = Int(parts[0]), let c = Int(parts[1]), (1...64).contains(r), (1...64).contains(c)
    else {
      return nil
    }
    self = .bsr(blockRows: r, blockColumns: c)
  }

  /// True for kernels that skip zero inputs: worth trying only when inputs have zeros.
  public var skipsZeroInputs: Bool {
    switch self {
    case .activationSkipping, .sparseInputSparseWeights: return true
    default: return false
    }
  }

  /// True for kernels that store only nonzero weights (or blocks): worth trying only when
  /// weights have zeros.
  public var skipsZeroWeights: Bool {
    switch self {
    case .csr, .bsr, .sparseInputSparseWeights: return true
    default: return false
    }
  }
}

extension LayerKernel: Codable {
  public init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let kernel = LayerKernel(name: text) else {
      throw DecodingError.dataCorruptedError(
        in: container,
        debugDescription: "unknown kernel '\(text)' (known: \(Self.all.map(\.name).joined(separator: ", ")))")
    }
    self = kernel
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(name)
  }
}
