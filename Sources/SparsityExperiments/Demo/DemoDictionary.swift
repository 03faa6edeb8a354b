// The sparse-coding part of `sparsity demo`: a dictionary learned on the digits.

import Foundation
import SparsityCoding
import SparsityCore
import SparsityIO

/// A dictionary learned on the embedded digits, its atoms as an image, and one digit written
/// as a sum of a few atoms.
public struct DemoDictionary: Sendable {
  /// The Lasso weight: 0.5 ||x - a D||^2 + lambda ||a||_1 per digit, codes and atoms >= 0.
  public static let lambda: Float = 0.05

  public var summary: DictionarySummary
  public var lambda: Float
  /// The atoms as 8x8 tiles, each scaled to its own range.
  public var atomImage: GrayImage
  /// The row of the samples shown as an example, and its digit.
  public var exampleIndex: Int
  public var exampleLabel: Int
  /// The example's nonzero code entries, largest magnitude first: (atom, coefficient).
  public var exampleCode: [(atom: Int, coefficient: Float)]
  /// The example, its reconstruction a D, and its largest atoms, as 8x8 tiles.
  public var exampleImage: GrayImage
  public var seconds: Double

  /// Learns `scale.atoms` atoms on the digits (pixels scaled to [0, 1], mean kept) with
  /// `scale.dictionaryEpochs` epochs of the online algorithm, seeded by `scale.seed`.
  /// Nonnegative codes and atoms from random directions: parts that add up, so the atoms
  /// become pen strokes rather than whole-digit prototypes (`sparsity learn-dictionary --data
  /// digits:raw --positive --positive-atoms --init random --atoms 100 --lambda 0.05 --epochs 30
  /// --batch 64`, `command`).
  /// `onBatch(done, total)` reports the mini-batches of each epoch.
  public static func learn(_ scale: DemoScale, onBatch: @escaping (Int, Int) -> Void) throws -> DemoDictionary {
    let started = Date()
    let digits = try DigitsDataset.load()
    let samples = DigitsDataset.pixels(of: digits, removingMean: false)
    let learner = DictionaryLearner(
      atoms: scale.atoms, lambda: lambda, positiveCodes: true, batchSize: 64, seed: scale.seed,
      positiveAtoms: true, initialization: .randomDirections)
    learner.initialize(from: samples)
    learner.fit(samples, epochs: scale.dictionaryEpochs) { _, index, count, _ in onBatch(index + 1, count) }
    let summary = DictionarySummary(learner: learner, samples: samples, epochs: scale.dictionaryEpochs)
    let dictionary = learner.dictionary
    let exampleIndex = 0
    let example = samples.rows(exampleIndex..<(exampleIndex + 1))
    let code = learner.transform(example).codes
    let entries = code.scalars.enumerated().filter { $0.element != 0 }
      .map { (atom: $0.offset, coefficient: $0.element) }
      .sorted {
        abs($0.coefficient) > abs($1.coefficient) || (abs($0.coefficient) == abs($1.coefficient) && $0.atom < $1.atom)
      }
    let reconstruction = Tensor.matmul(code, dictionary)
    let shown = entries.prefix(6).map { dictionary.rows($0.atom..<($0.atom + 1)).scalars }
    let tiles = Tensor(
      shape: [2 + shown.count, samples.columns],
      scalars: example.scalars + reconstruction.scalars + shown.flatMap { $0 })
    return DemoDictionary(
      summary: summary, lambda: lambda, atomImage: ImageGrid.image(tiles: dictionary, size: 8),
      exampleIndex: exampleIndex, exampleLabel: digits.labels[exampleIndex], exampleCode: entries,
      exampleImage: ImageGrid.image(tiles: tiles, size: 8, columns: tiles.rows),
      seconds: Date().timeIntervalSince(started))
  }

  /// The `learn-dictionary` command that learns the same dictionary.
  public static func command(_ scale: DemoScale) -> String {
    "sparsity learn-dictionary --data digits:raw --positive --positive-atoms --init random --atoms \(scale.atoms) "
      + "--lambda \(lambda) --epochs \(scale.dictionaryEpochs) --batch 64 --seed \(scale.seed) --out atoms.npy --image atoms.png"
  }

  /// "0.91 x atom 12 + 0.40 x atom 3 + ..." for the first `limit` entries.
  public func exampleFormula(limit: Int = 6) -> String {
    let terms = exampleCode.prefix(limit).map { String(format: "%.2f × atom %ld", $0.coefficient, $0.atom) }
    let rest = exampleCode.count > limit ? " + \(exampleCode.count - limit) more" : ""
    return terms.joined(separator: " + ") + rest
  }
}
