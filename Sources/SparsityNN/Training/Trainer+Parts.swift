// Data-parallel training of a network: every mini-batch is cut into parts that several
// processes share. Each process computes the gradients of its parts; the gradients, losses and
// penalties are added part by part in part order (a `PartReduction`), and every process then
// takes the same optimizer step, so the same number of parts gives the same network, bit for
// bit, on any number of processes.
import SparsityCore
import SparsityIO

extension Trainer {
  /// Why training `model` on `samples` samples in batches of `batchSize` rows, each cut into
  /// `parts` parts, would give a batch normalization layer a single value per channel, or nil:
  /// a batch (or part) of one row reaching 1 x 1 images. PyTorch refuses such a batch too.
  public static func batchProblem(model: Sequential, samples: Int, batchSize: Int, parts: Int = 1) -> String? {
    let single = model.layers.flatMap(\.nestedLayers).contains { ($0 as? BatchNorm2d)?.inputShape.pixelCount == 1 }
    return single ? oneRowProblem(samples: samples, batchSize: batchSize, parts: parts) : nil
  }

  /// `batchProblem` for a network that normalizes 1x1 images (`ModelArchitecture
  /// .normalizesSingleValues`): why some batch of `samples` in batches of `batchSize`, or some
  /// part of one in `parts` parts, would hold a single row, or nil.
  public static func oneRowProblem(samples: Int, batchSize: Int, parts: Int = 1) -> String? {
    guard samples > 0, batchSize > 0, parts > 0 else { return nil }
    let full = Swift.min(batchSize, samples)
    for size in [full, samples % full] where size > 0 {
      if (0..<parts).contains(where: { BatchParts.range($0, of: parts, count: size).count == 1 }) {
        let what = parts > 1 ? "a part of one row (a batch of \(size) in \(parts) parts)" : "a batch of one row"
        return "batch normalization on 1x1 images would get \(what): one value per channel"
      }
    }
    return nil
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
  /// (added in part order, in Double; empty parts of a short last batch left out): the same on
  /// every process. The KL sparsity penalty needs
  /// every unit's mean activation over the whole batch before any part's backward pass: with
  /// more than one part, a first forward pass of the local parts (with the step's dropout masks)
  /// gives each part's column sums at the penalized layers, added in part order (one more
  /// exchange per step), and the penalty's gradient then uses the batch's means.
  ///
  /// With one part the result equals `fit`'s, bit for bit.
  /// - Precondition: `parts` ≥ 1.
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
    let hook = ActivationPenaltyHook(model: model, settings: settings)
    let parameters = model.parameters
    let size = parameters.reduce(0) { $0 + $1.value.count }
    let here = reduction.localParts(total: parts)
    let stochastic = model.layers.flatMap(\.nestedLayers).compactMap { $0 as? StochasticLayer }
    var local = [Float](repeating: 0, count: here.count * size)
    var summed = [Float](repeating: 0, count: size)
    var sums = [Double](repeating: 0, count: 2 * here.count)
    var batch = Tensor(zeros: [0, data.features.columns])
    var labels: [Int] = []
    var gradient = Tensor(zeros: [0, 0])
    // Batch normalization's running statistics: at the step's start, and after each local part.
    let running = model.layers.flatMap(\.nestedLayers).compactMap { $0 as? BatchNorm2d }.flatMap(\.buffers)
    let runningSize = running.reduce(0) { $0 + $1.value.count }
    var starting = [Float]()
    var partRunning = [Double](repeating: 0, count: here.count * runningSize)
    // The KL-penalized layers, which need the whole batch's mean activations (several parts).
    let kl = parts > 1 ? settings.klSparsity : nil
    let klLayers = kl == nil ? [] : model.layers.indices.filter { model.layers[$0] is Sigmoid }
    let klWidth = klLayers.reduce(0) { $0 + model.features[$1 + 1] }
    /// The rows and labels of `part` of the batch `rows` into `batch` and `labels`, its dropout
    /// generators reseeded; false for an empty part.
    func load(_ part: Int, of rows: ArraySlice<Int>) -> Bool {
      let range = BatchParts.range(part, of: parts, count: rows.count)
      let partRows = rows[(rows.startIndex + range.lowerBound)..<(rows.startIndex + range.upperBound)]
      guard !partRows.isEmpty else { return false }
      data.features.gatherRows(partRows, into: &batch)
      labels.removeAll(keepingCapacity: true)
      for row in partRows { labels.append(data.labels[row]) }
      if parts > 1 {
        for (index, layer) in stochastic.enumerated() {
          layer.reseed(Self.partSeed(settings.seed, step: step, part: part, layer: index))
        }
      }
      return true
    }
    return try epoch(data, learningRate: learningRate, onBatch: onBatch) { rows in
      starting = running.flatMap(\.value.scalars)
      hook?.batchRows = rows.count
      var klPenalty = 0.0
      if let kl, klWidth > 0 {
        // A forward pass of every local part (with the step's dropout masks) for the column sums
        // at the penalized layers, added in part order; the running statistics are left as found.
        var columnSums = [Double]()
        for part in here {
          guard load(part, of: rows) else {
            columnSums += [Double](repeating: 0, count: klWidth)
            continue
          }
          model.forward(batch, training: true)
          for layer in klLayers { columnSums += KLSparsity.columnSums(model.activations[layer + 1]) }
        }
        Self.restore(running, to: starting)
        let total = try reduction.orderedSum(columnSums, count: klWidth, parts: parts)
        var offset = 0
        for layer in klLayers {
          let width = model.features[layer + 1]
          let means = KLSparsity.clampedMeans(sums: Array(total[offset..<(offset + width)]), rows: rows.count)
          hook?.batchMeans[layer] = means
          klPenalty += Double(kl.penalty(means: means))
          offset += width
        }
      }
      for (i, part) in here.enumerated() {
        (sums[2 * i], sums[2 * i + 1]) = (0, 0)
        guard load(part, of: rows) else {
          // An empty part (a short last batch) adds nothing, running statistics included.
          for e in (i * size)..<((i + 1) * size) { local[e] = 0 }
          for e in (i * runningSize)..<((i + 1) * runningSize) { partRunning[e] = 0 }
          continue
        }
        defer { Self.record(running, as: &partRunning, at: i * runningSize, restoring: starting) }
        model.zeroGradients()
        let logits = model.forward(batch, training: true)
        let loss = softmaxCrossEntropy(
          logits: logits, labels: labels, reduction: .meanOverBatch(samples: rows.count), gradient: &gradient)
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
        // The mean over the parts that had rows: min(rows, parts) of them.
        let summed = try reduction.orderedSum(partRunning, count: runningSize, parts: parts)
        let filled = Double(Swift.min(rows.count, parts))
        var offset = 0
        for buffer in running {
          for e in 0..<buffer.value.count { buffer.value.scalars[e] = Float(summed[offset + e] / filled) }
          offset += buffer.value.count
        }
      }
      let total = try reduction.orderedSum(sums, count: 2, parts: parts)
      return (total[0], total[1] + klPenalty)
    }
  }

  /// Copies the values of `buffers` into `values` from `offset` (as Double), then sets the
  /// buffers back to `restoring` (their values at the step's start), for the next part.
  private static func record(
    _ buffers: [Buffer], as values: inout [Double], at offset: Int, restoring: [Float]
  ) {
    var e = offset
    for buffer in buffers {
      for q in 0..<buffer.value.count {
        values[e] = Double(buffer.value.scalars[q])
        e += 1
      }
    }
    restore(buffers, to: restoring)
  }

  /// Sets the values of `buffers` to `values`, buffer after buffer.
  private static func restore(_ buffers: [Buffer], to values: [Float]) {
    var r = 0
    for buffer in buffers {
      for q in 0..<buffer.value.count {
        buffer.value.scalars[q] = values[r]
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
