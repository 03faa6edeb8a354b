import SparsityCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Adam with bias correction and optional L2 weight decay coupled to the gradient, with the
/// formulas of `torch.optim.Adam` (amsgrad off).
///
/// For each element, at update t = 1, 2, ... with gradient g and learning rate η:
///
///     g ← g + λ w                                   (L2 weight decay, λ = weightDecay)
///     m ← β₁ m + (1 − β₁) g                         (first moment, m = 0 before t = 1)
///     v ← β₂ v + (1 − β₂) g²                        (second moment, v = 0 before t = 1)
///     w ← w − η / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// ε is added after the bias correction of √v, as in PyTorch (the paper adds it to √v̂ too).
/// With λ > 0 the decay is scaled by the adaptive step like the gradient; `AdamW` decouples it.
///
/// Reference: Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015.
public final class Adam: Optimizer {
  /// The moment estimates of one parameter.
  public struct State {
    /// m, the running mean of the gradient.
    public var firstMoment: Tensor
    /// v, the running mean of the squared gradient.
    public var secondMoment: Tensor

    /// Zero moments of `shape`.
    init(shape: [Int]) {
      firstMoment = Tensor(zeros: shape)
      secondMoment = Tensor(zeros: shape)
    }
  }

  /// β₁, the decay of the first moment.
  public let beta1: Float
  /// β₂, the decay of the second moment.
  public let beta2: Float
  /// ε, added to the denominator for numerical stability.
  public let epsilon: Float
  /// λ, the L2 penalty added to the gradient as λ w.
  public let weightDecay: Float
  public let states = OptimizerStates<State>()

  /// Adam with decays β₁, β₂ in [0, 1), ε > 0 and L2 weight decay λ ≥ 0.
  public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0) {
    AdamCoefficients.check(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay, caller: "Adam")
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
  }

  public func makeState(for parameter: Parameter) -> State { State(shape: parameter.value.shape) }

  /// - Complexity: O(n) for n elements, one pass, no allocation.
  public func update(_ parameter: Parameter, state: inout State, learningRate: Float, step: Int) {
    let coefficients = AdamCoefficients(
      beta1: beta1, beta2: beta2, epsilon: epsilon, l2: weightDecay, learningRate: learningRate, step: step)
    coefficients.apply(to: parameter, state: &state)
  }
}

/// The per-step constants of an Adam update and the element loop shared by `Adam` and `AdamW`.
struct AdamCoefficients {
  let beta1: Float
  let beta2: Float
  let epsilon: Float
  /// λ of the L2 term added to the gradient (0 for AdamW).
  let l2: Float
  /// η / (1 − β₁ᵗ), computed in Double as PyTorch does in Python floats.
  let stepSize: Float
  /// √(1 − β₂ᵗ).
  let secondCorrectionRoot: Float

  init(beta1: Float, beta2: Float, epsilon: Float, l2: Float, learningRate: Float, step: Int) {
    precondition(step >= 1, "Adam: step \(step) must be at least 1")
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.l2 = l2
    let firstCorrection = 1 - pow(Double(beta1), Double(step))
    stepSize = Float(Double(learningRate) / firstCorrection)
    secondCorrectionRoot = Float((1 - pow(Double(beta2), Double(step))).squareRoot())
  }

  static func check(beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float, caller: String) {
    precondition(beta1 >= 0 && beta1 < 1, "\(caller): beta1 \(beta1) must be in [0, 1)")
    precondition(beta2 >= 0 && beta2 < 1, "\(caller): beta2 \(beta2) must be in [0, 1)")
    precondition(epsilon > 0 && epsilon.isFinite, "\(caller): epsilon \(epsilon) must be positive")
    precondition(
      weightDecay >= 0 && weightDecay.isFinite, "\(caller): weight decay \(weightDecay) must be finite and non-negative"
    )
  }

  /// One Adam update of `parameter` and its moments, in place.
  func apply(to parameter: Parameter, state: inout Adam.State) {
    let count = parameter.value.count
    precondition(state.firstMoment.count == count, "Adam: '\(parameter.name)' changed size since its first step")
    parameter.value.scalars.withUnsafeMutableBufferPointer { w in
      parameter.gradient.scalars.withUnsafeBufferPointer { g in
        state.firstMoment.scalars.withUnsafeMutableBufferPointer { m in
          state.secondMoment.scalars.withUnsafeMutableBufferPointer { v in
            guard count > 0 else { return }
            let (wp, mp, vp, gp) = (w.baseAddress!, m.baseAddress!, v.baseAddress!, g.baseAddress!)
            // Large tensors are split over the cores: the update is bound by memory traffic.
            Parallel.forEachChunk(of: count, minimumChunk: 1 << 15) { range in
              let start = range.lowerBound
              update(wp + start, mp + start, vp + start, gp + start, count: range.count)
            }
          }
        }
      }
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
