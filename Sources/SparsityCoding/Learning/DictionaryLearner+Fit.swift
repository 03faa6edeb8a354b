import SparsityCore

extension DictionaryLearner {
  /// One step of online dictionary learning on `batch` (samples x features): code the batch
  /// with the current dictionary, fold the codes into A and B (`PastWeighting`), one
  /// block-coordinate sweep over the atoms, then replace unused atoms (`AtomResampling`).
  ///
  /// For data larger than memory: call it on each batch as it streams in. Initializes from the
  /// batch when the learner has no dictionary yet.
  /// - Returns: the mean Lasso objective of the batch before the update (also appended to
  ///   `objectiveHistory`).
  /// - Complexity: see `DictionaryLearner`.
  @discardableResult
  public func partialFit(_ batch: Tensor) -> Double {
    precondition(batch.rank == 2 && batch.rows >= 1, "DictionaryLearner.partialFit: batch shape \(batch.shape)")
    if !isInitialized { initialize(from: batch) }
    precondition(
      batch.columns == features,
      "DictionaryLearner.partialFit: batch \(batch.shape), dictionary has \(features) features")
    let result = sparseEncode(batch, problem: problem, solver: settings.solver)
    let objective = result.objectives.reduce(0, +) / Double(batch.rows)
    nonConvergedCodeCount += result.nonConvergedCount
    let beta = settings.pastWeighting.beta(batchesSeen: batchesSeen, batchSize: settings.batchSize)
    statistics.accumulate(codes: result.codes, samples: batch, beta: beta)
    statistics.updateDictionary(&atomsStorage, floor: usageFloor, nonnegative: settings.positiveAtoms)
    batchesSeen += 1
    resampleUnusedAtoms(from: batch)
    invalidateProblem()
    objectiveHistory.append(objective)
    return objective
  }

  /// Learns the dictionary from X (samples x features) over `epochs` passes. Each epoch visits
  /// the samples in a fresh seeded random order (in order when `settings.shuffle` is false) in
  /// batches of `settings.batchSize` (the last may be smaller), each through `partialFit`.
  /// Initializes from X when the learner has no dictionary; otherwise continues.
  ///
  /// - Parameters:
  ///   - samples: X, samples x features.
  ///   - epochs: passes over X (0 only initializes).
  ///   - evaluateEachEpoch: also code all of X after each epoch and append its mean objective
  ///     to `epochObjectives` (one more pass of coding per epoch).
  ///   - progress: called after each batch with (epoch, batch index, batches per epoch, the
  ///     batch's mean objective before its update).
  public func fit(
    _ samples: Tensor, epochs: Int, evaluateEachEpoch: Bool = false,
    progress: ((_ epoch: Int, _ batchIndex: Int, _ batchCount: Int, _ objective: Double) -> Void)? = nil
  ) {
    precondition(epochs >= 0, "DictionaryLearner.fit: epochs \(epochs) < 0")
    precondition(samples.rank == 2 && samples.rows >= 1, "DictionaryLearner.fit: samples shape \(samples.shape)")
    if !isInitialized { initialize(from: samples) }
    let n = samples.rows
    // Batches never exceed the samples, so a batch size up to Int.max cannot overflow the slicing.
    let size = Swift.min(settings.batchSize, n)
    let batchCount = (n + size - 1) / size
    var batch = Tensor(zeros: [0, samples.columns])
    for epoch in 0..<epochs {
      let order = settings.shuffle ? generator.permutation(n) : Array(0..<n)
      for index in 0..<batchCount {
        let rows = order[(index * size)..<min(n, (index + 1) * size)]
        samples.gatherRows(rows, into: &batch)
        let objective = partialFit(batch)
        progress?(epoch, index, batchCount, objective)
      }
      if evaluateEachEpoch { epochObjectives.append(objective(samples)) }
    }
  }

  /// A_jj at or below this is "never used": the update skips the atom.
  var usageFloor: Double { 1e-12 * statistics.meanUsage }

  /// Replaces each atom with A_jj < relativeThreshold * mean_k A_kk by a random sample of
  /// `batch` (seeded), normalized, and forgets its statistics. Runs once more than
  /// `warmupBatches` batches have been seen.
  private func resampleUnusedAtoms(from batch: Tensor) {
    for (j, i) in unusedAtoms(batchRows: batch.rows) {
      replace(atom: j, with: (0..<features).map { batch[i, $0] })
    }
  }

  /// The atoms to replace after this batch, each with the batch row (drawn from the seeded
  /// generator) that replaces it; none before the warm-up or without `settings.resampling`.
  func unusedAtoms(batchRows: Int) -> [(atom: Int, row: Int)] {
    guard let rule = settings.resampling, batchesSeen > rule.warmupBatches else { return [] }
    let threshold = rule.relativeThreshold * statistics.meanUsage
    var picks = [(atom: Int, row: Int)]()
    for j in 0..<settings.atoms where statistics.usage(j) < threshold || statistics.usage(j) == 0 {
      picks.append((j, Int(generator.next(upperBound: UInt64(batchRows)))))
    }
    return picks
  }

  /// Atom j becomes `row` scaled to unit norm, its statistics forgotten.
  func replace(atom j: Int, with row: [Float]) {
    let m = features
    for f in 0..<m { atomsStorage[j * m + f] = Double(row[f]) }
    normalizeAtom(j, in: &atomsStorage, features: m)
    statistics.reset(atom: j)
    resampledAtomCount += 1
  }
}
