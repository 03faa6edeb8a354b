// Online dictionary learning with each batch cut into parts that processes share (MPI ranks):
// each process codes the samples of its parts, and only the sufficient statistics' products
// C^T C and C^T X travel, added in part order, so every process makes the same update.
import SparsityCore

extension DictionaryLearner {
  /// One step of online dictionary learning on a batch cut into `parts` parts, of which this
  /// process holds `local` (samples x features each; part p holds the batch's rows
  /// `BatchParts.range(p, of: parts, count: rows)`). Each part's codes give its C^T C and C^T X,
  /// which `reduction` adds in part order, with the parts' sample counts, objectives and
  /// unconverged codes; then every process updates A, B and the dictionary as `partialFit`
  /// does. An unused atom is replaced by the batch row the seeded generator picks, sent by the
  /// process that holds it. With one part this is `partialFit(_:)`, bit for bit; for any number
  /// of parts the result is the same whichever process holds which part.
  /// - Precondition: the learner is initialized (every process from the same samples).
  /// - Returns: the batch's mean Lasso objective before the update.
  @discardableResult
  public func partialFit(parts local: [Tensor], of parts: Int, reduction: some PartReduction) throws -> Double {
    precondition(isInitialized, "DictionaryLearner.partialFit(parts:): initialize the learner first")
    let mine = reduction.localParts(total: parts)
    precondition(local.count == mine.count, "DictionaryLearner: \(local.count) parts here, \(mine.count) expected")
    let (k, m) = (settings.atoms, features)
    let size = k * k + k * m
    var products = [Float](repeating: 0, count: local.count * size)
    var scalars = [Double]()
    for (i, part) in local.enumerated() {
      precondition(part.rank == 2 && part.columns == m, "DictionaryLearner: part \(part.shape), \(m) features")
      guard part.rows > 0 else {
        scalars += [0, 0, 0]
        continue
      }
      let result = sparseEncode(part, problem: problem, solver: settings.solver)
      let gram = Tensor.gram(result.codes, transposeA: true)
      let cross = Tensor.matmul(result.codes, part, transposeA: true)
      for e in 0..<(k * k) { products[i * size + e] = gram.scalars[e] }
      for e in 0..<(k * m) { products[i * size + k * k + e] = cross.scalars[e] }
      scalars += [Double(part.rows), result.objectives.reduce(0, +), Double(result.nonConvergedCount)]
    }
    let summed = try reduction.orderedSum(products, count: size, parts: parts)
    let totals = try reduction.orderedSum(scalars, count: 3, parts: parts)
    let rows = Int(totals[0])
    precondition(rows > 0, "DictionaryLearner.partialFit(parts:): the batch has no samples")
    let objective = totals[1] / Double(rows)
    nonConvergedCodeCount += Int(totals[2])
    let beta = settings.pastWeighting.beta(batchesSeen: batchesSeen, batchSize: settings.batchSize)
    summed.withUnsafeBufferPointer {
      statistics.accumulate(gram: $0.baseAddress!, cross: $0.baseAddress! + k * k, rows: rows, beta: beta)
    }
    statistics.updateDictionary(&atomsStorage, floor: usageFloor, nonnegative: settings.positiveAtoms)
    batchesSeen += 1
    try resample(parts: local, of: parts, rows: rows, reduction: reduction)
    invalidateProblem()
    objectiveHistory.append(objective)
    return objective
  }

  /// Learns from X (samples x features, the same on every process) over `epochs` passes as
  /// `fit` does, each batch cut into `parts` parts of which this process codes its own
  /// (`partialFit(parts:of:reduction:)`). `evaluateEachEpoch` and `progress` as for `fit` (the
  /// evaluation codes all of X on every process).
  public func fit(
    _ samples: Tensor, epochs: Int, parts: Int, reduction: some PartReduction, evaluateEachEpoch: Bool = false,
    progress: ((_ epoch: Int, _ batchIndex: Int, _ batchCount: Int, _ objective: Double) -> Void)? = nil
  ) throws {
    precondition(epochs >= 0 && parts >= 1, "DictionaryLearner.fit: epochs \(epochs), parts \(parts)")
    precondition(samples.rank == 2 && samples.rows >= 1, "DictionaryLearner.fit: samples shape \(samples.shape)")
    if !isInitialized { initialize(from: samples) }
    let n = samples.rows
    let size = Swift.min(settings.batchSize, n)
    let batchCount = (n + size - 1) / size
    let mine = reduction.localParts(total: parts)
    for epoch in 0..<epochs {
      let order = settings.shuffle ? generator.permutation(n) : Array(0..<n)
      for index in 0..<batchCount {
        let rows = Array(order[(index * size)..<min(n, (index + 1) * size)])
        let local = mine.map { part -> Tensor in
          var out = Tensor(zeros: [0, samples.columns])
          samples.gatherRows(rows[BatchParts.range(part, of: parts, count: rows.count)], into: &out)
          return out
        }
        let objective = try partialFit(parts: local, of: parts, reduction: reduction)
        progress?(epoch, index, batchCount, objective)
      }
      if evaluateEachEpoch { epochObjectives.append(objective(samples)) }
    }
  }

  /// Replaces the unused atoms (`unusedAtoms`) by the picked batch rows: each process sends the
  /// picked rows its parts hold, in pick order, and every process takes them in that order.
  private func resample(parts local: [Tensor], of parts: Int, rows: Int, reduction: some PartReduction) throws {
    let picks = unusedAtoms(batchRows: rows)
    guard !picks.isEmpty else { return }
    let mine = reduction.localParts(total: parts)
    let owner = { (row: Int) in (0..<parts).first { BatchParts.range($0, of: parts, count: rows).contains(row) }! }
    var sent = [[Float]](repeating: [], count: local.count)
    for pick in picks where mine.contains(owner(pick.row)) {
      let part = owner(pick.row)
      let row = pick.row - BatchParts.range(part, of: parts, count: rows).lowerBound
      sent[part - mine.lowerBound] += (0..<features).map { local[part - mine.lowerBound][row, $0] }
    }
    let received = try reduction.gatherParts(sent, parts: parts)
    var taken = [Int](repeating: 0, count: parts)
    for pick in picks {
      let part = owner(pick.row)
      let start = taken[part] * features
      replace(atom: pick.atom, with: Array(received[part][start..<(start + features)]))
      taken[part] += 1
    }
  }
}
