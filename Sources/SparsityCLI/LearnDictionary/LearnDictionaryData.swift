// The training samples of `sparsity learn-dictionary`, from its `--data` source.

import SparsityExperiments
import Foundation
import SparsityCore
import SparsityIO

/// Where `learn-dictionary` takes its samples from, as `--data` names it.
enum DictionaryDataSource: Equatable {
  /// `patches:IMAGE`: random patches of a PNG or PGM image.
  case patches(image: String)
  /// `npy:X.npy`: the rows of a samples x features matrix.
  case npy(file: String)
  /// `digits` (each sample's mean removed) or `digits:raw` (mean kept).
  case digits(removingMean: Bool)

  /// The source `text` names, nil when it names none.
  init?(parsing text: String) {
    if text == "digits" {
      self = .digits(removingMean: true)
    } else if text == "digits:raw" {
      self = .digits(removingMean: false)
    } else if text.hasPrefix("patches:") {
      self = .patches(image: String(text.dropFirst(8)))
    } else if text.hasPrefix("npy:") {
      self = .npy(file: String(text.dropFirst(4)))
    } else {
      return nil
    }
  }
}

/// Loads X (samples x features) for `learn-dictionary` from `patches:IMAGE`, `npy:X.npy` or
/// `digits`.
enum LearnDictionaryData {
  /// The contrast normalization x / (std(x) + epsilon) of patches with pixels in 0...1.
  static let contrastEpsilon: Float = 0.1
  /// The ZCA whitening regularizer of `--whiten`.
  static let whiteningEpsilon: Float = 0.01

  /// The samples of `options.source`.
  /// - Throws: `CLIError.invalidInput` for an image smaller than the patch or an unusable
  ///   matrix (each naming the file); `ArrayFileError` for unreadable files.
  static func samples(_ options: LearnDictionaryCommand.Options) throws -> Tensor {
    switch options.source {
    case .digits(let removingMean): return try digits(removingMean: removingMean)
    case .patches(let image): return try patches(file: image, options)
    case .npy(let file): return try matrix(file: file)
    }
  }

  /// The embedded digits scaled to [0, 1], each sample minus its mean unless `removingMean`
  /// is false (1,797 x 64).
  static func digits(removingMean: Bool = true) throws -> Tensor {
    DigitsDataset.pixels(of: try DigitsDataset.load(), removingMean: removingMean)
  }

  /// `options.patches` seeded random patches of `file`, centered and contrast-normalized
  /// (and whitened with `options.whiten`); with `options.whitenImage`, patches of the
  /// whitening-filtered image (`ImageWhitening`), centered only.
  static func patches(file: String, _ options: LearnDictionaryCommand.Options) throws -> Tensor {
    let image = try ImageFile.read(contentsOf: URL(fileURLWithPath: file))
    guard image.width >= options.patch && image.height >= options.patch else {
      throw CLIError.invalidInput(
        "learn-dictionary: image '\(file)' is \(image.width)x\(image.height) pixels, smaller than the \(options.patch)x\(options.patch) patch"
      )
    }
    if options.whitenImage {
      let raw = Patches.extract(
        from: ImageWhitening.whitened(image), size: options.patch,
        placement: .random(count: options.patches, seed: options.seed))
      return Patches.preprocessed(
        raw, options.whiten ? [.removeMean, .whiten(epsilon: whiteningEpsilon)] : [.removeMean])
    }
    let raw = Patches.extract(
      from: image, size: options.patch,
      placement: .random(count: options.patches, seed: options.seed))
    var steps: [Patches.Preprocessing] = [.removeMean, .normalizeContrast(epsilon: contrastEpsilon)]
    if options.whiten { steps.append(.whiten(epsilon: whiteningEpsilon)) }
    return Patches.preprocessed(raw, steps)
  }

  /// The rows of the samples x features matrix in `file`, which must be finite.
  static func matrix(file: String) throws -> Tensor {
    let x = try NPYFile.read(contentsOf: URL(fileURLWithPath: file))
    guard x.rank == 2, x.rows >= 1, x.columns >= 1 else {
      throw CLIError.invalidInput(
        "learn-dictionary: '\(file)' has shape \(x.shape), expected samples x features with both >= 1")
    }
    if let bad = x.scalars.firstIndex(where: { !$0.isFinite }) {
      throw CLIError.invalidInput(
        "learn-dictionary: '\(file)' has a non-finite value at row \(bad / x.columns), column \(bad % x.columns)")
    }
    return x
  }

  /// The starting dictionary of `--init`: an atoms x features matrix in `file`, finite, with no
  /// zero row (the learner rescales rows to unit norm).
  static func initialDictionary(file: String, atoms: Int, features: Int) throws -> Tensor {
    let d = try matrix(file: file)
    guard d.rows == atoms, d.columns == features else {
      throw CLIError.invalidInput(
        "learn-dictionary: --init '\(file)' has shape \(d.shape), expected \(atoms) atoms x \(features) features")
    }
    for i in 0..<atoms where (0..<features).allSatisfy({ d[i, $0] == 0 }) {
      throw CLIError.invalidInput("learn-dictionary: --init '\(file)' has an all-zero row \(i)")
    }
    return d
  }
}
