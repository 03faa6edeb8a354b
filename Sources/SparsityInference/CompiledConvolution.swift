// One Conv2d layer prepared for inference: its filters in the layout of the chosen kernel.

import SparsityCore
import SparsityNN

/// A `Conv2d` layer's filters stored for one kernel, with its bias, a following batch norm
/// folded in, a following ReLU fused and, for the `.csr` kernel, a following 2x2 max pool of
/// stride 2 fused: y = pool(f(w * x + b)).
///
/// The kernels, named as for Linear layers (`LayerKernel`):
/// - `.dense`: im2col and BLAS (`convolve`), the baseline;
/// - `.csr`: only the nonzero filter taps, each one scaled add of a shifted input plane
///   (`sparseFilterConvolve`);
/// - `.activationSkipping`: only the nonzero input pixels, each scattering its contributions
///   (`activationSkippingConvolve` with dense filters);
/// - `.sparseInputSparseWeights`: both (`activationSkippingConvolve` with sparse filters).
///
/// Shapes: x is (batch, input.featureCount), y (batch, output.featureCount), NCHW rows.
public struct CompiledConvolution: Sendable {
  enum Filters: Sendable {
    case dense([Float])
    case sparse(SparseFilters)
    case inputMajor(InputMajorFilters)
  }

  /// The kernels a convolution can run.
  public static let kernels: [LayerKernel] = [.dense, .activationSkipping, .csr, .sparseInputSparseWeights]

  /// How the convolution is computed.
  public let kernel: LayerKernel
  /// The shapes.
  public let geometry: ConvolutionGeometry
  /// True when a ReLU is fused after the bias.
  public let relu: Bool
  /// True when a 2x2 max pool of stride 2 is fused after the activation.
  public let maxPool: Bool
  /// Threads it may use (nil: all of Sparsity's).
  public let threads: Int?
  let filters: Filters
  let bias: [Float]?

  /// Prepares `weights` (out, in / groups, kr, kc) values and `bias` for `kernel`.
  /// - Precondition: `kernel` is one of `kernels`.
  /// - Complexity: O(weights).
  public init(
    weights: [Float], bias: [Float]?, geometry: ConvolutionGeometry, kernel: LayerKernel, relu: Bool = false,
    threads: Int? = nil
  ) {
    precondition(Self.kernels.contains(kernel), "CompiledConvolution: no \(kernel.name) kernel for convolutions")
    precondition(weights.count == geometry.output.channels * geometry.patchLength, "CompiledConvolution: weights")
    precondition(bias == nil || bias!.count == geometry.output.channels, "CompiledConvolution: bias")
    self.kernel = kernel
    self.geometry = geometry
    self.relu = relu
    self.maxPool = false
    self.threads = threads
    self.bias = bias
    switch kernel {
    case .csr: filters = .sparse(SparseFilters(weights: weights, geometry: geometry))
    case .activationSkipping:
      filters = .inputMajor(InputMajorFilters(weights: weights, geometry: geometry, sparse: false))
    case .sparseInputSparseWeights:
      filters = .inputMajor(InputMajorFilters(weights: weights, geometry: geometry, sparse: true))
    default: filters = .dense(weights)
    }
  }

  /// The convolution of `layer`, with the batch norm `norm` that follows it folded in:
  /// w' = w s, b' = (b - mean) s + beta with s = gamma / sqrt(running variance + epsilon).
  public init(_ layer: Conv2d, foldingIn norm: BatchNorm2d? = nil, kernel: LayerKernel, threads: Int? = nil) {
    var weights = layer.weight.value.scalars
    var bias = layer.bias?.value.scalars
    if let norm {
      let channels = layer.geometry.output.channels
      let perFilter = layer.geometry.patchLength
      var folded = [Float](repeating: 0, count: channels)
      for o in 0..<channels {
        let scale = norm.weight.value.scalars[o] / (norm.runningVariance.value.scalars[o] + norm.epsilon).squareRoot()
        for k in 0..<perFilter { weights[o * perFilter + k] *= scale }
        folded[o] = ((bias?[o] ?? 0) - norm.runningMean.value.scalars[o]) * scale + norm.bias.value.scalars[o]
      }
      bias = folded
    }
    self.init(weights: weights, bias: bias, geometry: layer.geometry, kernel: kernel, threads: threads)
  }

  private init(prepared: CompiledConvolution, relu: Bool? = nil, maxPool: Bool? = nil, threads: Int?? = nil) {
    (kernel, geometry, filters, bias) = (prepared.kernel, prepared.geometry, prepared.filters, prepared.bias)
    self.relu = relu ?? prepared.relu
    self.maxPool = maxPool ?? prepared.maxPool
    self.threads = threads ?? prepared.threads
  }

  /// The same convolution with a ReLU fused after the bias.
  public func fusingReLU() -> CompiledConvolution { CompiledConvolution(prepared: self, relu: true) }

  /// The same convolution with a 2x2 max pool of stride 2 fused after the activation, or nil
  /// when its kernel cannot pool in the same pass (only `.csr` can).
  public func fusingMaxPool() -> CompiledConvolution? {
    guard !maxPool, case .sparse(let f) = filters, f.fusesMaxPool else { return nil }
    return CompiledConvolution(prepared: self, maxPool: true)
  }

  /// The output rows (before the pool) that the rows `written` of its stored output come from:
  /// twice them when pooled.
  func computedRows(forWritten written: Range<Int>) -> Range<Int> {
    maxPool ? 2 * written.lowerBound..<2 * written.upperBound : written
  }

  /// Rows `outputRows` (before the pool; even bounds when pooled) of one sample's output, on
  /// the calling thread, reading only the input rows they need; the rest of y is left as it is.
  /// - Precondition: the `.csr` kernel, with filters that compute row bands
  ///   (`SparseFilters.computesRowBands`).
  func run(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, outputRows: Range<Int>) {
    guard case .sparse = filters else { preconditionFailure("CompiledConvolution: no row bands for \(kernel)") }
    Parallel.withThreadCount(1) { compute(y, x, batch: 1, outputRows: outputRows) }
  }

  /// The same convolution on at most `threads` threads (nil: all).
  public func running(threads: Int?) -> CompiledConvolution {
    CompiledConvolution(prepared: self, threads: .some(threads))
  }

  /// Output features: the convolution's, or the pooled ones with `maxPool`.
  public var outputs: Int { outputShape.featureCount }

  /// The image it stores: the convolution's output, or the pooled one with `maxPool`.
  public var outputShape: ImageShape { maxPool ? maxPoolTwoByTwoShape(of: geometry.output) : geometry.output }

  /// Bytes of the filters as stored plus the bias.
  public var storedBytes: Int {
    let biasBytes = (bias?.count ?? 0) * MemoryLayout<Float>.stride
    switch filters {
    case .dense(let w): return w.count * MemoryLayout<Float>.stride + biasBytes
    case .sparse(let f): return f.storedBytes + biasBytes
    case .inputMajor(let f): return f.storedBytes + biasBytes
    }
  }

  /// y = f(w * x + b) for `batch` samples; y is overwritten and does not overlap x.
  public func run(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, batch: Int) {
    guard batch > 0 else { return }
    if let threads, threads < Parallel.threadCount {
      Parallel.withThreadCount(threads) { compute(y, x, batch: batch) }
    } else {
      compute(y, x, batch: batch)
    }
  }

  /// `outputRows`: only those rows (the `.csr` kernel; see `run(_:_:outputRows:)`).
  private func compute(
    _ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, batch: Int, outputRows: Range<Int>? = nil
  ) {
    guard let bias else { return compute(y, x, batch: batch, bias: nil, outputRows: outputRows) }
    bias.withUnsafeBufferPointer { compute(y, x, batch: batch, bias: $0.baseAddress, outputRows: outputRows) }
  }

  private func compute(
    _ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, batch: Int, bias: UnsafePointer<Float>?,
    outputRows: Range<Int>?
  ) {
    switch filters {
    case .dense(let w):
      w.withUnsafeBufferPointer {
        convolve(y, x, batch: batch, weight: $0.baseAddress!, bias: bias, geometry: geometry)
      }
      if relu { PointwiseActivation.relu.apply(y, bias: nil, rows: batch, columns: outputs) }
    case .sparse(let f):
      sparseFilterConvolve(
        y, x, batch: batch, filters: f, bias: bias, relu: relu, maxPoolTwoByTwo: maxPool, outputRows: outputRows)
    case .inputMajor(let f):
      activationSkippingConvolve(y, x, batch: batch, filters: f, bias: bias, relu: relu)
    }
  }
}
