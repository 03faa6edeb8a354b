import SparsityCore

/// How the weights (and biases) of a `Linear` layer are drawn before training.
///
/// Shapes follow PyTorch: the weight is (fanOut, fanIn) = (outputFeatures, inputFeatures), the
/// bias has fanOut entries. Every scheme draws from the caller's seeded generator, weight first
/// (row-major), then bias, so the same seed gives the same network.
public enum Initialization: Sendable, Equatable {
  /// Kaiming normal: W ~ N(0, 2 / fanIn), bias 0. Keeps the activation variance constant
  /// through ReLU layers; the default for ReLU networks.
  ///
  /// Reference: K. He, X. Zhang, S. Ren and J. Sun, "Delving Deep into Rectifiers: Surpassing
  /// Human-Level Performance on ImageNet Classification", ICCV 2015.
  case he

  /// Glorot uniform: W ~ U(-a, a) with a = sqrt(6 / (fanIn + fanOut)), bias 0. Keeps the
  /// variance of activations and of gradients balanced for symmetric activations (sigmoid, tanh).
  ///
  /// Reference: X. Glorot and Y. Bengio, "Understanding the difficulty of training deep
  /// feedforward neural networks", AISTATS 2010.
  case xavier

  /// What `torch.nn.Linear` does: W ~ U(-b, b) and bias ~ U(-b, b) with b = 1 / sqrt(fanIn)
  /// (`kaiming_uniform_(a: sqrt(5))` in `Linear.reset_parameters`). Use it to compare runs
  /// against PyTorch.
  case pytorchDefault

  /// A (fanOut, fanIn) weight matrix drawn from this scheme.
  ///
  /// - Complexity: O(fanIn * fanOut).
  public func weight(fanIn: Int, fanOut: Int, using generator: inout Xoshiro256StarStar) -> Tensor {
    weight(shape: [fanOut, fanIn], fanIn: fanIn, fanOut: fanOut, using: &generator)
  }

  /// A weight tensor of `shape` drawn from this scheme with the given fans: for a convolution
  /// (out, in / groups, kr, kc), fanIn = in / groups * kr * kc and fanOut = out * kr * kc, as
  /// PyTorch computes them.
  ///
  /// - Complexity: O(elements of `shape`).
  public func weight(shape: [Int], fanIn: Int, fanOut: Int, using generator: inout Xoshiro256StarStar) -> Tensor {
    precondition(fanIn > 0 && fanOut > 0, "Initialization.weight: fanIn \(fanIn) and fanOut \(fanOut) must be positive")
    switch self {
    case .he:
      let standardDeviation = (2 / Float(fanIn)).squareRoot()
      return Tensor.normal(shape: shape, standardDeviation: standardDeviation, using: &generator)
    case .xavier:
      let limit = (6 / Float(fanIn + fanOut)).squareRoot()
      return Tensor.uniform(shape: shape, in: -limit...limit, using: &generator)
    case .pytorchDefault:
      let limit = 1 / Float(fanIn).squareRoot()
      return Tensor.uniform(shape: shape, in: -limit...limit, using: &generator)
    }
  }

  /// A bias vector of fanOut entries drawn from this scheme (zeros except `.pytorchDefault`).
  ///
  /// - Complexity: O(fanOut).
  public func bias(fanIn: Int, fanOut: Int, using generator: inout Xoshiro256StarStar) -> Tensor {
    precondition(fanIn > 0 && fanOut > 0, "Initialization.bias: fanIn \(fanIn) and fanOut \(fanOut) must be positive")
    switch self {
    case .he, .xavier:
      return Tensor(zeros: [fanOut])
    case .pytorchDefault:
      let limit = 1 / Float(fanIn).squareRoot()
      return Tensor.uniform(shape: [fanOut], in: -limit...limit, using: &generator)
    }
  }
}
