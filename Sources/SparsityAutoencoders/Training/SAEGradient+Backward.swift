// The backward pass of one batch: every gradient from the active latents alone.
import Foundation
import SparsityCore

extension SAEGradient {
  /// The gradients into `g`, after `forward`; workspace.output holds ∂L/∂x̂ and, when AuxK
  /// ran, workspace.auxOutput holds ∂L/∂ê. The sparsity terms are means over `normalizingRows`
  /// (the whole batch's rows when these `rows` are one part of it; by default `rows`).
  mutating func backward(
    _ p: SAEParameters, rows: Int, normalizingRows: Int? = nil, loss: inout SAEBatchLoss, into g: inout SAEParameters
  ) {
    let d = inputs
    let batchRows = normalizingRows ?? rows
    workspace.codes.transposed(into: &workspace.transposed)
    g.decoder.withUnsafeMutableBufferPointer { gd in
      workspace.output.withUnsafeBufferPointer { dx in
        codesTimesDense(gd.baseAddress!, codes: workspace.transposed, dx.baseAddress!, width: d)
      }
    }
    let nonzeros = workspace.codes.nonzeroCount
    Self.sampledByLatent(
      workspace.transposed, workspace.output, p.decoder, width: d, scratch: &workspace.latentMajorValues,
      into: &workspace.gradientValues)
    switch objective {
    case .l1(let coefficient):
      loss.sparsityTerm = l1Terms(p, coefficient: coefficient, rows: batchRows, into: &g)
    case .jumpReLU(let coefficient, let bandwidth):
      loss.sparsityTerm = Double(coefficient) * Double(nonzeros) / Double(Swift.max(1, batchRows))
      thresholdGradient(p, coefficient: coefficient, bandwidth: bandwidth, rows: batchRows, into: &g.logThresholds)
    case .topK, .batchTopK: break
    }
    for j in 0..<latents { g.encoderBias[j] = 0 }
    let centered = workspace.centered
    Self.encoderTerms(
      codes: &workspace.transposed, values: workspace.gradientValues, centered, width: d, accumulate: false, into: &g)
    for q in 0..<nonzeros { g.encoderBias[Int(workspace.codes.indices[q])] += workspace.gradientValues[q] }
    if workspace.auxActive {
      workspace.auxCodes.transposed(into: &workspace.auxTransposed)
      g.decoder.withUnsafeMutableBufferPointer { gd in
        workspace.auxOutput.withUnsafeBufferPointer { de in
          codesTimesDense(gd.baseAddress!, codes: workspace.auxTransposed, de.baseAddress!, width: d, accumulate: true)
        }
      }
      Self.sampledByLatent(
        workspace.auxTransposed, workspace.auxOutput, p.decoder, width: d, scratch: &workspace.latentMajorValues,
        into: &workspace.auxGradientValues)
      Self.encoderTerms(
        codes: &workspace.auxTransposed, values: workspace.auxGradientValues, centered, width: d, accumulate: true,
        into: &g)
      for q in 0..<workspace.auxCodes.nonzeroCount {
        g.encoderBias[Int(workspace.auxCodes.indices[q])] += workspace.auxGradientValues[q]
      }
    }
    biasTerms(p, rows: rows, into: &g)
  }

  /// The same products as `sampled(at:)` for the codes whose latent-major form is
  /// `transposed`, computed latent by latent (each decoder row read once, the rows of `a` from
  /// cache) and put back in the codes' row-major order.
  private static func sampledByLatent(
    _ transposed: SparseCodes, _ a: [Float], _ decoder: [Float], width: Int, scratch: inout [Float],
    into values: inout [Float]
  ) {
    let count = transposed.nonzeroCount
    if scratch.count < count { scratch = [Float](repeating: 0, count: count) }
    if values.count < count { values = [Float](repeating: 0, count: count) }
    scratch.withUnsafeMutableBufferPointer { t in
      a.withUnsafeBufferPointer { a in
        decoder.withUnsafeBufferPointer { w in
          sampledRowProducts(t.baseAddress!, codes: transposed, w.baseAddress!, a.baseAddress!, width: width)
        }
      }
      values.withUnsafeMutableBufferPointer { v in
        for q in 0..<count { v[Int(transposed.sourcePositions[q])] = t[q] }
      }
    }
  }

  /// values[q] = a[row of q] · decoder[latent of q] at the codes' entries.
  private func sampled(at codes: SparseCodes, _ a: [Float], _ decoder: [Float], into values: inout [Float]) {
    if values.count < codes.nonzeroCount { values = [Float](repeating: 0, count: codes.nonzeroCount) }
    values.withUnsafeMutableBufferPointer { v in
      a.withUnsafeBufferPointer { a in
        decoder.withUnsafeBufferPointer { w in
          sampledRowProducts(v.baseAddress!, codes: codes, a.baseAddress!, w.baseAddress!, width: inputs)
        }
      }
    }
  }

  /// ∂L/∂W_enc (=, or += when `accumulate`) Σ_b ∂L/∂pre_bj (x_b − b_dec) at the transposed
  /// codes' entries; `centered` holds the rows x_b − b_dec (rows, width).
  private static func encoderTerms(
    codes: inout SparseCodes, values: [Float], _ centered: [Float], width: Int, accumulate: Bool,
    into g: inout SAEParameters
  ) {
    codes.gatherTransposed(values)
    let codes = codes
    g.encoder.withUnsafeMutableBufferPointer { ge in
      centered.withUnsafeBufferPointer { c in
        codesTimesDense(ge.baseAddress!, codes: codes, c.baseAddress!, width: width, accumulate: accumulate)
      }
    }
  }

  /// ∂L/∂b_dec = Σ_b ∂L/∂x̂_b − W_encᵀ ∂L/∂b_enc (the encoder's input is x − b_dec).
  private func biasTerms(_ p: SAEParameters, rows: Int, into g: inout SAEParameters) {
    let d = inputs
    for c in 0..<d { g.decoderBias[c] = 0 }
    workspace.output.withUnsafeBufferPointer { dx in
      g.decoderBias.withUnsafeMutableBufferPointer { gb in
        for b in 0..<rows { for c in 0..<d { gb[c] += dx[b * d + c] } }
      }
    }
    p.encoder.withUnsafeBufferPointer { w in
      g.encoderBias.withUnsafeBufferPointer { ge in
        g.decoderBias.withUnsafeMutableBufferPointer { gb in
          BLAS.gemv(
            gb.baseAddress!, w.baseAddress!, ge.baseAddress!, rows: latents, columns: d, transpose: true, alpha: -1,
            beta: 1)
        }
      }
    }
  }

  /// The norm-weighted L1 term λ/B Σ_b Σ_j z_bj ||W_dec[j]||: adds its gradient to the code's
  /// (workspace.gradientValues) and to W_dec's, and returns its value.
  private mutating func l1Terms(_ p: SAEParameters, coefficient: Float, rows: Int, into g: inout SAEParameters)
    -> Double
  {
    let (d, scale) = (inputs, coefficient / Float(Swift.max(1, rows)))
    var norms = [Float](repeating: 0, count: latents)
    var codeSums = [Float](repeating: 0, count: latents)
    for j in 0..<latents {
      var total: Float = 0
      for c in 0..<d { total += p.decoder[j * d + c] * p.decoder[j * d + c] }
      norms[j] = total.squareRoot()
    }
    var term = 0.0
    for q in 0..<workspace.codes.nonzeroCount {
      let j = Int(workspace.codes.indices[q])
      let z = workspace.codes.values[q]
      term += Double(z * norms[j])
      codeSums[j] += z
      workspace.gradientValues[q] += scale * norms[j]
    }
    for j in 0..<latents where codeSums[j] != 0 && norms[j] > 0 {
      let factor = scale * codeSums[j] / norms[j]
      for c in 0..<d { g.decoder[j * d + c] += factor * p.decoder[j * d + c] }
    }
    return Double(scale) * term
  }

  /// JumpReLU's threshold gradient by the straight-through estimator: for each pre-activation
  /// within bandwidth / 2 of θ_j, ∂z/∂θ_j = −θ_j / ε and ∂L0/∂θ_j = −1 / ε (rectangle kernel);
  /// the gradient of log θ_j is θ_j times that of θ_j.
  mutating func thresholdGradient(
    _ p: SAEParameters, coefficient: Float, bandwidth: Float, rows: Int, into gradient: inout [Float]
  ) {
    let window = workspace.window
    var nearGradient = [Float]()
    sampled(at: window, workspace.output, p.decoder, into: &nearGradient)
    let l0Slope = -coefficient / (Float(Swift.max(1, rows)) * bandwidth)
    var thresholdGradient = [Float](repeating: 0, count: latents)
    for q in 0..<window.nonzeroCount {
      let j = Int(window.indices[q])
      let theta = Foundation.exp(p.logThresholds[j])
      thresholdGradient[j] += nearGradient[q] * (-theta / bandwidth) + l0Slope
    }
    for j in 0..<latents { gradient[j] = thresholdGradient[j] * Foundation.exp(p.logThresholds[j]) }
  }
}
