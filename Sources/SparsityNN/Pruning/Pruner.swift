import SparsityCore

/// Prunes the `Linear` and `Conv2d` weights of a network (inside residual blocks too) and keeps
/// the pruned weights at exactly zero.
///
/// Only weight matrices and filters are pruned, never biases or batch-norm scales. N:M groups
/// run along the inputs of a `Linear` row and along the input channels of a `Conv2d` filter
/// (`NMPruning`). `prune(toSparsity:)` computes new masks
/// (N:M first when the pattern asks for it, then magnitude pruning over the pattern's survivors,
/// intersected with the current masks so that masks only grow) and zeroes the pruned weights.
/// During training, call `maskGradients()` before each optimizer step, so that momentum and
/// Adam's moments of pruned weights decay instead of growing, and `applyMasks()` after it
/// (and after any proximal step), so that whatever the optimizer state does, a pruned weight is
/// exactly 0 again before the next forward pass.
public final class Pruner {
  /// Indices in the network of the layers holding pruned weights (a residual block's index for
  /// the convolutions inside it), one per weight, in order.
  public let layerIndices: [Int]
  /// The pruned weights: (outputFeatures, inputFeatures) of a `Linear`, (out, in / groups, kernel
  /// rows, kernel columns) of a `Conv2d`.
  public let weights: [Parameter]
  /// How the magnitude ranking spans the layers.
  public let scope: PruningScope
  /// The arrangement of zeros.
  public let pattern: PruningPattern
  /// One mask per weight; all-keeping until the first `prune`.
  public private(set) var masks: [PruningMask]

  /// A pruner for every `Linear` and `Conv2d` layer of `model`.
  public init(model: Sequential, scope: PruningScope = .global, pattern: PruningPattern = .unstructured) {
    if case .nOfM(let n, let m) = pattern { precondition(n >= 1 && n < m, "Pruner: need 1 <= N < M, got \(n):\(m)") }
    let pruned = model.layers.enumerated().flatMap { index, layer in
      Self.prunableWeights(of: layer).map { (index, $0) }
    }
    layerIndices = pruned.map(\.0)
    weights = pruned.map(\.1)
    self.scope = scope
    self.pattern = pattern
    masks = weights.map { PruningMask(keepingAll: $0.value.shape) }
  }

  /// The weights of `layer` that pruning applies to: a `Linear`'s or `Conv2d`'s weight, those
  /// of the layers inside a residual block, in order.
  public static func prunableWeights(of layer: Layer) -> [Parameter] {
    switch layer {
    case let linear as Linear: return [linear.weight]
    case let conv as Conv2d: return [conv.weight]
    default: return layer.sublayers.flatMap { $0.layers.flatMap(prunableWeights(of:)) }
    }
  }

  /// Grows the masks to `sparsity` (in [0, 1); see `MagnitudePruning` for the count and the
  /// ties) and zeroes the pruned weights. A sparsity below the current one prunes nothing more.
  /// - Complexity: O(N) expected for N weights (O(N · M) with an N:M pattern).
  public func prune(toSparsity sparsity: Double) {
    let values = weights.map(\.value)
    var allowed = masks
    if case .nOfM(let n, let m) = pattern {
      allowed = values.indices.map {
        NMPruning.mask(for: values[$0], n: n, m: m, previous: masks[$0]).intersection(masks[$0])
      }
    }
    let magnitude = MagnitudePruning.masks(for: values, sparsity: sparsity, scope: scope, previous: allowed)
    masks = zip(magnitude, allowed).map { $0.intersection($1) }
    applyMasks()
  }

  /// Sets every pruned weight to exactly 0. O(N), no allocation.
  public func applyMasks() {
    for (weight, mask) in zip(weights, masks) { mask.apply(to: &weight.value) }
  }

  /// Sets the gradient of every pruned weight to 0. O(N), no allocation.
  public func maskGradients() {
    for (weight, mask) in zip(weights, masks) {
      weight.materializeGradient()
      mask.apply(to: &weight.gradient)
    }
  }

  /// The fraction of all pruned layers' weights that the masks prune.
  public var sparsity: Double {
    let total = masks.reduce(0) { $0 + $1.count }
    return total == 0 ? 0 : Double(masks.reduce(0) { $0 + $1.prunedCount }) / Double(total)
  }
}
