// Batch-1 inference of a run of convolutions, and of the Linear layer after them, in horizontal
// bands of rows, one per thread, from a single hand-off.

import SparsityCore
import SparsityNN

/// A run of consecutive convolutions (each with its batch norm folded in and its ReLU and 2x2
/// max pool fused) and, when one follows, the Linear layer reading their flattened output,
/// computed one sample at a time in horizontal bands, one per thread, from a single hand-off.
///
/// Band t owns an even share of the rows of the last convolution's stored output. Walking back,
/// each convolution computes the rows that its successor's band reads
/// (`ConvolutionGeometry.inputRows(forOutputRows:)`), so neighbouring bands overlap by the
/// filters' reach and compute those rows twice. In exchange no band waits for or reads another
/// band's rows, and the run costs one hand-off instead of one per layer: at batch 1 a LeNet
/// layer takes a few microseconds and a hand-off about half of one. The Linear layer adds the
/// band's nonzero inputs times their rows of W^T into sums of the band's own
/// (`activationSkippingPartialMatVec`, the band's rows of W^T stored together, so each core
/// streams a block of its own); after the join the sums are added, with the bias and the
/// activation. Every convolution runs the `.csr` kernel, on its band's thread.
///
/// Each band computes into buffers of its own (every layer's whole output, only its rows
/// written). Not thread-safe, like the compiled model that holds it.
final class RowBands: @unchecked Sendable {
  /// The network indices of the run's layers (`run(in:)`).
  let layers: ClosedRange<Int>
  /// Features of one sample in and out.
  let inputs: Int
  let outputs: Int
  /// The Linear layer's bias and activation; nil when the run ends in a convolution.
  private let linear: (bias: [Float]?, activation: PointwiseActivation)?
  /// Each band's rows, buffers and part of the Linear layer.
  let bands: [Band]

  /// One band: what it computes and where.
  final class Band: @unchecked Sendable {
    /// The convolutions on the `.csr` kernel, fused as the run's layers say: the band's own
    /// copies, since the reference counts of shared arrays would bounce between the cores
    /// (measured: 0.5 us of a 13 us call, LeNet at batch 1).
    let convolutions: [CompiledConvolution]
    /// rows[k]: the output rows (before the pool) convolution k computes.
    let rows: [Range<Int>]
    /// buffers[k]: the band's output of convolution k (of the last one only before a Linear
    /// layer), 64-byte aligned, zero at first.
    let buffers: [UnsafeMutablePointer<Float>]
    /// The Linear layer's inputs the band computes (runs of the last convolution's output), and
    /// their rows of W^T, in that order: (inputs in the runs, outputs).
    let inputRuns: [Range<Int>]
    let weightsByInput: [Float]
    /// The band's part of the Linear layer's sums, when there is one, and their count.
    let sums: UnsafeMutablePointer<Float>?
    let outputs: Int

    init(
      convolutions: [CompiledConvolution], rows: [Range<Int>], buffers: [Int], inputRuns: [Range<Int>],
      weightsByInput: [Float], outputs: Int?
    ) {
      (self.convolutions, self.rows, self.inputRuns, self.weightsByInput) =
        (convolutions, rows, inputRuns, weightsByInput)
      self.buffers = buffers.map(Self.allocate)
      sums = outputs.map(Self.allocate)
      self.outputs = outputs ?? 0
    }

    deinit {
      for buffer in buffers { buffer.deallocate() }
      sums?.deallocate()
    }

    /// The band of one sample: its rows of every convolution, then its part of the Linear
    /// layer's sums (or, without one, its rows of the last convolution straight into y).
    func compute(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
      var input = x
      for (k, convolution) in convolutions.enumerated() {
        let output = k < buffers.count ? buffers[k] : y
        convolution.run(output, input, outputRows: rows[k])
        input = UnsafePointer(output)
      }
      guard let sums else { return }
      weightsByInput.withUnsafeBufferPointer { weights in
        activationSkippingPartialMatVec(sums, weights.baseAddress!, input, runs: inputRuns, outputs: outputs)
      }
    }

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
      let buffer = UnsafeMutableRawPointer.allocate(
        byteCount: Swift.max(1, count) * MemoryLayout<Float>.stride, alignment: 64
      )
      .bindMemory(to: Float.self, capacity: Swift.max(1, count))
      buffer.initialize(repeating: 0, count: Swift.max(1, count))
      return buffer
    }
  }

  /// The run of `network` that starts at its first convolution (`run(in:)`) in `bands` bands, or
  /// nil when there is none or its last convolution stores fewer rows than `bands`.
  init?(_ network: Sequential, bands: Int) {
    guard bands > 0, let (layers, storedRows) = Self.run(in: network), storedRows >= bands else { return nil }
    let convolutions = Self.convolutions(of: network, layers)
    var linear: (weights: Tensor, bias: [Float]?, activation: PointwiseActivation)?
    for index in layers {
      if let layer = network.layers[index] as? Linear {
        linear = (layer.weight.value, layer.bias?.value.scalars, .identity)
      } else if linear != nil, let activation = pointwiseActivation(of: network.layers[index]) {
        linear!.activation = activation
      }
    }
    let last = convolutions[convolutions.count - 1]
    let stored = last.outputShape
    let outputs = linear?.weights.rows ?? last.outputs
    let weightsByInput = linear.map { InputMajorWeights($0.weights).weightsByInput.scalars } ?? []
    let kept = convolutions[..<(linear == nil ? convolutions.count - 1 : convolutions.count)].map(\.outputs)
    self.bands = (0..<bands).map { t in
      let band = stored.rows * t / bands..<stored.rows * (t + 1) / bands
      var written = band
      var computed = [Range<Int>](repeating: 0..<0, count: convolutions.count)
      for k in convolutions.indices.reversed() {
        computed[k] = convolutions[k].computedRows(forWritten: written)
        written = convolutions[k].geometry.inputRows(forOutputRows: computed[k])
      }
      let own = t == 0 ? convolutions : Self.convolutions(of: network, layers)
      guard linear != nil else {
        return Band(
          convolutions: own, rows: computed, buffers: kept, inputRuns: [], weightsByInput: [], outputs: nil)
      }
      let runs = (0..<stored.channels).map { c in
        let start = c * stored.pixelCount + band.lowerBound * stored.columns
        return start..<start + band.count * stored.columns
      }
      let rows = runs.flatMap { run in weightsByInput[(run.lowerBound * outputs)..<(run.upperBound * outputs)] }
      return Band(
        convolutions: own, rows: computed, buffers: kept, inputRuns: runs, weightsByInput: rows, outputs: outputs)
    }
    self.layers = layers
    self.inputs = convolutions[0].geometry.input.featureCount
    self.outputs = outputs
    self.linear = linear.map { ($0.bias, $0.activation) }
  }

  /// Bytes of the filters, weights and biases as stored (the filters once, though every band
  /// keeps a copy).
  var storedBytes: Int {
    let weights = bands.reduce(linear?.bias?.count ?? 0) { $0 + $1.weightsByInput.count }
    return bands[0].convolutions.reduce(weights * MemoryLayout<Float>.stride) { $0 + $1.storedBytes }
  }

  /// The convolutions of the run `layers` of `network` on the `.csr` kernel, on one thread each,
  /// with what `run(in:)` found fused into them.
  private static func convolutions(of network: Sequential, _ layers: ClosedRange<Int>) -> [CompiledConvolution] {
    var convolutions: [CompiledConvolution] = []
    for index in layers {
      let layer = network.layers[index]
      switch layer {
      case let conv as Conv2d:
        let norm = index + 1 < network.layers.count ? network.layers[index + 1] as? BatchNorm2d : nil
        convolutions.append(CompiledConvolution(conv, foldingIn: norm, kernel: .csr, threads: 1))
      case is Linear: return convolutions
      case is MaxPool2d:
        // `run(in:)` admits only 2x2 pools of stride 2 after a convolution that can take them in.
        convolutions[convolutions.count - 1] = convolutions[convolutions.count - 1].fusingMaxPool()!
      default:
        // `run(in:)` admits only ReLU after a convolution.
        if pointwiseActivation(of: layer) == .relu {
          convolutions[convolutions.count - 1] = convolutions[convolutions.count - 1].fusingReLU()
        }
      }
    }
    return convolutions
  }

  /// The layers of the run that starts at the first convolution of `network`, and the rows of
  /// its last convolution's stored output; nil without a convolution that can compute row bands.
  /// The run takes each convolution that can (`SparseFilters.computesRowBands`) with what
  /// `makeStages` fuses into it (a batch norm right after it, a ReLU, a 2x2 max pool of stride 2
  /// after it, Dropout), and ends at the last of them, or at a Linear layer after one (past
  /// Flatten) with its activation (past Dropout). Any other layer ends it before.
  static func run(in network: Sequential) -> (layers: ClosedRange<Int>, storedRows: Int)? {
    let layers = network.layers
    guard let first = layers.firstIndex(where: { $0 is Conv2d }) else { return nil }
    var (last, index, storedRows) = (first, first, 0)
    var convolution: ConvolutionGeometry?
    var pooled = false
    scan: while index < layers.count {
      switch layers[index] {
      case let conv as Conv2d:
        guard SparseFilters.computesRowBands(conv.geometry) else { break scan }
        (convolution, pooled, last, storedRows) = (conv.geometry, false, index, conv.geometry.output.rows)
      case is BatchNorm2d where layers[index - 1] is Conv2d:
        last = index
      case is ReLU:
        last = index
      case is Dropout, is ChannelDropout, is Flatten:
        break
      case let pool as MaxPool2d:
        guard !pooled, let geometry = convolution, SparseFilters.fusesMaxPool(geometry),
          pool.window == SlidingWindow(kernelRows: 2, kernelColumns: 2, stride: 2)
        else { break scan }
        (pooled, last, storedRows) = (true, index, storedRows / 2)
      case is Linear:
        last = index
        let next = layers[(index + 1)...].firstIndex { !($0 is Dropout) }
        if let next, pointwiseActivation(of: layers[next]) != nil { last = next }
        break scan
      default: break scan
      }
      index += 1
    }
    guard convolution != nil else { return nil }
    return (first...last, storedRows)
  }

  /// y = the run on `batch` samples, one after the other, each in bands over the threads.
  func run(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, batch: Int) {
    for n in 0..<batch {
      let (source, target) = (x + n * inputs, y + n * outputs)
      // The bands from a local: touching `self` on both threads would bounce its reference count.
      let bands = self.bands
      Parallel.forEachChunk(of: bands.count) { range in
        for band in range { bands[band].compute(source, target) }
      }
      guard let linear else { continue }
      target.update(from: bands[0].sums!, count: outputs)
      for band in bands.dropFirst() {
        let sum = band.sums!
        for o in 0..<outputs { target[o] += sum[o] }
      }
      guard let bias = linear.bias else {
        linear.activation.apply(target, bias: nil, rows: 1, columns: outputs)
        continue
      }
      bias.withUnsafeBufferPointer { linear.activation.apply(target, bias: $0.baseAddress, rows: 1, columns: outputs) }
    }
  }
}
