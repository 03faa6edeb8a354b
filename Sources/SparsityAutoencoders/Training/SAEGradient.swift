// One batch of sparse-autoencoder training: forward pass, loss and gradients, touching only
// the active latents after the encoder's dense product.
import Foundation
import SparsityCore

/// The loss of one batch and its parts.
public struct SAEBatchLoss: Equatable, Sendable {
  /// Fraction of variance unexplained: Σ ||x − x̂||² / Σ ||x − x̄||².
  public var fvu: Double
  /// AuxK's FVU of the residual by the dead latents (0 when none are dead or AuxK is off).
  public var auxFVU: Double
  /// Mean active latents per row.
  public var l0: Double
  /// The objective's sparsity term (L1 or λ · L0), 0 for TopK and BatchTopK.
  public var sparsityTerm: Double
  /// The loss minimized: fvu + auxCoefficient · auxFVU + sparsityTerm.
  public var total: Double
  /// BatchTopK: the smallest value kept in this batch.
  public var smallestKept: Float
  /// False when the batch's rows do not vary (one row, or all the same): its FVU is then the
  /// squared error itself (the variance taken as 1 so the loss stays finite), not a fraction.
  public var rowsVary = true
}

/// Sums over the rows of a batch (or of one part of it) that the loss needs, in Double: added
/// part by part, in part order, they give the whole batch's (`SAETrainer.step(parts:)`).
struct SAEBatchSums: Equatable {
  var rows = 0.0
  /// Σ ||x_b||², Σ ||x̂_b − x_b||², Σ x_b.
  var squares = 0.0
  var squaredError = 0.0
  var columnSums: [Double]
  /// Active latents over the rows.
  var nonzeros = 0.0
  /// AuxK, over e = x − x̂: Σ ||e_b||², Σ ||ê_b − e_b||², Σ e_b (zero when AuxK did not run).
  var auxSquares = 0.0
  var auxSquaredError = 0.0
  var auxColumnSums: [Double]

  init(inputs: Int) {
    columnSums = [Double](repeating: 0, count: inputs)
    auxColumnSums = columnSums
  }

  /// Σ ||x_b − x̄||², as computed (0 or a rounding below it when the rows do not vary).
  private var centeredSquares: Double { squares - columnSums.reduce(0) { $0 + $1 * $1 } / Swift.max(1, rows) }

  /// True when Σ ||x_b − x̄||² > 0.
  var rowsVary: Bool { centeredSquares > 0 }

  /// Σ ||x_b − x̄||² (1 when the rows have no variance, so the loss stays finite).
  var variance: Double {
    let value = centeredSquares
    return value > 0 ? value : 1
  }

  /// Σ ||e_b − ē||² (1 when zero).
  var auxVariance: Double {
    let value = auxSquares - auxColumnSums.reduce(0) { $0 + $1 * $1 } / Swift.max(1, rows)
    return value > 0 ? value : 1
  }

  /// The sums as one vector, for adding across processes.
  var flattened: [Double] {
    [rows, squares, squaredError, nonzeros, auxSquares, auxSquaredError] + columnSums + auxColumnSums
  }

  /// Sums from `flattened`'s layout.
  init(flattened v: [Double], inputs d: Int) {
    (rows, squares, squaredError, nonzeros, auxSquares, auxSquaredError) = (v[0], v[1], v[2], v[3], v[4], v[5])
    columnSums = Array(v[6..<(6 + d)])
    auxColumnSums = Array(v[(6 + d)..<(6 + 2 * d)])
  }
}

/// Scratch buffers of a training step, kept from step to step.
struct SAEWorkspace {
  var pre: [Float] = []
  /// The batch minus b_dec, the encoder's input (rows, inputs).
  var centered: [Float] = []
  var output: [Float] = []
  var auxOutput: [Float] = []
  var auxPre: [Float] = []
  var gradientValues: [Float] = []
  var auxGradientValues: [Float] = []
  var latentMajorValues: [Float] = []
  var codes: SparseCodes
  var transposed: SparseCodes
  var auxCodes: SparseCodes
  var auxTransposed: SparseCodes
  var window: SparseCodes
  /// The fused update's per-block sums of W_encᵀ ∂L/∂b_enc (`SAEGradient.backwardAndUpdate`).
  var blockTerms: [Float] = []
  /// Σ_b (x̂_b − x_b) over the batch, and the factor 2 / variance that makes x̂ − x into ∂L/∂x̂.
  var residualSums: [Double] = []
  var outputGradientScale: Float = 0
  var auxActive = false
  /// The bias still to add to `pre` (nil when it holds it already).
  var preBias: [Float]?
  /// TopK's encoder in bfloat16 where the CPU has it (`TopKProduct`); `pre` then holds only
  /// approximations, so AuxK computes the dead latents' pre-activations itself.
  var topKProduct = TopKProduct()
  var preIsApproximate = false

  init(latents: Int) {
    codes = SparseCodes(columns: latents)
    transposed = SparseCodes(columns: 0)
    auxCodes = SparseCodes(columns: 0)
    auxTransposed = SparseCodes(columns: 0)
    window = SparseCodes(columns: latents)
  }

  mutating func reserve(rows: Int, latents: Int, inputs: Int) {
    if pre.count < rows * latents { pre = [Float](repeating: 0, count: rows * latents) }
    if output.count < rows * inputs {
      output = [Float](repeating: 0, count: rows * inputs)
      auxOutput = output
      centered = output
    }
  }
}

/// The forward and backward pass of one batch.
///
/// With x the batch (rows, inputs), the pass computes pre = (x − b_dec) W_encᵀ + b_enc,
/// the code z, x̂ = z W_dec + b_dec, the loss (`SAEBatchLoss`) and every parameter's gradient:
///
///     ∂L/∂x̂ = 2 (x̂ − x) / Σ||x − x̄||²
///     ∂L/∂W_dec[j] = Σ_b z_bj ∂L/∂x̂_b                  (only active (b, j))
///     ∂L/∂pre_bj  = ∂L/∂x̂_b · W_dec[j]                  (only active (b, j))
///     ∂L/∂W_enc[j] = Σ_b ∂L/∂pre_bj (x_b − b_dec),  ∂L/∂b_enc[j] = Σ_b ∂L/∂pre_bj
///     ∂L/∂b_dec = Σ_b ∂L/∂x̂_b − W_encᵀ ∂L/∂b_enc
///
/// AuxK adds the same terms for the top k_aux dead latents reconstructing the residual
/// e = x − x̂ (treated as a constant). After the dense product, each term costs
/// O(nonzeros · inputs).
struct SAEGradient {
  let objective: SAEObjective
  let latents: Int
  let inputs: Int
  var auxK: Int
  var auxCoefficient: Float
  var workspace: SAEWorkspace

  init(objective: SAEObjective, latents: Int, inputs: Int, auxK: Int, auxCoefficient: Float) {
    self.objective = objective
    self.latents = latents
    self.inputs = inputs
    self.auxK = auxK
    self.auxCoefficient = auxCoefficient
    workspace = SAEWorkspace(latents: latents)
  }

  /// The loss of `rows` rows of `x` and the gradient of every parameter into `g`. `dead`
  /// lists the dead latents (ascending) for AuxK.
  mutating func compute(
    _ p: SAEParameters, batch x: UnsafePointer<Float>, rows: Int, dead: [Int32], into g: inout SAEParameters
  ) -> SAEBatchLoss {
    var loss = lossAndOutputGradient(p, batch: x, rows: rows, dead: dead)
    backward(p, rows: rows, loss: &loss, into: &g)
    loss.total = loss.fvu + Double(auxCoefficient) * loss.auxFVU + loss.sparsityTerm
    return loss
  }

  /// Everything before the backward pass: the forward pass, the FVU, AuxK's forward pass when
  /// latents are dead, and ∂L/∂x̂ (and ∂L/∂ê) in the workspace. The loss's sparsity term and
  /// total are still to come.
  mutating func lossAndOutputGradient(
    _ p: SAEParameters, batch x: UnsafePointer<Float>, rows: Int, dead: [Int32]
  ) -> SAEBatchLoss {
    var loss = SAEBatchLoss(fvu: 0, auxFVU: 0, l0: 0, sparsityTerm: 0, total: 0, smallestKept: 0)
    let sums = forwardSums(p, batch: x, rows: rows, dead: dead, loss: &loss)
    finishLoss(sums, loss: &loss)
    return loss
  }

  /// The forward pass of `rows` rows (a batch, or one part of a batch that other processes
  /// share): the code, x̂ − x in workspace.output and, when AuxK runs, the residual of the
  /// residual in workspace.auxOutput, both unscaled; returns the sums over these rows that the
  /// loss needs over the whole batch.
  ///
  /// With `keepingAbove` (BatchTopK over a batch that other processes share), the
  /// pre-activations are those `batchPreActivations` left, and the code keeps the entries above
  /// that bound (the batch's threshold) instead of selecting its own.
  mutating func forwardSums(
    _ p: SAEParameters, batch x: UnsafePointer<Float>, rows: Int, dead: [Int32], loss: inout SAEBatchLoss,
    keepingAbove bound: Float? = nil
  ) -> SAEBatchSums {
    if let bound {
      workspace.pre.withUnsafeBufferPointer {
        selectCodes($0.baseAddress!, rows: rows, columns: latents, above: nil, threshold: bound, into: &workspace.codes)
      }
      decode(workspace.codes, p.decoder, bias: p.decoderBias, into: &workspace.output, rows: rows)
    } else {
      workspace.reserve(rows: rows, latents: latents, inputs: inputs)
      forward(p, x, rows: rows, loss: &loss)
    }
    // workspace.output becomes x̂ − x, and later ∂L/∂x̂ = 2 (x̂ − x) / variance.
    var sums = residual(x, rows: rows)
    sums.nonzeros = Double(workspace.codes.nonzeroCount)
    workspace.auxActive = objective.usesAuxK && !dead.isEmpty && rows > 0 && auxK > 0
    if workspace.auxActive { auxiliaryForward(p, x, rows: rows, dead: dead, into: &sums) }
    return sums
  }

  /// The loss from the sums over the whole batch, and ∂L/∂x̂ (∂L/∂ê) scaled in the workspace.
  mutating func finishLoss(_ sums: SAEBatchSums, loss: inout SAEBatchLoss) {
    let variance = sums.variance
    loss.fvu = sums.squaredError / variance
    loss.rowsVary = sums.rowsVary
    workspace.outputGradientScale = Float(2 / variance)
    loss.l0 = sums.rows > 0 ? sums.nonzeros / sums.rows : 0
    let rows = workspace.codes.rows
    if workspace.auxActive {
      let auxVariance = sums.auxVariance
      loss.auxFVU = sums.auxSquaredError / auxVariance
      scale(&workspace.auxOutput, count: rows * inputs, by: Float(2 * Double(auxCoefficient) / auxVariance))
    }
    scale(&workspace.output, count: rows * inputs, by: workspace.outputGradientScale)
  }

  /// Rows per block of the batch-wide sums: each block sums apart, in Double, and blocks are
  /// added in order, so the sums do not depend on the thread count.
  static let sumBlock = 64

  /// Replaces workspace.output (x̂) by x̂ − x and returns the sums Σ_b ||x_b||², Σ_b x_b and
  /// Σ_b ||x̂_b − x_b||², in Double; keeps Σ_b (x̂_b − x_b) in workspace.residualSums.
  private mutating func residual(_ x: UnsafePointer<Float>, rows: Int) -> SAEBatchSums {
    let d = inputs
    let blocks = (rows + Self.sumBlock - 1) / Self.sumBlock
    // Per block: Σ ||x_b||², Σ ||x̂_b − x_b||², the d column sums of x, then those of x̂ − x.
    var partials = [Double](repeating: 0, count: blocks * (2 * d + 2))
    workspace.output.withUnsafeMutableBufferPointer { out in
      partials.withUnsafeMutableBufferPointer { partials in
        let (out, partials) = (out.baseAddress!, partials.baseAddress!)
        Parallel.forEachChunk(of: blocks) { range in
          for block in range {
            let sums = partials + block * (2 * d + 2)
            for b in (block * Self.sumBlock)..<Swift.min(rows, (block + 1) * Self.sumBlock) {
              let (row, target) = (out + b * d, x + b * d)
              sums[0] += Double(sumOfSquares(target, count: d))
              sums[1] += Double(sumOfSquares(row, minus: target, count: d))
              for c in 0..<d {
                sums[2 + c] += Double(target[c])
                row[c] -= target[c]
                sums[2 + d + c] += Double(row[c])
              }
            }
          }
        }
      }
    }
    var result = SAEBatchSums(inputs: d)
    result.rows = Double(rows)
    workspace.residualSums = [Double](repeating: 0, count: d)
    for block in 0..<blocks {
      let sums = block * (2 * d + 2)
      result.squares += partials[sums]
      result.squaredError += partials[sums + 1]
      for c in 0..<d {
        result.columnSums[c] += partials[sums + 2 + c]
        workspace.residualSums[c] += partials[sums + 2 + d + c]
      }
    }
    return result
  }

  /// pre, the code and x̂ into the workspace.
  private mutating func forward(_ p: SAEParameters, _ x: UnsafePointer<Float>, rows: Int, loss: inout SAEBatchLoss) {
    let bias = p.encoderBias
    centerBatch(x, bias: p.decoderBias, rows: rows)
    let (n, d) = (latents, inputs)
    workspace.preBias = bias
    workspace.preIsApproximate = false
    if case .topK(let k) = objective, KernelInstructionSet.bfloat16Products {
      workspace.centered.withUnsafeBufferPointer { c in
        p.encoder.withUnsafeBufferPointer { w in
          bias.withUnsafeBufferPointer { b in
            workspace.topKProduct.select(
              c.baseAddress!, rows: rows, weights: w.baseAddress!, latents: n, width: d, bias: b.baseAddress!, k: k,
              into: &workspace.codes)
          }
        }
      }
      workspace.preIsApproximate = true
    } else {
      selectFromProduct(p, rows: rows, loss: &loss)
    }
    decode(workspace.codes, p.decoder, bias: p.decoderBias, into: &workspace.output, rows: rows)
  }

  /// BatchTopK over a batch that other processes share: the pre-activations of these rows,
  /// (x − b_dec) W_encᵀ + b_enc, left in the workspace for the batch's threshold to be found
  /// (`PartReduction.largest`) and for `forwardSums(keepingAbove:)` to select from.
  mutating func batchPreActivations(_ p: SAEParameters, batch x: UnsafePointer<Float>, rows: Int) {
    workspace.reserve(rows: rows, latents: latents, inputs: inputs)
    centerBatch(x, bias: p.decoderBias, rows: rows)
    workspace.preIsApproximate = false
    product(p, rows: rows, addingBias: true)
  }

  /// pre = centered W_encᵀ in float32, + b_enc when `addingBias` (else `preBias` remembers it).
  private mutating func product(_ p: SAEParameters, rows: Int, addingBias: Bool) {
    let (n, d) = (latents, inputs)
    workspace.preBias = addingBias ? nil : p.encoderBias
    workspace.pre.withUnsafeMutableBufferPointer { pre in
      let pre = pre.baseAddress!
      p.encoder.withUnsafeBufferPointer { w in
        workspace.centered.withUnsafeBufferPointer { c in
          parallelGEMM(pre, c.baseAddress!, w.baseAddress!, m: rows, n: n, k: d, transposeB: true)
        }
      }
      guard addingBias else { return }
      p.encoderBias.withUnsafeBufferPointer { c in
        let c = c.baseAddress!
        Parallel.forEachChunk(of: rows, minimumChunk: Self.sumBlock) { range in
          for b in range { for j in 0..<n { pre[b * n + j] += c[j] } }
        }
      }
    }
  }

  /// pre = centered W_encᵀ (+ b_enc) in float32, and the code selected from it.
  private mutating func selectFromProduct(_ p: SAEParameters, rows: Int, loss: inout SAEBatchLoss) {
    let n = latents
    if case .topK(let k) = objective {
      // The bias is added inside the selection, sparing a pass over the pre-activations.
      product(p, rows: rows, addingBias: false)
      workspace.pre.withUnsafeMutableBufferPointer { pre in
        p.encoderBias.withUnsafeBufferPointer {
          selectTopKCodes(pre.baseAddress!, rows: rows, columns: n, k: k, bias: $0.baseAddress!, into: &workspace.codes)
        }
      }
      return
    }
    product(p, rows: rows, addingBias: true)
    workspace.pre.withUnsafeMutableBufferPointer { pre in
      let pre = pre.baseAddress!
      switch objective {
      case .l1: selectCodes(pre, rows: rows, columns: n, above: nil, into: &workspace.codes)
      case .topK: preconditionFailure("handled above")
      case .batchTopK(let k):
        loss.smallestKept = selectBatchTopKCodes(pre, rows: rows, columns: n, k: k, into: &workspace.codes)
      case .jumpReLU(_, let bandwidth):
        let thresholds = p.logThresholds.map { Foundation.exp($0) }
        thresholds.withUnsafeBufferPointer { t in
          selectCodes(pre, rows: rows, columns: n, above: t.baseAddress!, into: &workspace.codes)
          selectNearThresholds(
            pre, rows: rows, columns: n, thresholds: t.baseAddress!, halfWidth: bandwidth / 2, into: &workspace.window)
        }
      }
    }
  }

  /// workspace.centered = x − b_dec, row by row.
  private mutating func centerBatch(_ x: UnsafePointer<Float>, bias: [Float], rows: Int) {
    let d = inputs
    workspace.centered.withUnsafeMutableBufferPointer { centered in
      bias.withUnsafeBufferPointer { bias in
        let (centered, bias) = (centered.baseAddress!, bias.baseAddress!)
        Parallel.forEachChunk(of: rows, minimumChunk: Self.sumBlock) { range in
          for b in range { for c in 0..<d { centered[b * d + c] = x[b * d + c] - bias[c] } }
        }
      }
    }
  }

  /// out = codes W_dec (+ bias per row).
  private func decode(_ codes: SparseCodes, _ decoder: [Float], bias: [Float]?, into out: inout [Float], rows: Int) {
    out.withUnsafeMutableBufferPointer { o in
      decoder.withUnsafeBufferPointer { w in
        codesTimesDense(o.baseAddress!, codes: codes, w.baseAddress!, width: inputs)
      }
      guard let bias else { return }
      for b in 0..<rows { for c in 0..<inputs { o[b * inputs + c] += bias[c] } }
    }
  }

  /// AuxK's forward pass: the top k_aux dead latents of each row reconstruct the residual
  /// e = x − x̂ (workspace.output holds x̂ − x); auxOutput becomes the residual of the residual
  /// ê − e by the top k_aux dead latents (unscaled); adds Σ ||e||², Σ e and Σ ||ê − e||² to `sums`.
  private mutating func auxiliaryForward(
    _ p: SAEParameters, _ x: UnsafePointer<Float>, rows: Int, dead: [Int32], into sums: inout SAEBatchSums
  ) {
    let (n, d, deadCount) = (latents, inputs, dead.count)
    if workspace.auxPre.count < rows * deadCount { workspace.auxPre = [Float](repeating: 0, count: rows * deadCount) }
    workspace.pre.withUnsafeBufferPointer { pre in
      workspace.auxPre.withUnsafeMutableBufferPointer { aux in
        // The pre-activations of the dead latents, bias included (added here when the selection
        // of the code added it on the fly).
        let bias = workspace.preBias.map { b in dead.map { b[Int($0)] } } ?? [Float](repeating: 0, count: deadCount)
        if workspace.preIsApproximate {
          workspace.centered.withUnsafeBufferPointer { c in
            p.encoder.withUnsafeBufferPointer { w in
              Self.deadPreActivations(
                aux.baseAddress!, c.baseAddress!, w.baseAddress!, inputs: d, rows: rows, dead: dead, bias: bias)
            }
          }
        } else {
          for b in 0..<rows { for q in 0..<deadCount { aux[b * deadCount + q] = pre[b * n + Int(dead[q])] + bias[q] } }
        }
        selectTopKCodes(
          aux.baseAddress!, rows: rows, columns: deadCount, k: Swift.min(auxK, deadCount), into: &workspace.auxCodes)
      }
    }
    // Name the latents by their index among all latents.
    workspace.auxCodes.renameColumns(dead, columns: n)
    decode(workspace.auxCodes, p.decoder, bias: nil, into: &workspace.auxOutput, rows: rows)
    // e = −(x̂ − x); residual of the residual: ê − e = auxOutput + output.
    for b in 0..<rows {
      for c in 0..<d {
        let e = -Double(workspace.output[b * d + c])
        sums.auxColumnSums[c] += e
        sums.auxSquares += e * e
        let r = workspace.auxOutput[b * d + c] + workspace.output[b * d + c]
        sums.auxSquaredError += Double(r * r)
        workspace.auxOutput[b * d + c] = r
      }
    }
  }

  /// aux[b, q] = centered_b · W_enc[dead[q]] + bias[q] in float32, row by row.
  private static func deadPreActivations(
    _ aux: UnsafeMutablePointer<Float>, _ centered: UnsafePointer<Float>, _ encoder: UnsafePointer<Float>,
    inputs d: Int,
    rows: Int, dead: [Int32], bias: [Float]
  ) {
    let deadCount = dead.count
    dead.withUnsafeBufferPointer { dead in
      let dead = dead.baseAddress!
      Parallel.forEachChunk(of: rows, minimumChunk: sumBlock) { range in
        for b in range {
          let row = aux + b * deadCount
          dotsWithRows(row, centered + b * d, rows: encoder, indices: dead, count: deadCount, width: d)
          for q in 0..<deadCount { row[q] += bias[q] }
        }
      }
    }
  }

  private func scale(_ values: inout [Float], count: Int, by factor: Float) {
    values.withUnsafeMutableBufferPointer { v in
      let v = v.baseAddress!
      Parallel.forEachChunk(of: count, minimumChunk: 1 << 15) { range in for e in range { v[e] *= factor } }
    }
  }
}
