// The samples X (samples x features) dictionary learning runs on: image patches, digits or a matrix.

import Foundation
import SparsityCore
import SparsityIO

/// Where dictionary learning takes its samples from (`sparsity learn-dictionary --data`).
public enum DictionaryDataSource: Equatable, Sendable {
  /// `patches:IMAGE`: random patches of a PNG or PGM image.
  case patches(image: String)
  /// `npy:X.npy`: the rows of a samples x features matrix.
  case npy(file: String)
  /// `digits` (each sample's mean removed) or `digits:raw` (mean kept).
  case digits(removingMean: Bool)
  /// `wav:FILE[,FILE...]`: the frames of sound files (`SoundFraming`).
  case wav(files: [String])

  /// The source `text` names (`patches:IMAGE`, `npy:X.npy`, `digits`, `digits:raw`,
  /// `wav:FILE[,FILE...]`), nil when it names none.
  public init?(parsing text: String) {
    if text == "digits" {
      self = .digits(removingMean: true)
    } else if text == "digits:raw" {
      self = .digits(removingMean: false)
    } else if text.hasPrefix("patches:") {
      self = .patches(image: String(text.dropFirst(8)))
    } else if text.hasPrefix("npy:") {
      self = .npy(file: String(text.dropFirst(4)))
    } else if text.hasPrefix("wav:"), let files = try? SoundFiles.names(String(text.dropFirst(4)), option: "--data") {
      self = .wav(files: files)
    } else {
      return nil
    }
  }
}

/// How patches are drawn from an image and preprocessed.
public struct PatchSampling: Equatable, Sendable {
  /// The side of the square patches, in pixels.
  public var size = 8
  /// How many patches are drawn.
  public var count = 20000
  /// The seed of the patch positions.
  public var seed: UInt64 = 0
  /// ZCA-whiten the patches after the other preprocessing.
  public var whiten = false
  /// Filter the image with the whitening filter of Olshausen & Field (1997) first, then only
  /// remove each patch's mean (no contrast normalization).
  public var whitenImage = false

  /// The memory of the patches (drawn, preprocessed and whitened copies, their positions) and of
  /// the whitening matrices; the image is checked when its header is read.
  public var memoryEstimate: MemoryEstimate {
    let patches = MemoryEstimate.floats(count, size, size) * 3 + .bytes(count, 16)
    return whiten ? patches + .floats(size, size, size, size) * 4 : patches
  }

  /// Sampling with the given settings; the defaults are those of `sparsity learn-dictionary`.
  public init(size: Int = 8, count: Int = 20000, seed: UInt64 = 0, whiten: Bool = false, whitenImage: Bool = false) {
    self.size = size
    self.count = count
    self.seed = seed
    self.whiten = whiten
    self.whitenImage = whitenImage
  }
}

/// Loads X (samples x features) for dictionary learning, and a starting dictionary.
public enum DictionarySamples {
  /// The contrast normalization x / (std(x) + epsilon) of patches with pixels in 0...1.
  public static let contrastEpsilon: Float = 0.1
  /// The ZCA whitening regularizer of `PatchSampling.whiten`.
  public static let whiteningEpsilon: Float = 0.01

  /// The number of samples and features `source` gives, when known before reading a file:
  /// nil for an `.npy` matrix.
  public static func expectedShape(_ source: DictionaryDataSource, patches sampling: PatchSampling)
    -> (samples: Int, features: Int)?
  {
    switch source {
    case .digits: return (DigitsDataset.sampleCount, DigitsDataset.imageShape.rows * DigitsDataset.imageShape.columns)
    case .patches:
      let (features, overflow) = sampling.size.multipliedReportingOverflow(by: sampling.size)
      return overflow ? nil : (sampling.count, features)
    case .npy, .wav: return nil
    }
  }

  /// The samples of `source`; `patches` says how a `patches:` source is sampled, `sound` how a
  /// `wav:` source is framed.
  /// - Throws: `ExperimentError.unusableData` for an image smaller than the patch, an unusable
  ///   matrix or sound without frames (each naming the file); `ArrayFileError` for unreadable files.
  public static func load(
    _ source: DictionaryDataSource, patches sampling: PatchSampling = PatchSampling(),
    sound framing: SoundFraming = SoundFraming()
  ) throws -> Tensor {
    switch source {
    case .digits(let removingMean): return try digits(removingMean: removingMean)
    case .patches(let image): return try patches(file: image, sampling)
    case .npy(let file): return try matrix(file: file)
    case .wav(let files): return try SoundFrames.load(files, framing: framing).frames
    }
  }

  /// The embedded digits scaled to [0, 1], each sample minus its mean unless `removingMean`
  /// is false (1,797 x 64).
  public static func digits(removingMean: Bool = true) throws -> Tensor {
    DigitsDataset.pixels(of: try DigitsDataset.load(), removingMean: removingMean)
  }

  /// `sampling.count` seeded random patches of the image in `file`, each centered and
  /// contrast-normalized (and whitened with `sampling.whiten`); with `sampling.whitenImage`,
  /// patches of the whitening-filtered image (`ImageWhitening`), centered only (and whitened
  /// with `sampling.whiten`). One patch a row, `size * size` pixels row-major.
  /// - Throws: `ExperimentError.unusableData` naming `file` when the image is smaller than a
  ///   patch; `ArrayFileError` when it cannot be read.
  public static func patches(file: String, _ sampling: PatchSampling) throws -> Tensor {
    try MemoryBudget.check(
      sampling.memoryEstimate, for: "learn-dictionary --patches \(sampling.count) --patch \(sampling.size)")
    let image = try ImageFile.read(contentsOf: URL(fileURLWithPath: file))
    let size = sampling.size
    guard image.width >= size && image.height >= size else {
      throw ExperimentError.unusableData(
        "learn-dictionary: image '\(file)' is \(image.width)x\(image.height) pixels, smaller than the \(size)x\(size) patch"
      )
    }
    let placement = Patches.Placement.random(count: sampling.count, seed: sampling.seed)
    if sampling.whitenImage {
      let raw = Patches.extract(from: ImageWhitening.whitened(image), size: size, placement: placement)
      return Patches.preprocessed(
        raw, sampling.whiten ? [.removeMean, .whiten(epsilon: whiteningEpsilon)] : [.removeMean])
    }
    let raw = Patches.extract(from: image, size: size, placement: placement)
    var steps: [Patches.Preprocessing] = [.removeMean, .normalizeContrast(epsilon: contrastEpsilon)]
    if sampling.whiten { steps.append(.whiten(epsilon: whiteningEpsilon)) }
    return Patches.preprocessed(raw, steps)
  }

  /// The rows of the samples x features matrix in the `.npy` file `file`, which must be finite.
  /// - Throws: `ExperimentError.unusableData` naming `file` for another rank, an empty axis or a
  ///   non-finite value; `ArrayFileError` when it cannot be read.
  public static func matrix(file: String) throws -> Tensor {
    let x = try NPYFile.read(contentsOf: URL(fileURLWithPath: file))
    guard x.rank == 2, x.rows >= 1, x.columns >= 1 else {
      throw ExperimentError.unusableData(
        "learn-dictionary: '\(file)' has shape \(x.shape), expected samples x features with both >= 1")
    }
    if let bad = x.scalars.firstIndex(where: { !$0.isFinite }) {
      throw ExperimentError.unusableData(
        "learn-dictionary: '\(file)' has a non-finite value at row \(bad / x.columns), column \(bad % x.columns)")
    }
    if let bad = x.scalars.firstIndex(where: { $0.magnitude > Float.largestSquarableMagnitude }) {
      throw ExperimentError.unusableData(
        "learn-dictionary: '\(file)' has \(x.scalars[bad]) at row \(bad / x.columns), column \(bad % x.columns),"
          + " beyond \(Float.largestSquarableMagnitude) whose square overflows single precision; scale the samples down"
      )
    }
    return x
  }

  /// A starting dictionary: the atoms x features matrix in `file`, finite, with no zero row (the
  /// learner rescales rows to unit norm).
  /// - Throws: `ExperimentError.unusableData` naming `file` for another shape or a zero row, as
  ///   `matrix(file:)` does for a bad matrix; `ArrayFileError` when it cannot be read.
  public static func initialDictionary(file: String, atoms: Int, features: Int) throws -> Tensor {
    let d = try matrix(file: file)
    guard d.rows == atoms, d.columns == features else {
      throw ExperimentError.unusableData(
        "learn-dictionary: --init '\(file)' has shape \(d.shape), expected \(atoms) atoms x \(features) features")
    }
    for i in 0..<atoms where (0..<features).allSatisfy({ d[i, $0] == 0 }) {
      throw ExperimentError.unusableData("learn-dictionary: --init '\(file)' has an all-zero row \(i)")
    }
    return d
  }
}
