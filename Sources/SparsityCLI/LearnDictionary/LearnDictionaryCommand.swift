// `sparsity learn-dictionary`: online dictionary learning on image patches, an .npy matrix or digits.

import SparsityExperiments
import Foundation
import SparsityCoding
import SparsityCore
import SparsityIO

/// The `learn-dictionary` subcommand: loads training samples X (samples x features), learns a
/// dictionary D (atoms x features, unit-norm rows) with `DictionaryLearner` (Mairal et al. 2010),
/// minimizing (1/n) sum_i 0.5 ||x_i - a_i D||^2 + lambda ||a_i||_1, writes D as float32 `.npy`,
/// optionally a PNG mosaic of the atoms, and prints a `DictionarySummary`.
enum LearnDictionaryCommand {
  static let data = Option<DictionaryDataSource>(
    "data", "SOURCE", expected: "patches:IMAGE, npy:X.npy, digits or digits:raw", required: true,
    help: "the samples: one of the data sources above", parse: DictionaryDataSource.init(parsing:))
  static let out = Option<String>("out", "dict.npy", required: true, help: "where to write D")
  static let patch = Option<Int>(
    "patch", "P", expected: "an integer >= 1", default: "8", help: "patch side in pixels", parse: Parse.positiveInteger)
  static let patches = Option<Int>(
    "patches", "N", expected: "an integer >= 1", default: "20000", help: "patches to draw",
    parse: Parse.positiveInteger)
  static let whiten = Flag("whiten", help: "ZCA-whiten the patches (patches: only)")
  static let whitenImage = Flag(
    "whiten-image",
    help:
      "patches: only: filter the image with the whitening filter of Olshausen & Field (1997) first, then remove each patch's mean (no contrast normalization): gives localized edge-like atoms"
  )
  static let atoms = Option<Int>(
    "atoms", "K", expected: "an integer >= 1", default: "256", help: "dictionary size", parse: Parse.positiveInteger)
  static let lambda = Option<Float>(
    "lambda", "L", expected: "a finite number >= 0", default: "0.5", help: "Lasso weight, finite and >= 0",
    parse: Parse.nonNegativeFloat)
  static let positive = Flag("positive", help: "nonnegative codes")
  static let positiveAtoms = Flag(
    "positive-atoms",
    help:
      "nonnegative atoms (with --positive and nonnegative data, e.g. digits:raw, a sparse nonnegative factorization: parts, not prototypes)"
  )
  static let epochs = Option<Int>(
    "epochs", "E", expected: "an integer >= 1", default: "5", help: "passes over the samples",
    parse: Parse.positiveInteger)
  static let batch = Option<Int>(
    "batch", "B", expected: "an integer >= 1", default: "256", help: "mini-batch size", parse: Parse.positiveInteger)
  static let seed = Option<UInt64>(
    "seed", "S", expected: "an integer >= 0", default: "0",
    help: "seed of patch sampling, initialization and shuffles", parse: Parse.seed)
  static let initial = Option<String>(
    "init", "samples|random|D0.npy", default: "samples",
    help:
      "first atoms: samples (random samples), random (seeded random directions), or a file D0.npy of atoms x features, rows rescaled to unit norm"
  )
  static let image = Option<String>(
    "image", "atoms.png",
    help:
      "also write a mosaic of the atoms, each scaled to its own range; needs a square number of features, e.g. square patches"
  )
  static let imageScale = Option<Int>(
    "image-scale", "S", expected: "an integer from 1 to 16", default: "1",
    help: "draw each mosaic pixel as S x S pixels, S from 1 to 16",
    parse: { Int($0).flatMap { (1...16).contains($0) ? $0 : nil } })
  static let json = Flag("json", help: "print one JSON object instead of the summary")

  static let command = Command(
    name: "learn-dictionary", summary: "learn a sparse-coding dictionary from image patches, an .npy matrix or digits",
    options: [
      data.spec, out.spec, patch.spec, patches.spec, whiten.spec, whitenImage.spec, atoms.spec, lambda.spec,
      positive.spec, positiveAtoms.spec, epochs.spec, batch.spec, seed.spec, initial.spec, image.spec,
      imageScale.spec, json.spec,
    ],
    description: """
      Learns a dictionary D (atoms x features, rows of unit L2 norm) from samples X (samples x
      features) by online dictionary learning (Mairal, Bach, Ponce, Sapiro, JMLR 2010), minimizing
          (1/n) sum_i 0.5 ||x_i - a_i D||^2 + lambda ||a_i||_1        (a_i >= 0 with --positive)
      and writes D atomically as float32 .npy.

      data sources:
        patches:IMAGE        a PNG or PGM image: --patches random patches of --patch x --patch
                             pixels (seeded), each with its mean removed and its contrast
                             normalized, x / (std(x) + 0.1); ZCA-whitened too with --whiten
        npy:X.npy            the rows of a samples x features matrix, used as they are
        digits               the 1,797 embedded 8x8 digits scaled to [0, 1], each sample's mean
                             removed (no patching)
        digits:raw           the same digits scaled to [0, 1], mean kept (nonnegative)
      """,
    notes: """
      Reported: samples, features, atoms, epochs, mean objective of all samples after each epoch,
      and, on up to 2,000 evenly spaced samples coded with the final dictionary: mean objective,
      nonzeros per sample, zero fraction, relative error ||X - A D||_F / ||X||_F; seconds.
      A progress bar is drawn on standard error when it is a terminal (not with --json).
      """, run: run)

  /// The settings read from the command line.
  struct Options {
    var source: DictionaryDataSource
    var out: String
    var image: String?
    var initial: String?
    var patch = 8, patches = 20000, atoms = 256, epochs = 5, batch = 256, imageScale = 1
    var lambda: Float = 0.5
    var seed: UInt64 = 0
    var positive = false, positiveAtoms = false, whiten = false, whitenImage = false, json = false
  }

  /// Parses the options, loads the samples, learns, writes the outputs and prints the summary.
  /// - Throws: `CLIError` for bad arguments or inputs, `ArrayFileError` for unreadable or
  ///   unwritable files.
  static func run(_ arguments: Arguments) throws {
    let start = DispatchTime.now().uptimeNanoseconds
    let options = try parse(arguments)
    let samples = try LearnDictionaryData.samples(options)
    let features = samples.columns
    let tileSize = Int(Double(features).squareRoot().rounded())
    if let image = options.image, tileSize * tileSize != features {
      throw CLIError.invalidInput(
        "learn-dictionary: --image \(image) needs square patches, but the samples have \(features) features (not a perfect square)"
      )
    }
    let learner = DictionaryLearner(
      atoms: options.atoms, lambda: options.lambda, positiveCodes: options.positive,
      batchSize: options.batch, seed: options.seed, positiveAtoms: options.positiveAtoms,
      initialization: options.initial == "random" ? .randomDirections : .samples)
    if let initial = options.initial, initial != "samples" && initial != "random" {
      learner.initialize(
        dictionary: try LearnDictionaryData.initialDictionary(file: initial, atoms: options.atoms, features: features))
    } else {
      learner.initialize(from: samples)
    }
    let progress = BatchProgress(enabled: !options.json)
    learner.fit(samples, epochs: options.epochs, evaluateEachEpoch: true) { _, index, count, _ in
      progress.update(index + 1, count)
      if index + 1 == count { progress.clear() }
    }
    let dictionary = learner.dictionary
    try NPYFile.write(dictionary, to: URL(fileURLWithPath: options.out))
    if let image = options.image {
      let mosaic = ImageGrid.image(tiles: dictionary, size: tileSize)
      try PNGFile.write(enlarged(mosaic, by: options.imageScale), to: URL(fileURLWithPath: image))
    }
    var summary = DictionarySummary(learner: learner, samples: samples, epochs: options.epochs)
    summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    print(options.json ? summary.json.text : summary.text)
  }

  /// The options of `arguments`, each checked for range.
  static func parse(_ arguments: Arguments) throws(CLIError) -> Options {
    let source = try arguments.required(data, command: "learn-dictionary")
    let out = try arguments.required(Self.out, command: "learn-dictionary")
    var options = Options(
      source: source, out: out, image: try arguments.value(image), initial: try arguments.value(initial))
    options.patch = try arguments.value(patch, default: options.patch)
    options.patches = try arguments.value(patches, default: options.patches)
    options.atoms = try arguments.value(atoms, default: options.atoms)
    options.epochs = try arguments.value(epochs, default: options.epochs)
    options.batch = try arguments.value(batch, default: options.batch)
    options.imageScale = try arguments.value(imageScale, default: options.imageScale)
    options.lambda = try arguments.value(lambda, default: options.lambda)
    options.seed = try arguments.value(seed, default: options.seed)
    options.positive = arguments.flag(positive)
    options.positiveAtoms = arguments.flag(positiveAtoms)
    options.whiten = arguments.flag(whiten)
    options.whitenImage = arguments.flag(whitenImage)
    options.json = arguments.flag(json)
    return options
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
