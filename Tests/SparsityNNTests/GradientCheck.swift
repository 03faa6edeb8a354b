import SparsityTestSupport
import SparsityCore

@testable import SparsityNN

/// Finite-difference checks of analytic gradients, shared by the layer, loss and network tests.
///
/// Central differences on Float32 values, with the loss accumulated in Double:
///   dL/dx_i ~= (L(x + h e_i) - L(x - h e_i)) / (x_i^+ - x_i^-),
/// where x_i^+ and x_i^- are the perturbed values as actually stored in Float (so rounding of
/// the step does not bias the quotient). The error is O(h^2) plus Float rounding of L / h.
enum GradientCheck {
  /// The default step: large enough that Float rounding stays well under 1e-3 relative.
  static let epsilon: Float = 1e-2

  /// max |analytic - numeric| / max |numeric| (the max-norm relative error); the absolute
  /// difference when `numeric` is all zero.
  static func relativeError(_ analytic: Tensor, _ numeric: Tensor) -> Double {
    precondition(analytic.shape == numeric.shape, "GradientCheck: shapes \(analytic.shape) and \(numeric.shape)")
    var difference = 0.0
    var scale = 0.0
    for i in 0..<analytic.count {
      difference = max(difference, abs(Double(analytic.scalars[i]) - Double(numeric.scalars[i])))
      scale = max(scale, abs(Double(numeric.scalars[i])))
    }
    return scale == 0 ? difference : difference / scale
  }

  /// Central differences of `loss` with respect to each of `shape`'s elements, read by `get`
  /// and written by `set`; every element is restored exactly afterwards.
  static func numericGradient(
    shape: [Int], epsilon: Float = epsilon, get: (Int) -> Float, set: (Int, Float) -> Void, loss: () -> Double
  ) -> Tensor {
    var gradient = Tensor(zeros: shape)
    for i in 0..<gradient.count {
      let original = get(i)
      let (plus, minus) = (original + epsilon, original - epsilon)
      set(i, plus)
      let lossPlus = loss()
      set(i, minus)
      let lossMinus = loss()
      set(i, original)
      gradient.scalars[i] = Float((lossPlus - lossMinus) / (Double(plus) - Double(minus)))
    }
    return gradient
  }

  /// Central differences of `loss` with respect to a parameter's value.
  static func numericGradient(of parameter: Parameter, epsilon: Float = epsilon, loss: () -> Double) -> Tensor {
    numericGradient(
      shape: parameter.value.shape, epsilon: epsilon, get: { parameter.value.scalars[$0] },
      set: { parameter.value.scalars[$0] = $1 }, loss: loss)
  }

  /// sum(a * b) accumulated in Double.
  static func dot(_ a: Tensor, _ b: Tensor) -> Double {
    precondition(a.shape == b.shape, "GradientCheck.dot: shapes \(a.shape) and \(b.shape)")
    var total = 0.0
    for i in 0..<a.count { total += Double(a.scalars[i]) * Double(b.scalars[i]) }
    return total
  }

  /// Relative errors of a layer's input gradient and of each parameter's gradient (in
  /// `parameters` order) for L = sum(output * U), with U a seeded normal upstream gradient.
  ///
  /// The layer runs with `training`; it must be deterministic for a fixed input.
  static func checkLayer(
    _ layer: Layer, input: Tensor, seed: UInt64, epsilon: Float = epsilon, training: Bool = false
  ) -> (input: Double, parameters: [Double]) {
    var generator = Xoshiro256StarStar(seed: seed)
    let outputShape = [input.rows, layer.outputFeatures(inputFeatures: input.columns)]
    let upstream = Tensor.normal(shape: outputShape, using: &generator)
    var output = Tensor(zeros: outputShape)
    func loss(_ x: Tensor) -> Double {
      layer.forward(x, into: &output, training: training)
      return dot(output, upstream)
    }

    _ = loss(input)
    for parameter in layer.parameters { parameter.zeroGradient() }
    var inputGradient = Tensor(zeros: input.shape)
    layer.backward(
      input: input, output: output, outputGradient: upstream, inputGradient: &inputGradient, needsInputGradient: true)

    var x = input
    let numericInput = numericGradient(
      shape: input.shape, epsilon: epsilon, get: { x.scalars[$0] }, set: { x.scalars[$0] = $1 }, loss: { loss(x) })
    let parameterErrors = layer.parameters.map { parameter in
      relativeError(parameter.gradient, numericGradient(of: parameter, epsilon: epsilon) { loss(input) })
    }
    return (relativeError(inputGradient, numericInput), parameterErrors)
  }
}

/// A (rows, columns) matrix of seeded standard normal values.
func normalMatrix(_ rows: Int, _ columns: Int, seed: UInt64) -> Tensor {
  var generator = Xoshiro256StarStar(seed: seed)
  return Tensor.normal(shape: [rows, columns], using: &generator)
}

/// The address of a tensor's storage, to check that a buffer was reused rather than replaced.
func storageAddress(_ tensor: Tensor) -> Int {
  tensor.scalars.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
}

/// Seeded normal values pushed at least `margin` away from zero, so finite differences of a
/// rectifier never straddle its kink.
func awayFromZero(_ rows: Int, _ columns: Int, margin: Float = 0.1, seed: UInt64) -> Tensor {
  normalMatrix(rows, columns, seed: seed).map { $0 >= 0 ? $0 + margin : $0 - margin }
}
