// The steps of a compiled network: Linear layers with fused activations, and what cannot fuse.

import SparsityCore
import SparsityNN

/// One step of a `CompiledModel`.
enum InferenceStage: Sendable {
  /// A Linear layer with its bias and a following element-wise activation fused in.
  case linear(CompiledLinear, layerIndex: Int)
  /// An element-wise activation that has no Linear right before it to fuse into.
  case pointwise(PointwiseActivation, features: Int)
  /// `TopK`: keeps the k largest values of each sample, zeroes the rest.
  case topK(k: Int, features: Int)
  /// A Conv2d layer with its bias, a following batch norm folded in and a ReLU fused.
  case convolution(CompiledConvolution, layerIndex: Int)
  /// A 2x2 max pool of stride 2 without padding that no convolution before it could take in:
  /// values only, straight from the previous stage's buffer.
  case maxPoolTwoByTwo(input: ImageShape)
  /// Any other layer, run as the network runs it in evaluation (other pooling, batch norm without
  /// a convolution before it, per-channel TopK, residual blocks).
  case layer(LayerStage)
  /// Convolutions and the Linear layer after them in row bands, one per thread (batch-1 plans).
  case rowBands(RowBands)

  /// Output features.
  var outputs: Int {
    switch self {
    case .linear(let layer, _): return layer.outputs
    case .pointwise(_, let features), .topK(_, let features): return features
    case .convolution(let layer, _): return layer.outputs
    case .maxPoolTwoByTwo(let input): return maxPoolTwoByTwoShape(of: input).featureCount
    case .layer(let stage): return stage.outputs
    case .rowBands(let bands): return bands.outputs
    }
  }

  /// y = stage(x) for `batch` samples; y does not overlap x.
  func run(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, batch: Int) {
    switch self {
    case .linear(let layer, _):
      layer.run(y, x, batch: batch)
    case .pointwise(let activation, let features):
      y.update(from: x, count: batch * features)
      activation.apply(y, bias: nil, rows: batch, columns: features)
    case .topK(let k, let features):
      for b in 0..<batch { Self.keepLargest(k, y + b * features, x + b * features, features) }
    case .convolution(let layer, _):
      layer.run(y, x, batch: batch)
    case .maxPoolTwoByTwo(let input):
      SparsityCore.maxPoolTwoByTwo(y, x, batch: batch, image: input)
    case .layer(let stage):
      stage.run(y, x, batch: batch)
    case .rowBands(let bands):
      bands.run(y, x, batch: batch)
    }
  }

  /// y = x on the k largest entries of x (ties to the lowest index, as `SparsityNN.TopK`), 0 elsewhere.
  /// - Complexity: O(n log n).
  static func keepLargest(_ k: Int, _ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int) {
    y.update(repeating: 0, count: n)
    if k >= n { return y.update(from: x, count: n) }
    Scratch.withBuffer(of: Int32.self, count: n) { order in
      for j in 0..<n { order[j] = Int32(j) }
      var buffer = UnsafeMutableBufferPointer(start: order, count: n)
      buffer.sort { a, b in
        let (va, vb) = (x[Int(a)], x[Int(b)])
        return va > vb || (va == vb && a < b)
      }
      for p in 0..<k { y[Int(order[p])] = x[Int(order[p])] }
    }
  }
}

/// The stages of `network` with the kernels and thread counts (nil: all) `kernelFor` picks for
/// its Linear and Conv2d layers (by layer index). Dropout (and channel dropout) is the identity at
/// inference and disappears, as does Flatten (the values stay where they are); a batch norm
/// right after a convolution is folded into it; an element-wise activation right after a Linear
/// layer or a ReLU after a convolution (Dropout in between or not) is fused into it, and so is a
/// 2x2 max pool of stride 2 after a convolution whose kernel can pool (`fusingMaxPool`); other
/// 2x2 max pools of stride 2 run without their indices. The layers of `rowBands` are one stage.
func makeStages(
  _ network: Sequential, rowBands: RowBands? = nil, kernelFor: (Int) -> (LayerKernel, threads: Int?)
) -> [InferenceStage] {
  var stages: [InferenceStage] = []
  var folded = Set<Int>()
  if let rowBands { folded.formUnion(rowBands.layers) }
  for (index, layer) in network.layers.enumerated() {
    if let rowBands, index == rowBands.layers.lowerBound { stages.append(.rowBands(rowBands)) }
    guard !folded.contains(index) else { continue }
    let features = network.features[index + 1]
    switch layer {
    case let linear as Linear:
      let (kernel, threads) = kernelFor(index)
      let compiled = CompiledLinear(
        weights: linear.weight.value, bias: linear.bias?.value, kernel: kernel, threads: threads)
      stages.append(.linear(compiled, layerIndex: index))
    case let conv as Conv2d:
      let (kernel, threads) = kernelFor(index)
      let next = index + 1 < network.layers.count ? network.layers[index + 1] as? BatchNorm2d : nil
      if next != nil { folded.insert(index + 1) }
      stages.append(
        .convolution(CompiledConvolution(conv, foldingIn: next, kernel: kernel, threads: threads), layerIndex: index))
    case is Dropout, is ChannelDropout, is Flatten:
      continue
    case let pool as MaxPool2d where pool.window == SlidingWindow(kernelRows: 2, kernelColumns: 2, stride: 2):
      if case .convolution(let conv, let layerIndex)? = stages.last, let fused = conv.fusingMaxPool() {
        stages[stages.count - 1] = .convolution(fused, layerIndex: layerIndex)
      } else {
        stages.append(.maxPoolTwoByTwo(input: pool.inputShape))
      }
    case let topK as TopK:
      stages.append(.topK(k: topK.k, features: features))
    default:
      if let activation = pointwiseActivation(of: layer), let fused = fuse(activation, into: stages.last) {
        stages[stages.count - 1] = fused
      } else if let activation = pointwiseActivation(of: layer) {
        stages.append(.pointwise(activation, features: features))
      } else {
        stages.append(.layer(LayerStage(layer, inputs: network.features[index], outputs: features)))
      }
    }
  }
  return stages
}

/// `stage` with `activation` fused in, when it is a Linear stage without one, or a convolution
/// without one and the activation is ReLU; nil otherwise.
private func fuse(_ activation: PointwiseActivation, into stage: InferenceStage?) -> InferenceStage? {
  switch stage {
  case .linear(let previous, let index)? where previous.activation == .identity:
    return .linear(previous.fusing(activation), layerIndex: index)
  case .convolution(let previous, let index)? where !previous.relu && activation == .relu:
    return .convolution(previous.fusingReLU(), layerIndex: index)
  default: return nil
  }
}

/// A layer run by its own `forward(_:into:training: false)` inside a compiled model, through
/// buffers it keeps (so it allocates nothing once they fit the batch). Not thread-safe, like the
/// compiled model that holds it.
final class LayerStage: @unchecked Sendable {
  let layer: Layer
  let inputs: Int
  let outputs: Int
  private var input = Tensor(zeros: [0, 0])
  private var output = Tensor(zeros: [0, 0])

  init(_ layer: Layer, inputs: Int, outputs: Int) {
    (self.layer, self.inputs, self.outputs) = (layer, inputs, outputs)
  }

  func run(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, batch: Int) {
    if input.shape != [batch, inputs] {
      input = Tensor(zeros: [batch, inputs])
      output = Tensor(zeros: [batch, outputs])
    }
    input.scalars.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: x, count: batch * inputs) }
    layer.forward(input, into: &output, training: false)
    output.scalars.withUnsafeBufferPointer { y.update(from: $0.baseAddress!, count: batch * outputs) }
  }
}

/// The element-wise activation a layer computes, or nil for other layers.
func pointwiseActivation(of layer: Layer) -> PointwiseActivation? {
  switch layer {
  case is ReLU: return .relu
  case let leaky as LeakyReLU: return .leakyReLU(negativeSlope: leaky.negativeSlope)
  case is Sigmoid: return .sigmoid
  default: return nil
  }
}

extension CompiledLinear {
  /// The same layer with `activation` applied after the bias.
  func fusing(_ activation: PointwiseActivation) -> CompiledLinear {
    CompiledLinear(prepared: self, activation: activation)
  }
}
