// A training step on a batch cut into parts that several processes share (data-parallel
// training): each process codes its parts; the sums the loss needs over the whole batch, the
// gradient and the latents' firing counts are added part by part in part order (a
// `PartReduction`), so every process takes the same step, bit for bit, however the parts are
// dealt out.
import Foundation
import SparsityCore

extension SAETrainer {
  /// One step on a batch of `parts` parts, of which this process holds `local` (raw rows,
  /// scaled in place by `inputScale`; part i of `local` is part `reduction.localParts(total:
  /// parts)[i]` of the batch). Per step the processes add up, in part order: the batch's sums
  /// (6 + 2 · inputs values per part), the gradient (every parameter, one value each per part),
  /// the sparsity term (L1 and JumpReLU, one value per part) and the latents' firing counts
  /// (exact integers). BatchTopK first finds the whole batch's threshold, the (k · rows)-th
  /// largest pre-activation, by four exchanges of 256 counts (`PartReduction.largest`), and
  /// keeps what lies above it in every part: the codes a selection over the whole batch gives.
  /// The update is then `referenceStep`'s: the decoder gradient made tangent to its unit-norm
  /// rows, one Adam step, the rows renormalized.
  ///
  /// With one part the step equals `referenceStep` on the whole batch, bit for bit.
  /// - Precondition: `local` has `reduction.localParts(total: parts).count` parts.
  public mutating func step(
    parts local: [(rows: UnsafeMutablePointer<Float>, count: Int)], of parts: Int,
    reduction: some PartReduction, totalSteps: Int
  ) throws -> SAEBatchLoss {
    precondition(
      local.count == reduction.localParts(total: parts).count,
      "SAETrainer: \(local.count) parts here, \(reduction.localParts(total: parts).count) expected")
    let (n, d) = (settings.latents, inputs)
    while partSteps.count < local.count { partSteps.append(makeGradientStep()) }
    let dead = deadLatents
    let batchTopK = try batchTopKThreshold(parts: local, reduction: reduction)
    // The forward pass of every local part and its sums.
    var sums = [Double]()
    var losses = [SAEBatchLoss]()
    for (i, part) in local.enumerated() {
      if batchTopK == nil { scaleInputs(part.rows, rows: part.count) }
      var loss = SAEBatchLoss(fvu: 0, auxFVU: 0, l0: 0, sparsityTerm: 0, total: 0, smallestKept: 0)
      sums +=
        partSteps[i].forwardSums(
          parameters, batch: part.rows, rows: part.count, dead: dead, loss: &loss, keepingAbove: batchTopK?.bound
        ).flattened
      losses.append(loss)
    }
    let width = 6 + 2 * d
    let total = SAEBatchSums(flattened: try reduction.orderedSum(sums, count: width, parts: parts), inputs: d)
    // The gradient of every local part, normalized by the whole batch, into one flat buffer
    // (kept from step to step: fresh megabytes each step cost more in page faults than the work).
    let size = parameters.count
    if partBuffers.gradient.count != size {
      partBuffers = PartBuffers(SAEParameters(latents: n, inputs: d, thresholds: !parameters.logThresholds.isEmpty))
    }
    if partBuffers.local.count < local.count * size {
      partBuffers.local = [Float](repeating: 0, count: local.count * size)
    }
    var terms = [Double]()
    var fired = [Int64](repeating: 0, count: n)
    for (i, part) in local.enumerated() {
      partSteps[i].finishLoss(total, loss: &losses[i])
      partSteps[i].backward(
        parameters, rows: part.count, normalizingRows: Int(total.rows), loss: &losses[i],
        into: &partBuffers.gradient)
      partBuffers.local.withUnsafeMutableBufferPointer { flat in
        partBuffers.gradient.copyFlattened(into: flat.baseAddress! + i * size)
      }
      terms.append(losses[i].sparsityTerm)
      let codes = partSteps[i].workspace.codes
      for q in 0..<codes.nonzeroCount { fired[Int(codes.indices[q])] += 1 }
    }
    try partBuffers.local.withUnsafeBufferPointer { flat in
      try partBuffers.summed.withUnsafeMutableBufferPointer { summed in
        try reduction.orderedSum(
          UnsafeBufferPointer(rebasing: flat[0..<(local.count * size)]), count: size, parts: parts, into: summed)
      }
    }
    partBuffers.summed.withUnsafeBufferPointer { partBuffers.gradient.copyUnflattened(from: $0.baseAddress!) }
    try reduction.sum(&fired)
    let batchRows = Int(total.rows)
    for j in 0..<n { rowsSinceFired[j] = fired[j] > 0 ? 0 : rowsSinceFired[j] + batchRows }
    // The batch's loss from its sums, the same on every process (with or without parts, and
    // whichever of its parts are empty).
    var loss = SAEBatchLoss(fvu: 0, auxFVU: 0, l0: 0, sparsityTerm: 0, total: 0, smallestKept: 0)
    loss.fvu = total.squaredError / total.variance
    loss.rowsVary = total.rowsVary
    loss.l0 = total.rows > 0 ? total.nonzeros / total.rows : 0
    loss.auxFVU = total.auxSquaredError / total.auxVariance
    switch settings.objective {
    case .l1, .jumpReLU: loss.sparsityTerm = try reduction.orderedSum(terms, count: 1, parts: parts)[0]
    case .topK, .batchTopK: loss.sparsityTerm = 0
    }
    applyUpdate(partBuffers.gradient, totalSteps: totalSteps)
    loss.total = loss.fvu + Double(settings.auxCoefficient) * loss.auxFVU + loss.sparsityTerm
    if let batchTopK {
      loss.smallestKept = try batchSmallestKept(
        kth: batchTopK.kth, localParts: local.count, of: parts, reduction: reduction)
      updateBatchThreshold(smallestKept: loss.smallestKept)
    }
    return loss
  }

  /// BatchTopK (nil for the other objectives): scales the local parts' rows, computes their
  /// pre-activations, and returns the whole batch's (k · rows)-th largest pre-activation and
  /// the bound the codes keep entries above, as `selectBatchTopKCodes`: just below that value,
  /// or 0 when it is not positive.
  private mutating func batchTopKThreshold(
    parts local: [(rows: UnsafeMutablePointer<Float>, count: Int)], reduction: some PartReduction
  ) throws -> (kth: Float, bound: Float)? {
    guard case .batchTopK(let k) = settings.objective else { return nil }
    let n = settings.latents
    for (i, part) in local.enumerated() {
      scaleInputs(part.rows, rows: part.count)
      partSteps[i].batchPreActivations(parameters, batch: part.rows, rows: part.count)
    }
    let pre = local.indices.map { partSteps[$0].workspace.pre[0..<(local[$0].count * n)] }
    let kth = try reduction.largest(rank: { Swift.min($0, k * ($0 / n)) }, among: pre) ?? 0
    return (kth, kth > 0 ? kth.nextDown : 0)
  }

  /// BatchTopK's smallest kept value over the whole batch once the codes are selected: the
  /// threshold `kth` itself when it is positive, else the smallest positive entry (each part's
  /// smallest gathered), 0 when nothing was kept.
  private func batchSmallestKept(kth: Float, localParts: Int, of parts: Int, reduction: some PartReduction) throws
    -> Float
  {
    if kth > 0 { return kth }
    let smallest = (0..<localParts).map { i in
      let codes = partSteps[i].workspace.codes
      return [codes.values.prefix(codes.nonzeroCount).min() ?? .infinity]
    }
    let all = try reduction.gatherParts(smallest, parts: parts).compactMap(\.first).min() ?? .infinity
    return all.isFinite ? all : 0
  }
}

/// The buffers of `SAETrainer.step(parts:...)`, kept from step to step: one part's gradient,
/// the local parts' gradients flattened, and their sum over all parts.
struct PartBuffers {
  var gradient: SAEParameters
  var local: [Float] = []
  var summed: [Float]

  init(_ template: SAEParameters) {
    gradient = template
    summed = [Float](repeating: 0, count: template.count)
  }
}

extension SAEParameters {
  /// The arrays in their order (encoder, encoderBias, decoder, decoderBias, logThresholds).
  static var arrays: [WritableKeyPath<SAEParameters, [Float]>] {
    [\.encoder, \.encoderBias, \.decoder, \.decoderBias, \.logThresholds]
  }

  /// Writes every value to `out`, array after array (`count` values).
  func copyFlattened(into out: UnsafeMutablePointer<Float>) {
    var offset = 0
    for path in Self.arrays where !self[keyPath: path].isEmpty {
      self[keyPath: path].withUnsafeBufferPointer { (out + offset).update(from: $0.baseAddress!, count: $0.count) }
      offset += self[keyPath: path].count
    }
  }

  /// Reads every value from `values`, array after array (`copyFlattened`'s layout).
  mutating func copyUnflattened(from values: UnsafePointer<Float>) {
    var offset = 0
    for path in Self.arrays where !self[keyPath: path].isEmpty {
      let count = self[keyPath: path].count
      self[keyPath: path].withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: values + offset, count: count) }
      offset += count
    }
  }
}
