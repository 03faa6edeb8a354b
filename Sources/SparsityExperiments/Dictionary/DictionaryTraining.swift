// One dictionary learning run as `sparsity learn-dictionary` makes it: the settings, the start,
// the learning and the mosaic of the atoms.

import SparsityCoding
import SparsityCore
import SparsityIO

/// The settings of a dictionary learning run: online dictionary learning (Mairal, Bach, Ponce,
/// Sapiro, JMLR 2010) minimizing (1/n) sum_i 0.5 ||x_i - a_i D||^2 + lambda ||a_i||_1 over
/// samples X (samples x features) and a dictionary D (atoms x features, unit-norm rows).
public struct DictionaryTraining: Sendable {
  /// Where the first atoms come from.
  public enum Start: Equatable, Sendable {
    /// Random samples.
    case samples
    /// Seeded random directions.
    case randomDirections
    /// Half the atoms (rounded up, at most one per frequency) the orthonormal DCT-II basis
    /// vectors at frequencies spread evenly from 0 to the highest, the rest random samples: a
    /// start for frames of sound that already codes as well as the DCT does, so that learning
    /// only has to improve on it, and with samples to specialize.
    case dct
    /// The atoms x features matrix of a `.npy` file, rows rescaled to unit norm.
    case file(String)

    /// `samples`, `random`, `dct`, or else the path of a `.npy` file.
    public init(parsing text: String) {
      switch text {
      case "samples": self = .samples
      case "random": self = .randomDirections
      case "dct": self = .dct
      default: self = .file(text)
      }
    }
  }

  /// Dictionary size.
  public var atoms = 256
  /// The Lasso weight (not used when `nonzeros` is set).
  public var lambda: Float = 0.5
  /// When set, code with orthogonal matching pursuit of this many atoms per sample instead of
  /// the Lasso: the dictionary is then learned for k-sparse codes, the use a coder at a fixed
  /// budget (k coefficients per frame of sound) makes of it.
  public var nonzeros: Int?
  /// Nonnegative codes.
  public var positiveCodes = false
  /// Nonnegative atoms.
  public var positiveAtoms = false
  /// Passes over the samples.
  public var epochs = 5
  /// Mini-batch size.
  public var batchSize = 256
  /// The seed of the initialization and the shuffles.
  public var seed: UInt64 = 0
  /// The first atoms.
  public var start = Start.samples

  /// The defaults of `sparsity learn-dictionary`.
  public init() {}

  /// A learner with these settings whose atoms are initialized as `start` says for `samples`.
  /// - Throws: as `DictionarySamples.initialDictionary` for a `.file` start that does not fit.
  public func learner(for samples: Tensor) throws -> DictionaryLearner {
    let learner = DictionaryLearner(
      atoms: atoms, lambda: nonzeros == nil ? lambda : 0, positiveCodes: nonzeros == nil && positiveCodes,
      batchSize: batchSize, seed: seed, solver: nonzeros.map { .orthogonalMatchingPursuit(nonzeros: $0) },
      positiveAtoms: positiveAtoms, initialization: start == .randomDirections ? .randomDirections : .samples)
    switch start {
    case .file(let file):
      learner.initialize(
        dictionary: try DictionarySamples.initialDictionary(file: file, atoms: atoms, features: samples.columns))
    case .dct: learner.initialize(dictionary: dctStart(samples))
    case .samples, .randomDirections: learner.initialize(from: samples)
    }
    return learner
  }

  /// The `.dct` start for `samples`: ceil(atoms / 2) DCT-II basis vectors (at most one per
  /// frequency, evenly spread), then seeded random samples (random directions for all-zero ones).
  func dctStart(_ samples: Tensor) -> Tensor {
    let features = samples.columns
    let basis = DCT.basis(length: features)
    let cosines = Swift.min(features, (atoms + 1) / 2)
    var rows: [Float] = []
    rows.reserveCapacity(atoms * features)
    for j in 0..<cosines { rows += basis.row(j * features / cosines).scalars }
    var generator = Xoshiro256StarStar(seed: seed)
    let order = generator.permutation(samples.rows)
    for j in 0..<(atoms - cosines) {
      let sample = samples.row(order[j % order.count]).scalars
      rows +=
        sample.contains { $0 != 0 } ? sample : (0..<features).map { _ in Float.random(in: -1...1, using: &generator) }
    }
    return Tensor(shape: [atoms, features], scalars: rows)
  }

  /// The memory learning on `samples` samples of `features` features needs (the learner, the
  /// coding of all samples after each epoch, the summary's reconstruction).
  public func memoryEstimate(samples: Int, features: Int) -> MemoryEstimate {
    .dictionaryLearning(atoms: atoms, features: features, batchSize: batchSize, samples: samples)
      + .floats(Swift.min(samples, DictionarySummary.evaluationLimit), features) * 2
  }

  /// The warning for learning on `samples` samples of `features` features when it would take
  /// more than a day (`LongRunWarning`): per epoch at least the correlations of every sample with
  /// every atom and the statistics' update, 2 x samples x atoms x features multiply-adds.
  public func longRunWarning(samples: Int, features: Int) -> String? {
    let perEpoch = 2 * Double(samples) * Double(atoms) * Double(features)
    return LongRunWarning.message(
      "learn-dictionary --epochs \(epochs) --atoms \(atoms) on \(samples) samples",
      multiplyAdds: perEpoch * Double(epochs))
  }

  /// Throws unless learning on `samples` samples of `features` features fits in memory.
  /// - Throws: `MemoryBudgetError.insufficient` naming `--atoms`, `--batch` and the samples.
  public func checkMemory(samples: Int, features: Int) throws(MemoryBudgetError) {
    try MemoryBudget.check(
      memoryEstimate(samples: samples, features: features),
      for: "learn-dictionary --atoms \(atoms) --batch \(batchSize) on \(samples) samples of \(features) features")
  }

  /// Learns a dictionary on `samples` for `epochs` epochs, with the mean objective after each.
  /// `onBatch(done, total)` reports the mini-batches of each epoch.
  /// - Returns: the learner (its `dictionary`, `transform`) and the run's summary (without
  ///   `seconds`, which the caller times).
  /// - Throws: `MemoryBudgetError` when the learning cannot fit in memory (checked before
  ///   anything is allocated); `ExperimentError.unusableData` when the learned atoms are not
  ///   finite (samples so large that their products overflow Float); as `learner(for:)`.
  ///
  /// With `parts`, each batch is cut into that many parts and this process codes only the
  /// parts `reduction` deals it (`DictionaryLearner.fit(_:epochs:parts:reduction:)`): the same
  /// parts give the same dictionary whichever processes code them.
  public func learn(
    _ samples: Tensor, parts: Int? = nil, reduction: some PartReduction = LocalPartReduction(),
    onBatch: @escaping (Int, Int) -> Void = { _, _ in }
  ) throws -> (learner: DictionaryLearner, summary: DictionarySummary) {
    try checkMemory(samples: samples.rows, features: samples.columns)
    let learner = try learner(for: samples)
    if let parts {
      guard parts >= 1, parts <= Swift.min(batchSize, samples.rows) else {
        throw ExperimentError.invalidSetting(
          option: "parts", value: "\(parts)",
          expected: "from 1 to the batch (\(Swift.min(batchSize, samples.rows)) samples)")
      }
      try learner.fit(samples, epochs: epochs, parts: parts, reduction: reduction, evaluateEachEpoch: true) {
        _, index, count, _ in onBatch(index + 1, count)
      }
    } else {
      learner.fit(samples, epochs: epochs, evaluateEachEpoch: true) { _, index, count, _ in onBatch(index + 1, count) }
    }
    let summary = DictionarySummary(learner: learner, samples: samples, epochs: epochs)
    guard learner.dictionary.scalars.allSatisfy(\.isFinite), summary.finalObjective.isFinite else {
      let largest = samples.scalars.reduce(0) { Swift.max($0, abs($1)) }
      throw ExperimentError.unusableData(
        "learn-dictionary: the learned atoms or their objective are not finite: the samples (largest magnitude"
          + " \(largest)) overflow single precision; scale them down")
    }
    return (learner, summary)
  }
}

/// A dictionary's atoms as one image: square tiles, each scaled to its own range.
public enum DictionaryMosaic {
  /// The side of the square tiles of atoms with `features` features.
  /// - Throws: `ExperimentError.unusableData` naming `file`, the mosaic asked for, when
  ///   `features` is not a perfect square.
  public static func tileSize(features: Int, file: String) throws(ExperimentError) -> Int {
    let size = Int(Double(features).squareRoot().rounded())
    guard size * size == features else {
      throw .unusableData(
        "learn-dictionary: --image \(file) needs square patches, but the samples have \(features) features (not a perfect square)"
      )
    }
    return size
  }

  /// The mosaic of the rows of `dictionary` as `size` x `size` tiles, each pixel drawn as
  /// `scale` x `scale` pixels.
  public static func image(_ dictionary: Tensor, tileSize size: Int, scale: Int = 1) -> GrayImage {
    enlarged(ImageGrid.image(tiles: dictionary, size: size), by: scale)
  }

  /// `image` with each pixel repeated `scale` x `scale` times (nearest neighbour).
  static func enlarged(_ image: GrayImage, by scale: Int) -> GrayImage {
    guard scale > 1 else { return image }
    let (w, h) = (image.width * scale, image.height * scale)
    var pixels = [Float](repeating: 0, count: w * h)
    for r in 0..<h {
      for c in 0..<w { pixels[r * w + c] = image[r / scale, c / scale] }
    }
    return GrayImage(width: w, height: h, pixels: pixels)
  }
}
