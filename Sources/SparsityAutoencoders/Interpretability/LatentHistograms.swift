// Each latent's activation histogram in one pass: equal bins from 0 to a doubling upper edge.

/// The distribution of one latent's nonzero activations: `counts.count` equal bins from 0 to
/// `upperEdge`, bin i covering [i, i + 1) · upperEdge / bins (the last one closed).
public struct LatentHistogram: Equatable, Sendable {
  /// The upper edge of the last bin: a power of two, at most twice the largest activation.
  public var upperEdge: Float
  /// Activations per bin.
  public var counts: [Int]

  /// The bins' edges, `counts.count + 1` values from 0 to `upperEdge`.
  public var edges: [Double] {
    (0...counts.count).map { Double(upperEdge) * Double($0) / Double(counts.count) }
  }
}

/// The histograms of every latent, built in one streamed pass without knowing the maxima first.
///
/// A latent's range starts at the smallest power of two ≥ its first activation; when a larger
/// activation arrives the range doubles and adjacent bin pairs merge, so the counts stay exact
/// and the final upper edge U satisfies max < U ≤ 2 max (U = max for a power of two). Values ≤ 0
/// fall in the first bin. `bins` must be even. Memory: latents x bins counts.
struct LatentHistograms {
  let latents: Int
  let bins: Int
  private(set) var upperEdges: [Float]
  private(set) var counts: [Int]

  init(latents: Int, bins: Int) {
    precondition(bins >= 2 && bins % 2 == 0, "LatentHistograms: \(bins) bins must be even and at least 2")
    self.latents = latents
    self.bins = bins
    upperEdges = [Float](repeating: 0, count: latents)
    counts = [Int](repeating: 0, count: latents * bins)
  }

  /// Counts `activation` for `latent`.
  mutating func add(latent: Int, activation: Float) {
    let base = latent * bins
    if upperEdges[latent] == 0 {
      upperEdges[latent] = activation > 0 ? Float(sign: .plus, exponent: activation.exponent, significand: 1) : 1
      if upperEdges[latent] < activation { upperEdges[latent] *= 2 }
    }
    while activation > upperEdges[latent] && upperEdges[latent].isFinite {
      for i in 0..<(bins / 2) { counts[base + i] = counts[base + 2 * i] + counts[base + 2 * i + 1] }
      for i in (bins / 2)..<bins { counts[base + i] = 0 }
      upperEdges[latent] *= 2
    }
    let fraction = Double(activation) / Double(upperEdges[latent]) * Double(bins)
    let position = fraction.isFinite ? Swift.min(bins - 1, Swift.max(0, Int(fraction))) : bins - 1
    counts[base + (activation > 0 ? position : 0)] += 1
  }

  /// `latent`'s histogram.
  func histogram(_ latent: Int) -> LatentHistogram {
    let base = latent * bins
    return LatentHistogram(upperEdge: upperEdges[latent], counts: Array(counts[base..<(base + bins)]))
  }
}
