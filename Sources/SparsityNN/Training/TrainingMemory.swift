// The memory training a multilayer network allocates, estimated from its widths before anything
// is allocated (`MemoryBudget.check` refuses what cannot fit).

import SparsityCore

extension MemoryEstimate {
  /// What training a network of Linear layers between `widths` (inputs, hidden widths, classes)
  /// in mini-batches of `batchSize` allocates: each parameter five times (the weights, their
  /// gradient, Adam's two moments and a pruning mask or best-epoch copy), and per layer six
  /// batch x width activations (outputs, masks and gradients of the layer and its activation);
  /// evaluation runs in batches of at least 256.
  public static func training(widths: [Int], batchSize: Int) -> MemoryEstimate {
    var parameters = MemoryEstimate.zero
    for (fanIn, fanOut) in zip(widths, widths.dropFirst()) {
      parameters += .floats(fanIn, fanOut) + .floats(fanOut)
    }
    var units = 0
    for width in widths {
      let (sum, overflow) = units.addingReportingOverflow(width)
      if overflow { return MemoryEstimate(bytes: nil) }
      units = sum
    }
    return parameters * 5 + .floats(Swift.max(batchSize, 256), units) * 6
  }
}

extension MemoryEstimate {
  /// What training `architecture` in mini-batches of `batchSize` allocates: each parameter five
  /// times (as for `training(widths:batchSize:)`), six batch-sized buffers per layer output
  /// (residual blocks' inner layers included), and the convolutions' scratch
  /// (`convolutionScratchBound`: a block's on each thread, partial weight gradients on the
  /// calling one). Training in parts (`Trainer.fit(train:validation:parts:reduction:)`) adds a
  /// copy of every parameter's gradient per part this process computes (`localParts`), and
  /// one for their sum.
  public static func training(_ architecture: ModelArchitecture, batchSize: Int, localParts: Int = 0)
    -> MemoryEstimate
  {
    var parameters = MemoryEstimate.zero
    for tensor in architecture.tensorShapes { parameters += tensor.shape.reduce(MemoryEstimate.floats(1)) { $0 * $1 } }
    let (units, scratch) = unitsAndScratch(layers: architecture.layers, shapes: architecture.shapes)
    guard let units, let scratch else { return MemoryEstimate(bytes: nil) }
    return parameters * (localParts > 0 ? 6 + localParts : 5) + .floats(Swift.max(batchSize, 256), units) * 6
      + .floats(scratch.perThread, Swift.max(1, Parallel.configuredThreadCount)) + .floats(scratch.calling)
  }

  /// Values per sample over all layer outputs, and the largest convolution scratch (floats per
  /// thread, floats on the calling thread), or nil on overflow.
  private static func unitsAndScratch(
    layers: [ModelArchitecture.LayerSpec], shapes: [ModelArchitecture.SampleShape]
  ) -> (Int?, (perThread: Int, calling: Int)?) {
    var units = shapes[0].featureCount
    var scratch = (perThread: 0, calling: 0)
    for (index, layer) in layers.enumerated() {
      let (sum, overflow) = units.addingReportingOverflow(shapes[index + 1].featureCount)
      if overflow { return (nil, nil) }
      units = sum
      switch layer {
      case .conv2d(let channels, let window, let groups, _):
        let geometry = ConvolutionGeometry(
          input: shapes[index].image!, outputChannels: channels, window: window, groups: groups)!
        guard let bound = convolutionScratchBound(geometry, threads: Parallel.configuredThreadCount) else {
          return (nil, nil)
        }
        scratch = (Swift.max(scratch.perThread, bound.perThread), Swift.max(scratch.calling, bound.calling))
      case .residual(let body, let shortcut):
        for path in [body, shortcut] {
          let inner = try! ModelArchitecture.shapes(input: shapes[index], layers: path).get()
          let (pathUnits, pathScratch) = unitsAndScratch(layers: path, shapes: inner)
          guard let pathUnits, let pathScratch else { return (nil, nil) }
          let (sum, overflow) = units.addingReportingOverflow(pathUnits)
          if overflow { return (nil, nil) }
          units = sum
          scratch = (
            Swift.max(scratch.perThread, pathScratch.perThread), Swift.max(scratch.calling, pathScratch.calling)
          )
        }
      default: continue
      }
    }
    return (units, scratch)
  }
}
