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
  static let command = Command(
    name: "learn-dictionary", summary: "learn a sparse-coding dictionary from image patches, an .npy matrix or digits",
    usage: usage,
    options: [
      "data", "patch", "patches", "atoms", "lambda", "epochs", "batch", "seed", "out", "image", "image-scale", "init",
    ],
    flags: ["positive", "positive-atoms", "whiten", "whiten-image", "json"], run: run)

  static let usage = """
    usage: sparsity learn-dictionary --data SOURCE --out dict.npy [--patch 8] [--patches 20000]
                                     [--atoms 256] [--lambda 0.5] [--epochs 5] [--batch 256]
                                     [--seed 0] [--positive] [--whiten] [--image atoms.png]
                                     [--positive-atoms] [--whiten-image] [--init samples|random|D0.npy]
                                     [--image-scale 1] [--json]

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

    options:
      --out dict.npy       where to write D
      --image atoms.png    also write a mosaic of the atoms, each scaled to its own range
                           (needs a square number of features, e.g. square patches)
      --image-scale S      draw each mosaic pixel as S x S pixels (1 to 16, default 1)
      --patch P            patch side in pixels (default 8)
      --patches N          patches to draw (default 20000)
      --atoms K            dictionary size (default 256)
      --lambda L           Lasso weight, finite and >= 0 (default 0.5)
      --epochs E           passes over the samples (default 5)
      --batch B            mini-batch size (default 256)
      --seed S             seed of patch sampling, initialization and shuffles (default 0)
      --init I             first atoms: samples (default; random samples), random (seeded
                           random directions), or a file D0.npy (atoms x features, rows
                           rescaled to unit norm)
      --positive           nonnegative codes
      --positive-atoms     nonnegative atoms (with --positive and nonnegative data, e.g.
                           digits:raw, a sparse nonnegative factorization: parts, not prototypes)
      --whiten             ZCA-whiten the patches (patches: only)
      --whiten-image       patches: only: filter the image with the whitening filter of
                           Olshausen & Field (1997) first, then remove each patch's mean (no
                           contrast normalization): gives localized edge-like atoms
      --json               print one JSON object instead of the summary
      -h, --help           show this help

    Reported: samples, features, atoms, epochs, mean objective of all samples after each epoch,
    and, on up to 2,000 evenly spaced samples coded with the final dictionary: mean objective,
    nonzeros per sample, zero fraction, relative error ||X - A D||_F / ||X||_F; seconds.
    A progress bar is drawn on standard error when it is a terminal (not with --json).
    """

  /// The settings read from the command line.
  struct Options {
    var source: String
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
    if !arguments.positionals.isEmpty { throw .unexpectedArguments(arguments.positionals, command: "learn-dictionary") }
    guard let source = arguments.value("data") else { throw .missingArgument("--data", command: "learn-dictionary") }
    guard let out = arguments.value("out") else { throw .missingArgument("--out", command: "learn-dictionary") }
    var options = Options(source: source, out: out, image: arguments.value("image"), initial: arguments.value("init"))
    let positive: (String) -> Int? = { Int($0).flatMap { $0 >= 1 ? $0 : nil } }
    options.patch = try arguments.value("patch", expected: "an integer >= 1", positive) ?? options.patch
    options.patches = try arguments.value("patches", expected: "an integer >= 1", positive) ?? options.patches
    options.atoms = try arguments.value("atoms", expected: "an integer >= 1", positive) ?? options.atoms
    options.epochs = try arguments.value("epochs", expected: "an integer >= 1", positive) ?? options.epochs
    options.batch = try arguments.value("batch", expected: "an integer >= 1", positive) ?? options.batch
    options.imageScale =
      try arguments.value("image-scale", expected: "an integer from 1 to 16") {
        Int($0).flatMap { (1...16).contains($0) ? $0 : nil }
      } ?? options.imageScale
    options.lambda =
      try arguments.value("lambda", expected: "a finite number >= 0") { text -> Float? in
        Float(text).flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
      } ?? options.lambda
    options.seed = try arguments.value("seed", expected: "an integer >= 0") { UInt64($0) } ?? options.seed
    options.positive = arguments.flag("positive")
    options.positiveAtoms = arguments.flag("positive-atoms")
    options.whiten = arguments.flag("whiten")
    options.whitenImage = arguments.flag("whiten-image")
    options.json = arguments.flag("json")
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
