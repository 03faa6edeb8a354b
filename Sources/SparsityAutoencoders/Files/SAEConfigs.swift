// The cfg.json of SAELens and of sparsify: the keys read, and the autoencoder they describe.
import SparsityCore

/// The keys of SAELens's `cfg.json` this reader uses (others, such as `metadata`, are ignored).
struct SAELensConfig: Decodable {
  var architecture: String
  var dIn: Int
  var dSAE: Int
  var dtype: String
  var k: Int?
  var applyDecoderBiasToInput: Bool?
  var normalizeActivations: String?
  var rescaleActivationsByDecoderNorm: Bool?
  var reshapeActivations: String?

  enum CodingKeys: String, CodingKey {
    case architecture, dtype, k
    case dIn = "d_in"
    case dSAE = "d_sae"
    case applyDecoderBiasToInput = "apply_b_dec_to_input"
    case normalizeActivations = "normalize_activations"
    case rescaleActivationsByDecoderNorm = "rescale_acts_by_decoder_norm"
    case reshapeActivations = "reshape_activations"
  }

  /// Throws unless 1 ≤ k ≤ latents (a TopK of more latents than there are is no TopK, and
  /// SAELens's `torch.topk` refuses it); `absent` says k is SAELens's default of 100.
  static func checkK(_ k: Int, latents: Int, file: String, absent: Bool) throws(SAEFileError) {
    guard k > 0 else { throw .malformedConfig(file: file, detail: "k \(k) must be positive") }
    guard k <= latents else {
      throw .malformedConfig(
        file: file,
        detail:
          "k \(k)\(absent ? " (SAELens's default, as the key is absent)" : "") is more than the \(latents) latents")
    }
  }

  /// The autoencoder of a SAELens configuration and its weights.
  static func autoencoder(_ config: SAELensConfig, weights: [String: Tensor], configFile: String, weightsFile: String)
    throws(SAEFileError) -> SparseAutoencoder
  {
    let (d, n) = (config.dIn, config.dSAE)
    guard d > 0, n > 0 else {
      throw .malformedConfig(file: configFile, detail: "d_in \(d) and d_sae \(n) must be positive")
    }
    // At inference SAELens applies only constant_norm_rescale and layer_norm; it folds
    // expected_average_only_in into the weights when it saves.
    switch config.normalizeActivations ?? "none" {
    case "none", "expected_average_only_in": break
    case let norm where norm == "constant_norm_rescale" || norm == "layer_norm":
      throw .unsupported(
        file: configFile,
        detail: "normalize_activations \"\(norm)\" (applied at inference; none and expected_average_only_in are read)")
    case let norm:
      throw .malformedConfig(
        file: configFile,
        detail: "normalize_activations \"\(norm)\" is not one of SAELens's (none, expected_average_only_in,"
          + " constant_norm_rescale, layer_norm)")
    }
    if config.rescaleActivationsByDecoderNorm == true {
      throw .unsupported(file: configFile, detail: "rescale_acts_by_decoder_norm true")
    }
    if let reshape = config.reshapeActivations, reshape != "none" {
      throw .unsupported(file: configFile, detail: "reshape_activations \"\(reshape)\"")
    }
    let activation: SAEActivation
    switch config.architecture {
    case "standard": activation = .relu
    case "topk":
      let k = config.k ?? 100  // SAELens's default when the key is absent
      try checkK(k, latents: n, file: configFile, absent: config.k == nil)
      activation = .topK(k)
    case "jumprelu":
      let threshold = try SAEFiles.tensor("threshold", weights, shape: [n], file: weightsFile)
      activation = .jumpReLU(thresholds: threshold.scalars)
    default:
      throw .unsupported(
        file: configFile, detail: "architecture \"\(config.architecture)\" (standard, topk and jumprelu are read)")
    }
    return SparseAutoencoder(
      encoder: try SAEFiles.tensor("W_enc", weights, shape: [d, n], file: weightsFile).transposed(),
      encoderBias: try SAEFiles.tensor("b_enc", weights, shape: [n], file: weightsFile).scalars,
      decoder: try SAEFiles.tensor("W_dec", weights, shape: [n, d], file: weightsFile),
      decoderBias: try SAEFiles.tensor("b_dec", weights, shape: [d], file: weightsFile).scalars,
      activation: activation, subtractsDecoderBias: config.applyDecoderBiasToInput ?? true)
  }
}

/// The keys of sparsify's `cfg.json` this reader uses.
struct SparsifyConfig: Decodable {
  var activation: String?
  var k: Int
  var numLatents: Int?
  var expansionFactor: Int?
  var dIn: Int?
  var skipConnection: Bool?
  var transcode: Bool?

  enum CodingKeys: String, CodingKey {
    case activation, k, transcode
    case numLatents = "num_latents"
    case expansionFactor = "expansion_factor"
    case dIn = "d_in"
    case skipConnection = "skip_connection"
  }

  /// The autoencoder of a sparsify configuration and its weights (ReLU then TopK, which keeps
  /// the same positive values as TopK then ReLU).
  static func autoencoder(_ config: SparsifyConfig, weights: [String: Tensor], configFile: String, weightsFile: String)
    throws(SAEFileError) -> SparseAutoencoder
  {
    if let activation = config.activation, activation != "topk" {
      throw .unsupported(file: configFile, detail: "activation \"\(activation)\" (topk is read)")
    }
    if config.skipConnection == true { throw .unsupported(file: configFile, detail: "skip_connection true") }
    if config.transcode == true { throw .unsupported(file: configFile, detail: "transcode true (a transcoder)") }
    guard let decoder = weights["W_dec"], decoder.rank == 2 else {
      throw .badTensor(file: weightsFile, tensor: "W_dec", detail: "missing or not a matrix")
    }
    let (n, d) = (decoder.rows, decoder.columns)
    try SAELensConfig.checkK(config.k, latents: n, file: configFile, absent: false)
    if let dIn = config.dIn, dIn != d {
      throw .malformedConfig(file: configFile, detail: "d_in \(dIn) but W_dec has \(d) columns")
    }
    return SparseAutoencoder(
      encoder: try SAEFiles.tensor("encoder.weight", weights, shape: [n, d], file: weightsFile),
      encoderBias: try SAEFiles.tensor("encoder.bias", weights, shape: [n], file: weightsFile).scalars,
      decoder: try SAEFiles.tensor("W_dec", weights, shape: [n, d], file: weightsFile),
      decoderBias: try SAEFiles.tensor("b_dec", weights, shape: [d], file: weightsFile).scalars,
      activation: .topK(config.k), subtractsDecoderBias: true)
  }
}
