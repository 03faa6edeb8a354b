// How a trained sparse autoencoder turns pre-activations into its code at inference.

/// The nonlinearity of a trained sparse autoencoder, applied to the pre-activations
/// pre = W_enc (x − b_dec) + b_enc of each row.
public enum SAEActivation: Equatable, Sendable {
  /// z = ReLU(pre): SAELens's "standard" architecture (trained with an L1 penalty).
  case relu
  /// z keeps the k largest pre-activations of the row that are positive, 0 elsewhere
  /// (Gao et al., "Scaling and evaluating sparse autoencoders", 2024).
  case topK(Int)
  /// z_j = pre_j where pre_j > θ_j, else 0: JumpReLU with one threshold per latent
  /// (Rajamanoharan et al., "Jumping Ahead: Improving Reconstruction Fidelity with JumpReLU
  /// Sparse Autoencoders", 2024). A BatchTopK autoencoder is saved as this, every θ_j the
  /// threshold it learned.
  case jumpReLU(thresholds: [Float])

  /// SAELens's name of the architecture: `standard`, `topk` or `jumprelu`.
  public var architecture: String {
    switch self {
    case .relu: "standard"
    case .topK: "topk"
    case .jumpReLU: "jumprelu"
    }
  }

  /// A short description such as `topk (k = 32)`.
  public var summary: String {
    switch self {
    case .relu: "relu"
    case .topK(let k): "topk (k = \(k))"
    case .jumpReLU(let thresholds):
      "jumprelu (threshold \(thresholds.min().map { "\($0)" } ?? "-") to \(thresholds.max().map { "\($0)" } ?? "-"))"
    }
  }
}
