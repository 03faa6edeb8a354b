// The backward pass fused with the optimizer step: latent by latent, each row's gradient is made
// and applied while the row is in cache, and the full-size gradients are never stored.
import Foundation
import SparsityCore

extension SAEGradient {
  /// Latents per block of the fused pass. Each block sums its share of W_encᵀ ∂L/∂b_enc apart
  /// and the blocks' sums are added in block order, so results do not depend on the thread count.
  static let updateBlock = 32

  /// The backward pass and one Adam update, after `lossAndOutputGradient`.
  ///
  /// For each latent j (`SAELatentUpdate`): ∂L/∂pre at its active rows, the gradients of W_dec[j],
  /// W_enc[j] and b_enc[j], then Adam on W_dec[j] (its gradient made tangent to the unit sphere
  /// first and the row renormalized after, when `unitNormDecoder`) and on W_enc[j]. Then Adam on
  /// b_enc, b_dec and the JumpReLU thresholds. The arithmetic is that of `backward` followed by
  /// the unfused update (`SAETrainer.referenceStep`) except the order of the two sums that make
  /// ∂L/∂b_dec (Σ_b ∂L/∂x̂_b, taken in the residual's pass, and W_encᵀ ∂L/∂b_enc); it reads and writes each parameter row once instead of about five times (gradient, tangent
  /// projection, Adam, renormalization), which is what the update was bound by.
  mutating func backwardAndUpdate(
    _ p: inout SAEParameters, rows: Int, loss: inout SAEBatchLoss, adam: inout SAEAdam,
    learningRate: Float, unitNormDecoder: Bool
  ) {
    let step = adam.nextStep(learningRate: learningRate)
    workspace.codes.transposed(into: &workspace.transposed)
    if workspace.auxActive { workspace.auxCodes.transposed(into: &workspace.auxTransposed) }
    var thresholdGradient = [Float](repeating: 0, count: p.logThresholds.count)
    if case .jumpReLU(let coefficient, let bandwidth) = objective {
      // Reads W_dec before the pass updates it.
      loss.sparsityTerm = Double(coefficient) * Double(workspace.codes.nonzeroCount) / Double(Swift.max(1, rows))
      self.thresholdGradient(p, coefficient: coefficient, bandwidth: bandwidth, rows: rows, into: &thresholdGradient)
    }
    let blocks = (latents + Self.updateBlock - 1) / Self.updateBlock
    var partials: [Float] = []
    swap(&partials, &workspace.blockTerms)
    if partials.count < blocks * inputs { partials = [Float](repeating: 0, count: blocks * inputs) }
    var encoderBiasGradient = [Float](repeating: 0, count: latents)
    let l1Scale: Float? = if case .l1(let c) = objective { c / Float(Swift.max(1, rows)) } else { nil }
    let l1Term = encoderBiasGradient.withUnsafeMutableBufferPointer { biasGradient in
      partials.withUnsafeMutableBufferPointer { partials in
        withLatentUpdate(
          &p, adam: &adam, step: step, encoderBiasGradient: biasGradient.baseAddress!,
          unitNormDecoder: unitNormDecoder, l1Scale: l1Scale
        ) { Self.updateLatents($0, latents: latents, rows: rows, decoderBiasTerms: partials.baseAddress!) }
      }
    }
    if l1Scale != nil { loss.sparsityTerm = l1Term }
    // ∂L/∂b_dec = Σ_b ∂L/∂x̂_b − Σ_blocks (W_encᵀ ∂L/∂b_enc)_block, the first sum taken in the
    // residual's pass.
    let factor = Double(workspace.outputGradientScale)
    var decoderBiasGradient = workspace.residualSums.map { Float($0 * factor) }
    for block in 0..<blocks { for c in 0..<inputs { decoderBiasGradient[c] -= partials[block * inputs + c] } }
    swap(&partials, &workspace.blockTerms)
    adam.updateBiases(
      &p, step: step, encoderBias: encoderBiasGradient, decoderBias: decoderBiasGradient,
      logThresholds: thresholdGradient)
  }

  /// Runs `update` on every latent, blocks of `updateBlock` latents spread over the cores; block
  /// i's share of W_encᵀ ∂L/∂b_enc goes to `decoderBiasTerms[i * width ..< +width]`. Returns the
  /// L1 term, its blocks' sums added in block order.
  private static func updateLatents(
    _ update: SAELatentUpdate, latents: Int, rows: Int, decoderBiasTerms: UnsafeMutablePointer<Float>
  ) -> Double {
    let (d, blocks) = (update.width, (latents + updateBlock - 1) / updateBlock)
    var terms = [Double](repeating: 0, count: blocks)
    terms.withUnsafeMutableBufferPointer { terms in
      let terms = terms.baseAddress!
      Parallel.forEachChunk(of: blocks) { range in
        Scratch.withBuffer(of: Float.self, count: LatentScratch.count(width: d, rows: rows)) { base in
          let scratch = LatentScratch(base, width: d, rows: rows)
          for block in range {
            let partial = decoderBiasTerms + block * d
            partial.update(repeating: 0, count: d)
            var term = 0.0
            for j in (block * updateBlock)..<Swift.min(latents, (block + 1) * updateBlock) {
              term += update.update(latent: j, scratch: scratch, decoderBiasTerm: partial)
            }
            terms[block] = term
          }
        }
      }
    }
    return terms.reduce(0, +)
  }

  /// Calls `body` with the pass's `SAELatentUpdate` over the parameters, moments and codes.
  private func withLatentUpdate(
    _ p: inout SAEParameters, adam: inout SAEAdam, step: AdamStep,
    encoderBiasGradient: UnsafeMutablePointer<Float>, unitNormDecoder: Bool, l1Scale: Float?,
    _ body: (SAELatentUpdate) -> Double
  ) -> Double {
    let codes: SparseCodes? = workspace.transposed
    let auxCodes = workspace.auxActive ? workspace.auxTransposed : nil
    let (centered, output, auxOutput, width) = (workspace.centered, workspace.output, workspace.auxOutput, inputs)
    return p.encoder.withUnsafeMutableBufferPointer { encoder in
      p.decoder.withUnsafeMutableBufferPointer { decoder in
        adam.firstMoment.encoder.withUnsafeMutableBufferPointer { me in
          adam.secondMoment.encoder.withUnsafeMutableBufferPointer { ve in
            adam.firstMoment.decoder.withUnsafeMutableBufferPointer { md in
              adam.secondMoment.decoder.withUnsafeMutableBufferPointer { vd in
                codes.withColumns(gradient: output) { columns in
                  auxCodes.withColumns(gradient: auxOutput) { auxColumns in
                    centered.withUnsafeBufferPointer { centered in
                      body(
                        SAELatentUpdate(
                          centered: centered.baseAddress!, codes: columns!, auxCodes: auxColumns,
                          encoder: encoder.baseAddress!, decoder: decoder.baseAddress!,
                          encoderMoments: (me.baseAddress!, ve.baseAddress!),
                          decoderMoments: (md.baseAddress!, vd.baseAddress!),
                          encoderBiasGradient: encoderBiasGradient, width: width, adam: step,
                          unitNormDecoder: unitNormDecoder, l1Scale: l1Scale))
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}

extension Optional where Wrapped == SparseCodes {
  /// Calls `body` with the codes' `LatentColumns` over `gradient` (nil when there are no codes).
  func withColumns<Result>(gradient: [Float], _ body: (LatentColumns?) -> Result) -> Result {
    guard let codes = self else { return body(nil) }
    return codes.offsets.withUnsafeBufferPointer { o in
      codes.indices.withUnsafeBufferPointer { r in
        codes.values.withUnsafeBufferPointer { v in
          gradient.withUnsafeBufferPointer { g in
            body(
              LatentColumns(
                offsets: o.baseAddress!, rows: r.baseAddress!, values: v.baseAddress!, outputGradient: g.baseAddress!))
          }
        }
      }
    }
  }
}
