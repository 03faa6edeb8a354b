// Data-parallel training of a network: every mini-batch is cut into parts that several
// processes share. Each process computes the gradients of its parts; the gradients, losses and
// penalties are added part by part in part order (a `PartReduction`), and every process then
// takes the same optimizer step, so the same number of parts gives the same network, bit for
// bit, on any number of processes.
import SparsityCore
import SparsityIO

extension Trainer {
  /// Why `model` cannot be trained with `settings` on batches cut into `parts` parts, or nil:
  /// the KL sparsity penalty needs every unit's mean activation over the whole batch in the
  /// backward pass. One part is always possible (it is the whole batch). The reason is a clause
  /// such as "the KL sparsity penalty needs ...".
  public static func partsProblem(model: Sequential, settings: TrainingSettings, parts: Int) -> String? {
    guard parts > 1 else { return nil }
    if settings.klSparsity != nil && allLayers(model.layers).contains(where: { $0 is Sigmoid }) {
      return "the KL sparsity penalty needs every unit's mean activation over the whole batch"
    }
    return nil
  }

  /// Why training `model` on `samples` samples in batches of `batchSize` rows, each cut into
  /// `parts` parts, would give a batch normalization layer a single value per channel, or nil:
  /// a batch (or part) of one row reaching 1 x 1 images. PyTorch refuses such a batch too.
  public static func batchProblem(model: Sequential, samples: Int, batchSize: Int, parts: Int = 1) -> String? {
    let single = allLayers(model.layers).contains { ($0 as? BatchNorm2d)?.inputShape.pixelCount == 1 }
    guard single, samples > 0, batchSize > 0, parts > 0 else { return nil }
    let full = Swift.min(batchSize, samples)
    for size in [full, samples % full] where size > 0 {
      if (0..<parts).contains(where: { BatchParts.range($0, of: parts, count: size).count == 1 }) {
        let what = parts > 1 ? "a part of one row (a batch of \(size) in \(parts) parts)" : "a batch of one row"
        return "batch normalization on 1x1 images would get \(what): one value per channel"
      }
    }
    return nil
  }

  /// The layers and, depth first, the layers inside them.
  static func allLayers(_ layers: [Layer]) -> [Layer] {
    layers.flatMap { [$0] + $0.sublayers.flatMap { allLayers($0.layers) } }
  }

  /// `fit` with every mini-batch cut into `parts` parts (`BatchParts.range` of the batch's
  /// rows), of which this process computes `reduction.localParts(total: parts)`. Every process
  /// holds the whole data set and draws the same shuffle; per step the processes add up, in
  /// part order, every parameter's gradient (once, as one vector) and the parts' losses and
  /// penalties (2 values per part). The loss and the activation L1 penalty of a part are
  /// averaged over the whole batch's rows, so the parts add up to the batch's mean. With more
  /// than one part, each part's dropout masks come from a generator of its own, seeded from the
  /// training seed, the step, the part and the layer.
  ///
  /// Batch normalization normalizes each part with the part's own statistics (as PyTorch's
  /// DistributedDataParallel does without SyncBatchNorm, or "ghost" batch normalization), and
  /// its running statistics become the mean over the parts of what each part's update gave
  /// (added in part order, in Double): the same on every process.
  ///
  /// With one part the result equals `fit`'s, bit for bit.
  /// - Precondition: `partsProblem(model:settings:parts:)` is nil; `parts` ≥ 1.
  /// - Throws: what `reduction` throws (a failed exchange between processes).
  public func fit(
    train: LabeledDataset, validation: LabeledDataset, parts: Int, reduction: some PartReduction,
    onBatch: (Int, Int) -> Void = { _, _ in }, onEpoch: (EpochReport) -> Void = { _ in }
  ) throws -> [EpochReport] {
    try fit(train: train, validation: validation, onEpoch: onEpoch) {
      try trainEpoch(train, learningRate: $0, parts: parts, reduction: reduction, onBatch: onBatch)
    }
  }

  /// One epoch of `fit(train:validation:parts:reduction:...)`: returns the mean loss and mean
  /// penalty over the batches, the same on every process.
  public func trainEpoch(
    _ data: LabeledDataset, learningRate: Float, parts: Int, reduction: some PartReduction,
    onBatch: (Int, Int) -> Void = { _, _ in }
  ) throws -> (loss: Double, penalty: Double) {
    precondition(parts >= 1, "Trainer: \(parts) parts")
    if let problem = Self.partsProblem(model: model, settings: settings, parts: parts) {
      preconditionFailure("Trainer: \(problem)")
    }
    let hook = ActivationPenaltyHook(model: model, settings: settings)
    let parameters = model.parameters
    let size = parameters.reduce(0) { $0 + $1.value.count }
    let here = reduction.localParts(total: parts)
    let stochastic = model.layers.flatMap(\.stochasticLayers)
    var local = [Float](repeating: 0, count: here.count * size)
    var summed = [Float](repeating: 0, count: size)
    var sums = [Double](repeating: 0, count: 2 * here.count)
    var batch = Tensor(zeros: [0, data.features.columns])
    var labels: [Int] = []
    var gradient = Tensor(zeros: [0, 0])
    // Batch normalization's running statistics: at the step's start, and after each local part.
    let running = Self.allLayers(model.layers).compactMap { $0 as? BatchNorm2d }.flatMap(\.buffers)
    let runningSize = running.reduce(0) { $0 + $1.value.count }
    var starting = [Float]()
    var partRunning = [Double](repeating: 0, count: here.count * runningSize)
    return try epoch(data, learningRate: learningRate, onBatch: onBatch) { rows in
      starting = running.flatMap(\.value.scalars)
      for (i, part) in here.enumerated() {
        let range = BatchParts.range(part, of: parts, count: rows.count)
        let partRows = rows[(rows.startIndex + range.lowerBound)..<(rows.startIndex + range.upperBound)]
        (sums[2 * i], sums[2 * i + 1]) = (0, 0)
        defer { Self.record(running, as: &partRunning, at: i * runningSize, restoring: starting) }
        guard !partRows.isEmpty else {
          for e in (i * size)..<((i + 1) * size) { local[e] = 0 }
          continue
        }
        data.features.gatherRows(partRows, into: &batch)
        labels.removeAll(keepingCapacity: true)
        for row in partRows { labels.append(data.labels[row]) }
        if parts > 1 {
          for (index, layer) in stochastic.enumerated() {
            layer.reseed(Self.partSeed(settings.seed, step: step, part: part, layer: index))
          }
        }
        model.zeroGradients()
        let logits = model.forward(batch, training: true)
        let loss = softmaxCrossEntropy(
          logits: logits, labels: labels, reduction: .meanOverBatch(samples: rows.count), gradient: &gradient)
        hook?.batchRows = rows.count
        model.backward(gradient, activationPenalty: hook?.apply)
        (sums[2 * i], sums[2 * i + 1]) = (Double(loss), Double(hook?.penalty ?? 0))
        local.withUnsafeMutableBufferPointer { flat in
          var offset = i * size
          for parameter in parameters {
            parameter.materializeGradient()
            parameter.gradient.scalars.withUnsafeBufferPointer {
              (flat.baseAddress! + offset).update(from: $0.baseAddress!, count: $0.count)
            }
            offset += parameter.value.count
          }
        }
      }
      try local.withUnsafeBufferPointer { flat in
        try summed.withUnsafeMutableBufferPointer {
          try reduction.orderedSum(flat, count: size, parts: parts, into: $0)
        }
      }
      summed.withUnsafeBufferPointer { flat in
        var offset = 0
        for parameter in parameters {
          parameter.materializeGradient()
          let count = parameter.value.count
          parameter.gradient.scalars.withUnsafeMutableBufferPointer {
            $0.baseAddress!.update(from: flat.baseAddress! + offset, count: count)
          }
          offset += count
        }
      }
      if runningSize > 0 {
        let summed = try reduction.orderedSum(partRunning, count: runningSize, parts: parts)
        var offset = 0
        for buffer in running {
          for e in 0..<buffer.value.count { buffer.value.scalars[e] = Float(summed[offset + e] / Double(parts)) }
          offset += buffer.value.count
        }
      }
      let total = try reduction.orderedSum(sums, count: 2, parts: parts)
      return (total[0], total[1])
    }
  }

  /// Copies the values of `buffers` into `values` from `offset` (as Double), then sets the
  /// buffers back to `restoring` (their values at the step's start), for the next part.
  private static func record(
    _ buffers: [Buffer], as values: inout [Double], at offset: Int, restoring: [Float]
  ) {
    var e = offset
    var r = 0
    for buffer in buffers {
      for q in 0..<buffer.value.count {
        values[e] = Double(buffer.value.scalars[q])
        buffer.value.scalars[q] = restoring[r]
        e += 1
        r += 1
      }
    }
  }

  /// The seed of the dropout generator of stochastic layer `layer` for `part` at `step`:
  /// distinct for every (seed, step, part, layer), the same on every process.
  static func partSeed(_ seed: UInt64, step: Int, part: Int, layer: Int) -> UInt64 {
    var mixed = seed
    for value in [UInt64(truncatingIfNeeded: step), UInt64(part), UInt64(layer)] {
      mixed = (mixed ^ value) &* 0x9E37_79B9_7F4A_7C15
      mixed ^= mixed >> 31
    }
    return mixed
  }
}
