// The memory sparse coding and dictionary learning allocate, estimated from their sizes before
// anything is allocated (`MemoryBudget.check` refuses what cannot fit).

import SparsityCore

extension MemoryEstimate {
  /// What `sparseEncode` allocates to code `samples` samples of `features` features over `atoms`
  /// atoms: the dictionary and its Gram matrix (single and double precision), the correlations
  /// X D^T and the codes (samples x atoms each), the per-sample results, and each core's solver
  /// buffers (an active set of up to min(atoms, features) atoms with its Cholesky factor).
  public static func sparseCoding(samples: Int, atoms: Int, features: Int) -> MemoryEstimate {
    let active = Swift.min(atoms, features)
    let problem = floats(atoms, features) + floats(atoms, atoms) * 4
    let perSample = floats(samples, atoms) * 2 + bytes(samples, 25)
    let perCore = (floats(active, active) * 2 + floats(atoms, 8) * 2) * Parallel.threadCount
    return problem + perSample + perCore
  }

  /// What online dictionary learning (`DictionaryLearner.fit`) allocates for `atoms` atoms of
  /// `features` features with mini-batches of `batchSize`, evaluating all `samples` samples after
  /// each epoch: the atoms and the statistics A (atoms x atoms) and B (atoms x features) in double
  /// precision with their single-precision batch terms, a batch, and the coding of all samples
  /// (which covers the coding of one batch, as the two never overlap).
  public static func dictionaryLearning(atoms: Int, features: Int, batchSize: Int, samples: Int) -> MemoryEstimate {
    let statistics = floats(atoms, atoms) * 3 + floats(atoms, features) * 6
    return statistics + floats(Swift.min(batchSize, samples), features)
      + sparseCoding(samples: samples, atoms: atoms, features: features)
  }
}
