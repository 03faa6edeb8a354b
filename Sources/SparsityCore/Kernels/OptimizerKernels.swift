// The element loops of the optimizers: one Adam update and the SGD updates, with the formulas
// of PyTorch's `torch.optim.Adam` and `torch.optim.SGD` (dampening 0). `SparsityNN`'s optimizers
// keep the per-parameter state and call these on their arrays.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The per-step constants of one Adam update, and the update itself.
///
/// For each element, at update t = 1, 2, ... with gradient g and learning rate η:
///
///     g ← g + λ w                                   (L2 term, λ = l2; 0 for AdamW)
///     m ← m + (1 − β₁)(g − m)                       (torch's lerp_ form of β₁ m + (1 − β₁) g)
///     v ← β₂ v + (1 − β₂) g²
///     w ← w − η / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// Reference: Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015.
public struct AdamStep: Sendable {
  /// β₁, the decay of the first moment.
  public let beta1: Float
  /// β₂, the decay of the second moment.
  public let beta2: Float
  /// ε, added to the denominator after the bias correction of √v.
  public let epsilon: Float
  /// λ of the L2 term added to the gradient (0 for AdamW).
  public let l2: Float
  /// η / (1 − β₁ᵗ), computed in Double as PyTorch does in Python floats.
  public let stepSize: Float
  /// √(1 − β₂ᵗ).
  public let secondCorrectionRoot: Float

  /// The constants of update number `step` (1 for the first) at learning rate η.
  public init(beta1: Float, beta2: Float, epsilon: Float, l2: Float, learningRate: Float, step: Int) {
    precondition(step >= 1, "Adam: step \(step) must be at least 1")
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.l2 = l2
    let firstCorrection = 1 - pow(Double(beta1), Double(step))
    stepSize = Float(Double(learningRate) / firstCorrection)
    secondCorrectionRoot = Float((1 - pow(Double(beta2), Double(step))).squareRoot())
  }

  /// One Adam update of `weights` and its moments m and v, in place; all four have n entries.
  ///
  /// Sixteen lanes at a time (√v by `vectorSquareRoot`, within 2 ulp of `squareRoot()`), then
  /// the tail element by element; tensors of 32768 entries and more are split over the cores,
  /// as the update is bound by memory traffic.
  /// - Complexity: O(n), one pass, no allocation.
  public func apply(
    weights: inout [Float], gradient: [Float], firstMoment: inout [Float], secondMoment: inout [Float]
  ) {
    let count = weights.count
    precondition(
      gradient.count == count && firstMoment.count == count && secondMoment.count == count,
      "AdamStep: \(count) weights, \(gradient.count) gradients, \(firstMoment.count) and \(secondMoment.count) moments")
    guard count > 0 else { return }
    weights.withUnsafeMutableBufferPointer { w in
      gradient.withUnsafeBufferPointer { g in
        firstMoment.withUnsafeMutableBufferPointer { m in
          secondMoment.withUnsafeMutableBufferPointer { v in
            let (wp, mp, vp, gp) = (w.baseAddress!, m.baseAddress!, v.baseAddress!, g.baseAddress!)
            Parallel.forEachChunk(of: count, minimumChunk: 1 << 15) { range in
              let start = range.lowerBound
              update(wp + start, mp + start, vp + start, gp + start, count: range.count)
            }
          }
        }
      }
    }
  }

  /// Reference twin of `apply`: the scalar formulas one element at a time, √v by `squareRoot()`.
  public func applyReference(
    weights: inout [Float], gradient: [Float], firstMoment: inout [Float], secondMoment: inout [Float]
  ) {
    for i in weights.indices {
      let g = gradient[i] + l2 * weights[i]
      let mean = firstMoment[i] + (1 - beta1) * (g - firstMoment[i])
      let square = beta2 * secondMoment[i] + (1 - beta2) * g * g
      firstMoment[i] = mean
      secondMoment[i] = square
      weights[i] -= stepSize * (mean / (square.squareRoot() / secondCorrectionRoot + epsilon))
    }
  }

  // w, m, v and g are (count)
  private func update(
    _ w: UnsafeMutablePointer<Float>, _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>,
    _ g: UnsafePointer<Float>, count: Int
  ) {
    let (oneMinusBeta1, oneMinusBeta2) = (1 - beta1, 1 - beta2)
    // 16 lanes at a time (the compiler does not vectorize the scalar loop by itself), then the tail.
    let vectorCount = count & ~15
    let (b2, l2v) = (SIMD16<Float>(repeating: beta2), SIMD16<Float>(repeating: l2))
    let (c1, c2) = (SIMD16<Float>(repeating: oneMinusBeta1), SIMD16<Float>(repeating: oneMinusBeta2))
    let (root, eps, size) = (
      SIMD16<Float>(repeating: secondCorrectionRoot), SIMD16<Float>(repeating: epsilon),
      SIMD16<Float>(repeating: stepSize)
    )
    func load(_ p: UnsafePointer<Float>, _ i: Int) -> SIMD16<Float> {
      UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
    }
    func store(_ value: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, _ i: Int) {
      UnsafeMutableRawPointer(p + i).storeBytes(of: value, as: SIMD16<Float>.self)
    }
    var i = 0
    while i < vectorCount {
      let weight = load(w, i)
      let gradient = load(g, i) + l2v * weight
      let oldMean = load(m, i)
      let mean = oldMean + c1 * (gradient - oldMean)
      let square = b2 * load(v, i) + c2 * gradient * gradient
      store(mean, m, i)
      store(square, v, i)
      let denominator = vectorSquareRoot(square) / root + eps
      store(weight - size * (mean / denominator), w, i)
      i += 16
    }
    while i < count {
      let gradient = g[i] + l2 * w[i]
      let mean = m[i] + oneMinusBeta1 * (gradient - m[i])  // torch's lerp_ form of β₁m + (1−β₁)g
      let square = beta2 * v[i] + oneMinusBeta2 * gradient * gradient
      m[i] = mean
      v[i] = square
      let denominator = square.squareRoot() / secondCorrectionRoot + epsilon
      w[i] -= stepSize * (mean / denominator)
      i += 1
    }
  }
}

/// sqrt(x) for non-negative x, 16 lanes at a time, to within 2 ulp.
///
/// Swift's `squareRoot()` keeps a libm call for negative inputs (errno), which stops the
/// compiler from vectorizing any loop that uses it. This is x * rsqrt(x), with rsqrt from the
/// classic bit-level estimate refined by three Newton steps y <- y (3 - x y^2) / 2 (relative
/// error 3.4e-2, 1.8e-3, 4.7e-6, then float rounding); zeros stay zero.
/// - Complexity: O(1), 16 lanes.
@inline(__always)
func vectorSquareRoot(_ x: SIMD16<Float>) -> SIMD16<Float> {
  let bits = SIMD16<UInt32>(repeating: 0x5F37_59DF) &- (unsafeBitCast(x, to: SIMD16<UInt32>.self) &>> 1)
  var y = unsafeBitCast(bits, to: SIMD16<Float>.self)
  let half = SIMD16<Float>(repeating: 0.5) * x
  let threeHalves = SIMD16<Float>(repeating: 1.5)
  y = y * (threeHalves - half * y * y)
  y = y * (threeHalves - half * y * y)
  y = y * (threeHalves - half * y * y)
  return (x * y).replacing(with: 0, where: x .== 0)
}

/// One plain SGD update in place, weight decay coupled to the gradient:
///
///     w ← w − η (g + λ w)
///
/// Shapes: `weights` and `gradient` are (n).
/// - Complexity: O(n), no allocation.
public func sgdStep(weights: inout [Float], gradient: [Float], learningRate: Float, weightDecay: Float) {
  precondition(gradient.count == weights.count, "sgdStep: \(weights.count) weights, \(gradient.count) gradients")
  weights.withUnsafeMutableBufferPointer { ws in
    gradient.withUnsafeBufferPointer { gs in
      guard let w = ws.baseAddress, let g = gs.baseAddress else { return }
      for i in 0..<ws.count {
        w[i] -= learningRate * (g[i] + weightDecay * w[i])
      }
    }
  }
}

/// Reference twin of `sgdStep`: the same formula, indexing the arrays.
public func sgdStepReference(weights: inout [Float], gradient: [Float], learningRate: Float, weightDecay: Float) {
  for i in weights.indices { weights[i] = weights[i] - learningRate * (gradient[i] + weightDecay * weights[i]) }
}

/// One SGD update with momentum (or Nesterov momentum) in place, as `torch.optim.SGD`:
///
///     g ← g + λ w,   b ← μ b + g,   d ← g + μ b if nesterov else b,   w ← w − η d
///
/// Shapes: `weights`, `momentumBuffer` and `gradient` are (n); b is 0 before the first step.
/// - Complexity: O(n), no allocation.
public func sgdMomentumStep(
  weights: inout [Float], momentumBuffer: inout [Float], gradient: [Float], learningRate: Float, momentum: Float,
  nesterov: Bool, weightDecay: Float
) {
  let count = weights.count
  precondition(
    gradient.count == count && momentumBuffer.count == count,
    "sgdMomentumStep: \(count) weights, \(momentumBuffer.count) buffer entries, \(gradient.count) gradients")
  weights.withUnsafeMutableBufferPointer { ws in
    momentumBuffer.withUnsafeMutableBufferPointer { bs in
      gradient.withUnsafeBufferPointer { gs in
        guard let w = ws.baseAddress, let b = bs.baseAddress, let g = gs.baseAddress else { return }
        for i in 0..<count {
          let gradient = g[i] + weightDecay * w[i]
          let buffer = momentum * b[i] + gradient
          b[i] = buffer
          let direction = nesterov ? gradient + momentum * buffer : buffer
          w[i] -= learningRate * direction
        }
      }
    }
  }
}

/// Reference twin of `sgdMomentumStep`: the same formulas, indexing the arrays.
public func sgdMomentumStepReference(
  weights: inout [Float], momentumBuffer: inout [Float], gradient: [Float], learningRate: Float, momentum: Float,
  nesterov: Bool, weightDecay: Float
) {
  for i in weights.indices {
    let g = gradient[i] + weightDecay * weights[i]
    momentumBuffer[i] = momentum * momentumBuffer[i] + g
    let direction = nesterov ? g + momentum * momentumBuffer[i] : momentumBuffer[i]
    weights[i] = weights[i] - learningRate * direction
  }
}
