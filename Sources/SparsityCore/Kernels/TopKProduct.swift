// The top k of each row of a product x Wᵀ + b without the whole product in float32: a product
// in bfloat16 ranks the entries, and only those that can belong to a row's top k are
// recomputed in float32, so the codes are exactly those of the float32 product.
import CSparsityKernels
import Foundation

/// Each row's k largest positive entries of x Wᵀ + b as sparse codes, exactly as
/// `topKOfProductReference` gives them (`selectTopKCodes` of the float32 product computed by
/// `dotsWithRows`), from a product in bfloat16 where the CPU multiplies bfloat16 pairs
/// (`KernelInstructionSet.bfloat16Products`): twice the multiply-adds per instruction of
/// float32, which halves the cost of a sparse autoencoder's encoder. Elsewhere `select` runs the
/// reference.
///
/// Why the codes are exact: rounding to bfloat16 changes x_i · w_j by at most
///
///     δ_ij = ||e_i|| (||w̃_j|| + ||ε_j||) + ||x̃_i|| ||ε_j|| + γ (||x̃_i|| + ||e_i||)(||w̃_j|| + ||ε_j||) · 2
///
/// (Cauchy–Schwarz on x · w − x̃ · w̃ = e · w + x̃ · ε, where x̃ and w̃ are the rounded rows, e and ε
/// their rounding errors, whose norms are measured while packing, and γ = d·2⁻²⁴/(1 − d·2⁻²⁴)
/// bounds the float32 sums of both products). Let δ_i bound δ_ij over j and T be the k-th largest
/// approximate entry of row i. The k entries whose approximations reach T are each at least
/// T − δ_i exactly, so the k-th largest exact entry E is too, and every entry of the exact top k
/// (at least E) has an approximation of at least T − 2δ_i; every positive entry has one above
/// −δ_i. Only the entries whose approximations reach max(T, 0) − 2δ_i (less a float32 rounding
/// slack) are recomputed, and the top k among them is the row's top k, ties included. A row whose
/// bound is not finite is recomputed whole.
public struct TopKProduct: Sendable {
  /// Entries recomputed in float32 by the last `select`, over all rows (at least rows · k with
  /// bfloat16, rows · latents without): how many candidates the bound let through.
  public private(set) var recomputed = 0
  var panel: [UInt32] = []
  var weightNorms: [Double] = []
  var packedRows: [UInt32] = []
  var rowNorms: [Double] = []
  var counts: [Int] = []

  public init() {}

  /// codes = each row's k largest positive entries of x Wᵀ + b (see the type's description).
  ///
  /// Shapes: `x` is (rows, width), `weights` (latents, width), both row-major; `bias` has
  /// `latents` entries. `bfloat16: false` runs the reference (the float32 product whole).
  /// - Complexity: O(rows · latents · width) multiply-adds in bfloat16, plus O(width) per
  ///   recomputed entry.
  public mutating func select(
    _ x: UnsafePointer<Float>, rows: Int, weights: UnsafePointer<Float>, latents: Int, width: Int,
    bias: UnsafePointer<Float>?, k: Int, into codes: inout SparseCodes,
    bfloat16: Bool = KernelInstructionSet.bfloat16Products, isa: KernelInstructionSet = .active
  ) {
    precondition(
      k > 0 && rows >= 0 && latents >= 0 && width >= 0, "TopKProduct: k \(k), \(rows) x \(latents) x \(width)")
    guard bfloat16, rows > 0, latents > 0, width > 0 else {
      topKOfProductReference(
        x, rows: rows, weights: weights, latents: latents, width: width, bias: bias, k: k, into: &codes, isa: isa)
      recomputed = rows * latents
      return
    }
    pack(x, rows: rows, weights: weights, latents: latents, width: width)
    refine(x, rows: rows, weights: weights, latents: latents, width: width, bias: bias, k: k, into: &codes, isa: isa)
  }

  /// Rows per block: a block's approximate rows (48 x latents floats, 590 KB at 3,072 latents)
  /// stay in the core's cache from the product to the selection, and the weights' panel is read
  /// once per block.
  static let blockRows = 48

  /// The rows and the weights in bfloat16, with their norms.
  mutating func pack(_ x: UnsafePointer<Float>, rows: Int, weights: UnsafePointer<Float>, latents: Int, width: Int) {
    let (pairs, groups) = ((width + 1) / 2, (latents + 15) / 16)
    if panel.count != groups * 16 * pairs { panel = [UInt32](repeating: 0, count: groups * 16 * pairs) }
    if weightNorms.count != 2 * latents { weightNorms = [Double](repeating: 0, count: 2 * latents) }
    if packedRows.count < rows * pairs { packedRows = [UInt32](repeating: 0, count: rows * pairs) }
    if rowNorms.count < 2 * rows { rowNorms = [Double](repeating: 0, count: 2 * rows) }
    panel.withUnsafeMutableBufferPointer { panel in
      weightNorms.withUnsafeMutableBufferPointer { norms in
        let (panel, norms) = (panel.baseAddress!, norms.baseAddress!)
        Parallel.forEachChunk(of: groups) { range in
          Scratch.withBuffer(of: UInt32.self, count: pairs) { scratch in
            sparsity_bf16_pack_panel(
              panel, norms, weights, Int64(latents), Int64(width), Int64(pairs), Int64(range.lowerBound),
              Int64(range.upperBound), scratch)
          }
        }
      }
    }
    packedRows.withUnsafeMutableBufferPointer { out in
      rowNorms.withUnsafeMutableBufferPointer { norms in
        let (out, norms) = (out.baseAddress!, norms.baseAddress!)
        Parallel.forEachChunk(of: rows, minimumChunk: 16) { range in
          sparsity_bf16_pack_rows(
            out + range.lowerBound * pairs, norms + 2 * range.lowerBound, x + range.lowerBound * width, Int64(width),
            Int64(range.count), Int64(width), Int64(pairs))
        }
      }
    }
  }

  /// out (count, latents) = the bfloat16 product of packed rows first ..< first + count (+ bias).
  func approximateProduct(
    _ out: UnsafeMutablePointer<Float>, first: Int, count: Int, latents: Int, width: Int,
    bias: UnsafePointer<Float>?
  ) {
    Self.approximateProduct(
      out, packedRows: packedRows, panel: panel, first: first, count: count, latents: latents, width: width, bias: bias)
  }

  /// `approximateProduct` from the packed rows and panel themselves (for the blocks, which run
  /// on several threads while this value's other buffers are written).
  static func approximateProduct(
    _ out: UnsafeMutablePointer<Float>, packedRows: [UInt32], panel: [UInt32], first: Int, count: Int, latents: Int,
    width: Int, bias: UnsafePointer<Float>?
  ) {
    let (pairs, groups) = ((width + 1) / 2, (latents + 15) / 16)
    packedRows.withUnsafeBufferPointer { a in
      panel.withUnsafeBufferPointer { b in
        sparsity_bf16_product(
          out, Int64(latents), a.baseAddress! + first * pairs, Int64(count), Int64(pairs), b.baseAddress!,
          Int64(latents), 0, Int64(groups), bias)
      }
    }
  }

  /// Per block of rows: the approximate product; then per row the approximate top k, the
  /// candidates the bound lets through, their float32 entries, and the top k of those.
  private mutating func refine(
    _ x: UnsafePointer<Float>, rows: Int, weights: UnsafePointer<Float>, latents n: Int, width: Int,
    bias: UnsafePointer<Float>?, k: Int, into codes: inout SparseCodes, isa: KernelInstructionSet
  ) {
    let kept = Swift.min(k, n)
    codes.reset(rows: rows, columns: n, capacity: rows * kept)
    if counts.count < rows { counts = [Int](repeating: 0, count: rows) }
    // The largest norms of the weights' rows and rounding errors, and of the bias.
    var (weightNorm, errorNorm) = (0.0, 0.0)
    for j in 0..<n {
      weightNorm = Swift.max(weightNorm, weightNorms[2 * j] + weightNorms[2 * j + 1])
      errorNorm = Swift.max(errorNorm, weightNorms[2 * j + 1])
    }
    var biasMagnitude = 0.0
    if let bias { for j in 0..<n { biasMagnitude = Swift.max(biasMagnitude, Double(Swift.abs(bias[j]))) } }
    let unit = 0x1p-24
    let gamma = Double(width) * unit / (1 - Double(width) * unit)
    let capacity = Swift.max(64, 4 * kept)
    let spare = Swift.max(capacity, n)
    let blockRows = Self.blockRows
    let (packedRows, panel) = (self.packedRows, self.panel)
    codes.offsets.withUnsafeMutableBufferPointer { offsets in
      codes.indices.withUnsafeMutableBufferPointer { indices in
        codes.values.withUnsafeMutableBufferPointer { values in
          rowNorms.withUnsafeBufferPointer { rowNorms in
            counts.withUnsafeMutableBufferPointer { counts in
              let (o, ix, v) = (offsets.baseAddress!, indices.baseAddress!, values.baseAddress!)
              let (rowNorms, counts) = (rowNorms.baseAddress!, counts.baseAddress!)
              Parallel.forEachChunk(of: (rows + blockRows - 1) / blockRows) { blocks in
                Scratch.withBuffer(of: Int32.self, count: capacity + n) { ints in
                  Scratch.withBuffer(of: Float.self, count: 2 * capacity + spare + 2 * n + blockRows * n) { floats in
                    let (candidateIndices, chosen) = (ints, ints + capacity)
                    let (topValues, scratch) = (floats + capacity, floats + 2 * capacity)
                    let (maxima, exact) = (scratch + spare, scratch + spare + n)
                    let approximate = exact + n
                    for block in blocks {
                      let first = block * blockRows
                      let count = Swift.min(blockRows, rows - first)
                      Self.approximateProduct(
                        approximate, packedRows: packedRows, panel: panel, first: first, count: count, latents: n,
                        width: width, bias: bias)
                      for i in first..<(first + count) {
                        let row = approximate + (i - first) * n
                        let (out, outValues) = (ix + i * kept, v + i * kept)
                        // The approximate top k: its k-th value is T (0 when fewer than k are positive).
                        let top = Int(
                          sparsity_topk_row(
                            isa.rawValue, out, topValues, row, nil, Int64(n), Int64(kept), candidateIndices, floats,
                            scratch, maxima, Int64(capacity)))
                        var threshold = 0.0
                        if top == kept {
                          threshold = Double(topValues[0])
                          for q in 1..<Swift.max(1, top) { threshold = Swift.min(threshold, Double(topValues[q])) }
                        }
                        let (rounded, error) = (rowNorms[2 * i], rowNorms[2 * i + 1])
                        let delta =
                          error * weightNorm + rounded * errorNorm + 2 * gamma * (rounded + error) * weightNorm
                        let slack = 4 * unit * (threshold + 2 * delta + biasMagnitude) + Double(width) * 0x1p-125
                        let bound = threshold - 2 * delta - slack
                        var candidates: Int
                        if bound.isFinite, Swift.abs(bound) < Double(Float.greatestFiniteMagnitude) {
                          // Entries strictly above a float at or below the bound.
                          var limit = Float(bound)
                          if Double(limit) >= bound { limit = limit.nextDown }
                          candidates = Int(
                            sparsity_select_row(isa.rawValue, chosen, exact, row, nil, limit, 0, 0, Int64(n)))
                        } else {
                          for j in 0..<n { chosen[j] = Int32(j) }
                          candidates = n
                        }
                        dotsWithRows(
                          exact, x + i * width, rows: weights, indices: chosen, count: candidates, width: width,
                          isa: isa)
                        if let bias { for p in 0..<candidates { exact[p] += bias[Int(chosen[p])] } }
                        let got = Int(
                          sparsity_topk_row(
                            isa.rawValue, out, outValues, exact, nil, Int64(candidates), Int64(kept), candidateIndices,
                            floats, scratch, maxima, Int64(capacity)))
                        for p in 0..<got { out[p] = chosen[Int(out[p])] }
                        o[i + 1] = got
                        counts[i] = candidates
                      }
                    }
                  }
                }
              }
              compact(offsets: o, indices: ix, values: v, rows: rows, stride: kept)
            }
          }
        }
      }
    }
    recomputed = counts[0..<rows].reduce(0, +)
  }
}

/// Reference twin of `TopKProduct.select`: the float32 product x Wᵀ + b row by row
/// (`dotsWithRows` with every latent, then the bias), and `selectTopKCodes` of it.
public func topKOfProductReference(
  _ x: UnsafePointer<Float>, rows: Int, weights: UnsafePointer<Float>, latents: Int, width: Int,
  bias: UnsafePointer<Float>?, k: Int, into codes: inout SparseCodes, isa: KernelInstructionSet = .active
) {
  var product = [Float](repeating: 0, count: rows * latents)
  let all = (0..<latents).map { Int32($0) }
  product.withUnsafeMutableBufferPointer { product in
    all.withUnsafeBufferPointer { all in
      let (product, all) = (product.baseAddress!, all.baseAddress!)
      Parallel.forEachChunk(of: rows) { range in
        for i in range {
          dotsWithRows(
            product + i * latents, x + i * width, rows: weights, indices: all, count: latents, width: width, isa: isa)
          if let bias { for j in 0..<latents { product[i * latents + j] += bias[j] } }
        }
      }
    }
  }
  product.withUnsafeBufferPointer {
    selectTopKCodes($0.baseAddress!, rows: rows, columns: latents, k: k, into: &codes, isa: isa)
  }
}
