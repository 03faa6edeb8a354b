import SparsityTestSupport
import SparsityCore

@testable import SparsityNN

/// Finite-difference checks for the gradients of penalties (regularizer tests only).
enum RegularizerGradientCheck {
  /// dF/dx by central differences, element by element, in Double: (F(x + h) − F(x − h)) / (2h),
  /// with the actual Float step in the denominator.
  static func numericalGradient(at x: Tensor, step: Float, of penalty: (Tensor) -> Float) -> [Double] {
    var probe = x
    return (0..<x.count).map { i in
      let (plus, minus) = (x.scalars[i] + step, x.scalars[i] - step)
      probe.scalars[i] = plus
      let high = Double(penalty(probe))
      probe.scalars[i] = minus
      let low = Double(penalty(probe))
      probe.scalars[i] = x.scalars[i]
      return (high - low) / (Double(plus) - Double(minus))
    }
  }

  /// max |analytic − numeric| / max |numeric| (the absolute error when numeric is all zero).
  static func relativeError(_ analytic: Tensor, _ numeric: [Double]) -> Double {
    precondition(analytic.count == numeric.count, "relativeError: \(analytic.count) and \(numeric.count) elements")
    var difference = 0.0
    var scale = 0.0
    for (a, n) in zip(analytic.scalars, numeric) {
      difference = max(difference, abs(Double(a) - n))
      scale = max(scale, abs(n))
    }
    return scale == 0 ? difference : difference / scale
  }

  /// A (rows, columns) matrix uniform in ±[low, high], with a seeded random sign: values
  /// bounded away from zero, where |x| is differentiable.
  static func awayFromZero(_ rows: Int, _ columns: Int, low: Float, high: Float, seed: UInt64) -> Tensor {
    var generator = Xoshiro256StarStar(seed: seed)
    let magnitudes = Tensor.uniform(shape: [rows, columns], in: low...high, using: &generator)
    return magnitudes.map { generator.next() & 1 == 0 ? $0 : -$0 }
  }
}
