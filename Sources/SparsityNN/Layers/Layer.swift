import SparsityCore

/// A layer of a feed-forward network with explicit forward and backward passes.
///
/// Shapes: every tensor is a matrix with one row per sample (batch, features). The network
/// that owns the layer (`Sequential`) owns the activation buffers too: `forward` writes into an
/// `output` it is handed, and `backward` reads the same `input` and `output` again, so a
/// training step allocates nothing once the buffers exist. Whether the network is training
/// (dropout on) is an explicit argument, never global state.
public protocol Layer: AnyObject {
  /// A short description such as `Linear(784, 256)` or `ReLU`.
  var description: String { get }

  /// The number of output features for `inputFeatures` input features.
  func outputFeatures(inputFeatures: Int) -> Int

  /// Computes `output` (batch, outputFeatures) from `input` (batch, inputFeatures).
  /// `output` arrives with the right shape; its contents are overwritten.
  func forward(_ input: Tensor, into output: inout Tensor, training: Bool)

  /// Given dL/d(output), adds dL/d(parameters) to the parameters' gradients and, when
  /// `needsInputGradient`, writes dL/d(input) into `inputGradient` (same shape as `input`;
  /// overwritten). The first layer of a network is called with `needsInputGradient: false`
  /// and may leave `inputGradient` untouched. `input` and `output` are those of the last
  /// `forward`.
  func backward(
    input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor, needsInputGradient: Bool)

  /// The trainable parameters, in a fixed order (empty for parameter-free layers).
  var parameters: [Parameter] { get }

  /// State that is saved with the model but not trained by gradients (BatchNorm's running
  /// statistics), in a fixed order; empty for most layers.
  var buffers: [Buffer] { get }

  /// The layers inside this one by name, for layers made of layers (a residual block's `body`
  /// and `shortcut`): their tensors are named `<name>.<index>.<tensor>` under this layer, and
  /// such a layer's own `parameters` and `buffers` are those of its sublayers. Empty for most.
  var sublayers: [(name: String, layers: [Layer])] { get }

  /// True for layers whose output is an activation worth measuring for sparsity
  /// (ReLU, LeakyReLU, TopK, Sigmoid).
  var isActivation: Bool { get }
}

extension Layer {
  public var parameters: [Parameter] { [] }
  public var buffers: [Buffer] { [] }
  public var sublayers: [(name: String, layers: [Layer])] { [] }
  public var isActivation: Bool { false }

  /// Every parameter and buffer of this layer by its PyTorch state-dict name under `prefix`
  /// (`"3"` gives `3.weight`, `3.running_mean`, `3.body.0.weight`, ...), in a fixed order:
  /// parameters, then buffers, then each sublayer's in turn.
  public func namedTensors(prefix: String) -> [(name: String, parameter: Parameter?, buffer: Buffer?)] {
    if !sublayers.isEmpty {
      return sublayers.flatMap { group in
        group.layers.enumerated().flatMap { index, layer in
          layer.namedTensors(prefix: "\(prefix).\(group.name).\(index)")
        }
      }
    }
    return parameters.map { ("\(prefix).\($0.name)", $0, nil) } + buffers.map { ("\(prefix).\($0.name)", nil, $0) }
  }
}

/// A layer that draws random numbers in training (dropout). `reseed` restarts its generator, so
/// that training a batch in parts gives each part a stream of its own, whichever process
/// computes it.
public protocol StochasticLayer: Layer {
  /// Restarts the generator from `seed`.
  func reseed(_ seed: UInt64)
}

extension Layer {
  /// This layer and, depth first, those inside it (`sublayers`, at any depth).
  public var nestedLayers: [Layer] { [self] + sublayers.flatMap { $0.layers.flatMap(\.nestedLayers) } }
}

/// A tensor a layer keeps and saves with the model but that no optimizer updates, as PyTorch's
/// registered buffers (`running_mean`, `running_var`, `num_batches_tracked`).
public final class Buffer {
  /// Name within its layer, as PyTorch names it.
  public let name: String
  /// The current value.
  public var value: Tensor

  public init(name: String, value: Tensor) {
    self.name = name
    self.value = value
  }
}

/// A trainable tensor and the gradient accumulated for it.
///
/// A reference type so that layers, optimizers and regularizers all update the same storage.
public final class Parameter {
  /// Name within its layer, as PyTorch names it: `weight` or `bias`.
  public let name: String
  /// The current value.
  public var value: Tensor
  /// dL/d(value), accumulated by `backward`; zeroed by `zeroGradient()`. After
  /// `resetGradient()` its contents are stale until the next accumulation (see there).
  public var gradient: Tensor
  /// True after `resetGradient()` until the gradient is next written.
  public private(set) var gradientIsStale = false

  public init(name: String, value: Tensor) {
    self.name = name
    self.value = value
    self.gradient = Tensor(zeros: value.shape)
  }

  /// Sets the gradient to zero without reallocating it.
  public func zeroGradient() {
    setToZero(&gradient.scalars)
    gradientIsStale = false
  }

  /// Resets the gradient to zero lazily, in O(1): the next accumulation overwrites it instead of
  /// adding to it. A training step uses this instead of `zeroGradient()` and saves writing,
  /// then re-reading, every gradient once per step.
  public func resetGradient() { gradientIsStale = true }

  /// For code that writes the gradient wholesale (a layer's backward): true when the write may
  /// overwrite (the gradient was reset), false when it must add. Either way the gradient
  /// is current afterwards.
  public func beginAccumulation() -> Bool {
    defer { gradientIsStale = false }
    return gradientIsStale
  }

  /// For code that adds to or reads the gradient element by element (regularizers, optimizers):
  /// zeroes a reset gradient first, so that it holds its true value.
  public func materializeGradient() {
    if gradientIsStale { zeroGradient() }
  }
}
