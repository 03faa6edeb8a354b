// The step of a shift-invariant matching pursuit (SparsityCoding's `ShiftInvariantPursuit`):
// subtract a scaled row from the correlations a spike changes and find the largest magnitude
// left, in one pass; C micro-kernels per instruction set (CSparsityKernels/MaximumMagnitude.c).
import CSparsityKernels

/// x[j] -= a w[j] for j < count, returning the largest |x[j]| of the new values (0 when count
/// is 0). On AVX2 and AVX-512 the product and difference are fused (one rounding, FMA); the
/// baseline rounds the product first, as the reference twin does.
///
/// Shapes: x and w hold `count` values each, unaligned is fine.
/// - Complexity: O(count), one pass over x and w: for a pursuit on a long signal, memory-bound.
public func subtractScaledReturningMaximumMagnitude(
  _ x: UnsafeMutablePointer<Float>, _ a: Float, _ w: UnsafePointer<Float>, count: Int,
  isa: KernelInstructionSet = .active
) -> Float {
  sparsity_subtract_scaled_max(isa.rawValue, x, a, w, Int64(count))
}

/// Reference twin of `subtractScaledReturningMaximumMagnitude`: one value at a time, the
/// product rounded before the subtraction.
public func subtractScaledReturningMaximumMagnitudeReference(
  _ x: UnsafeMutablePointer<Float>, _ a: Float, _ w: UnsafePointer<Float>, count: Int
) -> Float {
  var best: Float = 0
  for j in 0..<count {
    let product = a * w[j]
    x[j] = x[j] - product
    best = Swift.max(best, abs(x[j]))
  }
  return best
}

/// The largest |x[j]| over j < count (0 when count is 0), vectorized per instruction set.
/// - Complexity: O(count).
public func maximumMagnitude(_ x: UnsafePointer<Float>, count: Int, isa: KernelInstructionSet = .active) -> Float {
  sparsity_max_magnitude(isa.rawValue, x, Int64(count))
}

/// Reference twin of `maximumMagnitude`.
public func maximumMagnitudeReference(_ x: UnsafePointer<Float>, count: Int) -> Float {
  (0..<count).reduce(Float(0)) { Swift.max($0, abs(x[$1])) }
}
