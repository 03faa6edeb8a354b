// Masks of the training step: drawing a dropout mask and holding pruned weights at zero.

/// Fills `mask` with a fresh inverted-dropout mask, one uniform draw per entry, in order:
///
///     mask[i] = 0 if u_i < p, else 1 / (1 − p),    u_i = generator.nextUnitFloat()
///
/// so that x * mask keeps the expected value of x. The same generator state gives the same mask.
/// - Complexity: O(n), one random draw per entry, no allocation.
public func drawDropoutMask(_ mask: inout [Float], probability: Float, using generator: inout Xoshiro256StarStar) {
  let (p, scale) = (probability, 1 / (1 - probability))
  var local = generator
  mask.withUnsafeMutableBufferPointer { ms in
    for i in ms.indices { ms[i] = local.nextUnitFloat() < p ? 0 : scale }
  }
  generator = local
}

/// Reference twin of `drawDropoutMask`: the same draws, straight from `generator`.
public func drawDropoutMaskReference(
  _ mask: inout [Float], probability: Float, using generator: inout Xoshiro256StarStar
) {
  for i in mask.indices { mask[i] = generator.nextUnitFloat() < probability ? 0 : 1 / (1 - probability) }
}

/// Sets the values whose `keep` flag is false to +0.0; the others are left unchanged:
///
///     x[i] = keep[i] ? x[i] : 0
///
/// The select is branch-free, so the loop vectorizes.
/// - Complexity: O(n), no allocation.
public func zeroUnkept(_ values: inout [Float], keep: [Bool]) {
  precondition(keep.count == values.count, "zeroUnkept: \(keep.count) flags for \(values.count) values")
  keep.withUnsafeBufferPointer { keep in
    values.withUnsafeMutableBufferPointer { x in
      for i in x.indices { x[i] = keep[i] ? x[i] : 0 }
    }
  }
}

/// Reference twin of `zeroUnkept`: writes only the pruned positions.
public func zeroUnkeptReference(_ values: inout [Float], keep: [Bool]) {
  precondition(keep.count == values.count, "zeroUnkept: \(keep.count) flags for \(values.count) values")
  for i in values.indices where !keep[i] { values[i] = 0 }
}
