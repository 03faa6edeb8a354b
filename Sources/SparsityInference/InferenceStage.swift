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

  /// Output features.
  var outputs: Int {
    switch self {
    case .linear(let layer, _): return layer.outputs
    case .pointwise(_, let features), .topK(_, let features): return features
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
/// its Linear layers (by layer index). Dropout is the identity at inference and disappears; an element-wise activation right
/// after a Linear layer (Dropout in between or not) is fused into it.
func makeStages(_ network: Sequential, kernelFor: (Int) -> (LayerKernel, threads: Int?)) -> [InferenceStage] {
  var stages: [InferenceStage] = []
  for (index, layer) in network.layers.enumerated() {
    let features = network.features[index + 1]
    switch layer {
    case let linear as Linear:
      let (kernel, threads) = kernelFor(index)
      let compiled = CompiledLinear(
        weights: linear.weight.value, bias: linear.bias?.value, kernel: kernel, threads: threads)
      stages.append(.linear(compiled, layerIndex: index))
    case is Dropout:
      continue
    case let topK as TopK:
      stages.append(.topK(k: topK.k, features: features))
    default:
      guard let activation = pointwiseActivation(of: layer) else {
        preconditionFailure("CompiledModel: layer \(index) \(layer.description) is not supported")
      }
      if case .linear(let previous, let linearIndex)? = stages.last, previous.activation == .identity {
        stages[stages.count - 1] = .linear(previous.fusing(activation), layerIndex: linearIndex)
      } else {
        stages.append(.pointwise(activation, features: features))
      }
    }
  }
  return stages
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
