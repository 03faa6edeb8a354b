// What a sparse autoencoder is trained to do: its nonlinearity and the sparsity term of its loss.

/// The kind of sparse autoencoder to train: how the code is made during training and what
/// the loss adds to the reconstruction error.
///
/// The reconstruction term is always the batch's fraction of variance unexplained,
/// FVU = Σ ||x − x̂||² / Σ ||x − x̄||² (x̄ the batch mean), so coefficients do not depend on
/// the scale of the activations.
public enum SAEObjective: Equatable, Sendable, CustomStringConvertible {
  /// ReLU code with an L1 penalty weighted by the decoder rows' norms:
  /// loss = FVU + λ · mean over rows of Σ_j z_j ||W_dec,j|| (Anthropic, "Towards
  /// Monosemanticity", 2023; the norm weighting of their April 2024 update). The decoder rows
  /// are not constrained.
  case l1(coefficient: Float)
  /// TopK code, k per row; loss = FVU (+ AuxK). Unit-norm decoder rows.
  case topK(k: Int)
  /// BatchTopK: the k · rows largest pre-activations of the whole batch; loss = FVU (+ AuxK).
  /// Learns the threshold that keeps k per row on average (a moving average of the smallest
  /// kept value), so the trained autoencoder is saved as JumpReLU with that threshold
  /// (Bussmann et al., "BatchTopK Sparse Autoencoders", 2024). Unit-norm decoder rows.
  case batchTopK(k: Int)
  /// JumpReLU with a learned threshold per latent; loss = FVU + λ · L0, the step function's
  /// gradient with respect to the thresholds by a rectangle-kernel straight-through
  /// estimator of width `bandwidth` (Rajamanoharan et al., 2024). Unit-norm decoder rows.
  case jumpReLU(coefficient: Float, bandwidth: Float)

  /// Whether the decoder rows are kept at unit norm (every kind but L1).
  public var hasUnitNormDecoder: Bool {
    if case .l1 = self { return false }
    return true
  }

  /// Whether AuxK applies: the kinds whose code has a fixed budget (TopK, BatchTopK).
  public var usesAuxK: Bool {
    switch self {
    case .topK, .batchTopK: true
    case .l1, .jumpReLU: false
    }
  }

  /// A short description, e.g. `topk:32`, in the grammar of `init(parsing:)`.
  public var description: String {
    switch self {
    case .l1(let coefficient): "l1:\(coefficient)"
    case .topK(let k): "topk:\(k)"
    case .batchTopK(let k): "batchtopk:\(k)"
    case .jumpReLU(let coefficient, let bandwidth): "jumprelu:\(coefficient):\(bandwidth)"
    }
  }

  /// Parses `topk:K`, `batchtopk:K`, `l1:COEFFICIENT` or `jumprelu:COEFFICIENT[:BANDWIDTH]`
  /// (bandwidth 0.001 when omitted); nil with a reason when the text is not one of them.
  public static func parse(_ text: String) -> Result<SAEObjective, ParseError> {
    let parts = text.lowercased().split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    func positiveInteger(_ s: String) -> Int? { Int(s).flatMap { $0 > 0 ? $0 : nil } }
    func positiveNumber(_ s: String) -> Float? { Float(s).flatMap { $0 > 0 && $0.isFinite ? $0 : nil } }
    switch (parts.first, parts.count) {
    case ("topk", 2):
      if let k = positiveInteger(parts[1]) { return .success(.topK(k: k)) }
    case ("batchtopk", 2):
      if let k = positiveInteger(parts[1]) { return .success(.batchTopK(k: k)) }
    case ("l1", 2):
      if let c = positiveNumber(parts[1]) { return .success(.l1(coefficient: c)) }
    case ("jumprelu", 2), ("jumprelu", 3):
      if let c = positiveNumber(parts[1]), let w = parts.count == 3 ? positiveNumber(parts[2]) : 0.001 {
        return .success(.jumpReLU(coefficient: c, bandwidth: w))
      }
    default: break
    }
    return .failure(
      ParseError(
        text: text,
        reason: "expected topk:K, batchtopk:K (K a positive integer), l1:C or jumprelu:C[:BANDWIDTH] (positive numbers)"
      ))
  }

  /// Why a kind could not be parsed.
  public struct ParseError: Error, Equatable, Sendable {
    /// The text given.
    public var text: String
    /// What was expected.
    public var reason: String
  }
}
