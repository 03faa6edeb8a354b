// A sparse autoencoder: a wide encoder, a sparse code, a decoder (X ≈ code · W_dec + b_dec).
import SparsityCore

/// A sparse autoencoder (SAE) over rows of `inputs` activations with `latents` latents.
///
///     pre = W_enc (x − b_dec) + b_enc        (b_dec subtracted when `subtractsDecoderBias`)
///     z   = activation(pre)                  (sparse: ReLU, TopK or JumpReLU)
///     x̂   = z W_dec + b_dec
///
/// Shapes (samples are rows, as everywhere in this toolkit): `encoder` is (latents, inputs),
/// row j the encoder direction of latent j (SAELens stores its transpose, W_enc [d_in, d_sae]);
/// `decoder` is (latents, inputs), row j latent j's decoder direction (SAELens's W_dec
/// [d_sae, d_in]); `encoderBias` has `latents` entries, `decoderBias` `inputs`.
///
/// Encoding costs one dense product (rows x inputs x latents) and a selection; decoding and
/// everything else touch only the active latents (`SparseCodes` kernels).
public struct SparseAutoencoder: Equatable, Sendable {
  /// Encoder directions, (latents, inputs).
  public var encoder: Tensor
  /// Encoder bias b_enc, one per latent.
  public var encoderBias: [Float]
  /// Decoder directions, (latents, inputs).
  public var decoder: Tensor
  /// Decoder bias b_dec, one per input.
  public var decoderBias: [Float]
  /// The nonlinearity that makes the code.
  public var activation: SAEActivation
  /// Whether b_dec is subtracted from the input before encoding (SAELens's
  /// `apply_b_dec_to_input`; true for the autoencoders this toolkit trains).
  public var subtractsDecoderBias: Bool

  /// An autoencoder from its parameters.
  /// - Precondition: the shapes agree as described on the type, and JumpReLU has one
  ///   threshold per latent.
  public init(
    encoder: Tensor, encoderBias: [Float], decoder: Tensor, decoderBias: [Float], activation: SAEActivation,
    subtractsDecoderBias: Bool = true
  ) {
    precondition(
      encoder.rank == 2 && decoder.shape == encoder.shape,
      "SparseAutoencoder: encoder \(encoder.shape), decoder \(decoder.shape)")
    precondition(
      encoderBias.count == encoder.rows && decoderBias.count == encoder.columns,
      "SparseAutoencoder: \(encoderBias.count) encoder and \(decoderBias.count) decoder biases for \(encoder.shape)")
    if case .jumpReLU(let thresholds) = activation {
      precondition(
        thresholds.count == encoder.rows, "SparseAutoencoder: \(thresholds.count) thresholds, \(encoder.rows) latents")
    }
    if case .topK(let k) = activation { precondition(k > 0, "SparseAutoencoder: k \(k) must be positive") }
    self.encoder = encoder
    self.encoderBias = encoderBias
    self.decoder = decoder
    self.decoderBias = decoderBias
    self.activation = activation
    self.subtractsDecoderBias = subtractsDecoderBias
  }

  /// Activations per row, d_in.
  public var inputs: Int { encoder.columns }
  /// Latents, d_sae.
  public var latents: Int { encoder.rows }

  /// The bias of the folded encoder, b_enc − W_enc b_dec (or b_enc), so that
  /// pre = x W_encᵀ + foldedBias.
  public var foldedEncoderBias: [Float] {
    guard subtractsDecoderBias else { return encoderBias }
    var bias = encoderBias
    encoder.scalars.withUnsafeBufferPointer { w in
      decoderBias.withUnsafeBufferPointer { b in
        bias.withUnsafeMutableBufferPointer { c in
          BLAS.gemv(c.baseAddress!, w.baseAddress!, b.baseAddress!, rows: latents, columns: inputs, alpha: -1, beta: 1)
        }
      }
    }
    return bias
  }

  /// The pre-activations of `count` rows: pre = x W_encᵀ + bias, (count, latents), with
  /// `bias` from `foldedEncoderBias`.
  /// - Complexity: O(count * inputs * latents), one BLAS product.
  public func preActivations(
    _ rows: UnsafePointer<Float>, count: Int, bias: [Float], into pre: UnsafeMutablePointer<Float>
  ) {
    for i in 0..<count { (pre + i * latents).update(from: bias, count: latents) }
    encoder.scalars.withUnsafeBufferPointer { w in
      parallelGEMM(pre, rows, w.baseAddress!, m: count, n: latents, k: inputs, transposeB: true, beta: 1)
    }
  }

  /// The codes of `count` rows (row-major, `inputs` wide) into `codes`; `workspace` is
  /// resized to hold the pre-activations.
  /// - Complexity: O(count * inputs * latents) for the product, O(count * latents) to select.
  public func encode(
    _ rows: UnsafePointer<Float>, count: Int, into codes: inout SparseCodes, workspace: inout [Float],
    bias: [Float]? = nil
  ) {
    let needed = count * latents
    if workspace.count < needed { workspace = [Float](repeating: 0, count: needed) }
    let bias = bias ?? foldedEncoderBias
    workspace.withUnsafeMutableBufferPointer { pre in
      preActivations(rows, count: count, bias: bias, into: pre.baseAddress!)
      select(pre.baseAddress!, rows: count, into: &codes)
    }
  }

  /// The codes of the rows of a matrix (rows, inputs), as CSR.
  public func encode(_ rows: Tensor) -> CSRMatrix {
    precondition(
      rows.rank == 2 && rows.columns == inputs, "SparseAutoencoder.encode: rows \(rows.shape), \(inputs) inputs")
    var codes = SparseCodes(columns: latents)
    var workspace = [Float]()
    rows.scalars.withUnsafeBufferPointer { x in
      encode(x.baseAddress!, count: rows.rows, into: &codes, workspace: &workspace)
    }
    return codes.matrix
  }

  /// The code of pre-activations by this autoencoder's nonlinearity.
  func select(_ pre: UnsafePointer<Float>, rows: Int, into codes: inout SparseCodes) {
    switch activation {
    case .relu: selectCodes(pre, rows: rows, columns: latents, above: nil, into: &codes)
    case .topK(let k): selectTopKCodes(pre, rows: rows, columns: latents, k: k, into: &codes)
    case .jumpReLU(let thresholds):
      thresholds.withUnsafeBufferPointer { t in
        selectCodes(pre, rows: rows, columns: latents, above: t.baseAddress!, into: &codes)
      }
    }
  }

  /// x̂ = z W_dec + b_dec for a batch of codes, into `out` (codes.rows, inputs).
  /// - Complexity: O(nonzeroCount * inputs).
  public func decode(_ codes: SparseCodes, into out: UnsafeMutablePointer<Float>) {
    precondition(
      codes.columns == latents, "SparseAutoencoder.decode: codes over \(codes.columns) latents, not \(latents)")
    decoder.scalars.withUnsafeBufferPointer { w in
      codesTimesDense(out, codes: codes, w.baseAddress!, width: inputs)
    }
    for i in 0..<codes.rows {
      let row = out + i * inputs
      for c in 0..<inputs { row[c] += decoderBias[c] }
    }
  }

  /// The reconstruction of a matrix of rows (rows, inputs).
  public func reconstruct(_ rows: Tensor) -> Tensor {
    let codes = SparseCodes(encode(rows))
    var out = Tensor(zeros: rows.shape)
    out.scalars.withUnsafeMutableBufferPointer { decode(codes, into: $0.baseAddress!) }
    return out
  }
}
