// One latent's share of the fused backward pass and Adam update: its gradients made and applied
// while its rows of W_enc, W_dec and their moments are in cache.
import SparsityCore

/// The latent-major (transposed) codes of a batch as raw pointers: latent j's entries are
/// `offsets[j] ..< offsets[j + 1]`, each a row of the batch (`rows`) and its code value.
struct LatentColumns {
  let offsets: UnsafePointer<Int>
  let rows: UnsafePointer<Int32>
  let values: UnsafePointer<Float>
  /// ∂L/∂x̂ (or ∂L/∂ê for AuxK), (batch rows, width): what these codes reconstructed.
  let outputGradient: UnsafePointer<Float>
}

/// Per-thread scratch rows of the fused pass: W_dec[j]'s and W_enc[j]'s gradients (width each)
/// and ∂L/∂pre at latent j's entries (up to the batch's rows each, main and AuxK codes).
struct LatentScratch {
  let decoderGradient: UnsafeMutablePointer<Float>
  let encoderGradient: UnsafeMutablePointer<Float>
  let values: UnsafeMutablePointer<Float>
  let auxValues: UnsafeMutablePointer<Float>

  /// Scalars needed for rows of `width` and a batch of `rows` rows.
  static func count(width: Int, rows: Int) -> Int { 2 * width + 2 * Swift.max(1, rows) }

  init(_ base: UnsafeMutablePointer<Float>, width: Int, rows: Int) {
    decoderGradient = base
    encoderGradient = base + width
    values = base + 2 * width
    auxValues = base + 2 * width + Swift.max(1, rows)
  }
}

/// The rows one fused pass reads and writes (see `SAEGradient.backwardAndUpdate`), and the
/// work for one latent.
struct SAELatentUpdate {
  /// The encoder's input x − b_dec, (rows, width).
  let centered: UnsafePointer<Float>
  let codes: LatentColumns
  /// AuxK's codes of the dead latents, when AuxK ran.
  let auxCodes: LatentColumns?
  let encoder: UnsafeMutablePointer<Float>
  let decoder: UnsafeMutablePointer<Float>
  let encoderMoments: (first: UnsafeMutablePointer<Float>, second: UnsafeMutablePointer<Float>)
  let decoderMoments: (first: UnsafeMutablePointer<Float>, second: UnsafeMutablePointer<Float>)
  /// ∂L/∂b_enc, (latents), written.
  let encoderBiasGradient: UnsafeMutablePointer<Float>
  let width: Int
  let adam: AdamStep
  let unitNormDecoder: Bool
  /// λ / rows of the norm-weighted L1 objective, nil for the others.
  let l1Scale: Float?

  /// Latent j: ∂L/∂pre at its entries, the gradients of W_dec[j], W_enc[j] and b_enc[j], then
  /// Adam on W_dec[j] (tangent gradient, then renormalized, when `unitNormDecoder`) and W_enc[j].
  /// Adds ∂L/∂b_enc[j] · W_enc[j] (before its update) into `decoderBiasTerm`; returns the
  /// latent's L1 term (0 without L1).
  func update(latent j: Int, scratch s: LatentScratch, decoderBiasTerm: UnsafeMutablePointer<Float>) -> Double {
    let d = width
    let (w, e) = (decoder + j * d, encoder + j * d)
    let count = gradients(of: j, codes, values: s.values, decoderGradient: s.decoderGradient, accumulate: false)
    let term = l1Scale.map { l1Terms(latent: j, count: count, scale: $0, scratch: s) } ?? 0
    let auxCount =
      auxCodes.map { gradients(of: j, $0, values: s.auxValues, decoderGradient: s.decoderGradient, accumulate: true) }
      ?? 0
    var biasGradient: Float = 0
    let start = codes.offsets[j]
    addWeightedRows(
      s.encoderGradient, rows: centered, indices: codes.rows + start, weights: s.values, count: count, width: d,
      accumulate: false)
    for q in 0..<count { biasGradient += s.values[q] }
    if let aux = auxCodes, auxCount > 0 {
      addWeightedRows(
        s.encoderGradient, rows: centered, indices: aux.rows + aux.offsets[j], weights: s.auxValues, count: auxCount,
        width: d, accumulate: true)
      for q in 0..<auxCount { biasGradient += s.auxValues[q] }
    }
    encoderBiasGradient[j] = biasGradient
    if biasGradient != 0 { addScaledRow(decoderBiasTerm, scale: biasGradient, e, width: d) }
    if unitNormDecoder { removeParallelComponent(s.decoderGradient, along: w, width: d) }
    adam.apply(
      weights: w, gradient: s.decoderGradient, firstMoment: decoderMoments.first + j * d,
      secondMoment: decoderMoments.second + j * d, count: d)
    if unitNormDecoder { normalizeRow(w, width: d) }
    adam.apply(
      weights: e, gradient: s.encoderGradient, firstMoment: encoderMoments.first + j * d,
      secondMoment: encoderMoments.second + j * d, count: d)
    return term
  }

  /// For latent j's entries in `columns`: values[q] = ∂L/∂x̂_b · W_dec[j] (∂L/∂pre at them) and
  /// W_dec[j]'s gradient Σ_q z_q ∂L/∂x̂_b (=, or += when `accumulate`). Returns the entries.
  private func gradients(
    of j: Int, _ columns: LatentColumns, values: UnsafeMutablePointer<Float>,
    decoderGradient: UnsafeMutablePointer<Float>, accumulate: Bool
  ) -> Int {
    let (start, count) = (columns.offsets[j], columns.offsets[j + 1] - columns.offsets[j])
    dotsWithRows(
      values, decoder + j * width, rows: columns.outputGradient, indices: columns.rows + start, count: count,
      width: width)
    addWeightedRows(
      decoderGradient, rows: columns.outputGradient, indices: columns.rows + start, weights: columns.values + start,
      count: count, width: width, accumulate: accumulate)
    return count
  }

  /// The norm-weighted L1 term λ/B Σ_b z_bj ||W_dec[j]|| of latent j: adds its gradient to the
  /// values (λ/B ||W_dec[j]||) and to W_dec[j]'s (λ/B Σ_b z_bj W_dec[j] / ||W_dec[j]||); returns it.
  private func l1Terms(latent j: Int, count: Int, scale: Float, scratch s: LatentScratch) -> Double {
    let row = decoder + j * width
    var index: Int32 = 0
    var squared: Float = 0
    dotsWithRows(&squared, row, rows: row, indices: &index, count: 1, width: width)
    let norm = squared.squareRoot()
    let z = codes.values + codes.offsets[j]
    var (term, codeSum) = (0.0, Float(0))
    for q in 0..<count {
      term += Double(z[q] * norm)
      codeSum += z[q]
      s.values[q] += scale * norm
    }
    if codeSum != 0 && norm > 0 { addScaledRow(s.decoderGradient, scale: scale * codeSum / norm, row, width: width) }
    return Double(scale) * term
  }
}
