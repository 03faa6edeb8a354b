// `sparsity learn-dictionary`: online dictionary learning on image patches, an .npy matrix or digits.

import Foundation
import SparsityCore
import SparsityExperiments
import SparsityIO

/// The `learn-dictionary` subcommand: loads training samples X (samples x features), learns a
/// dictionary D (atoms x features, unit-norm rows) with `DictionaryLearner` (Mairal et al. 2010),
/// minimizing (1/n) sum_i 0.5 ||x_i - a_i D||^2 + lambda ||a_i||_1, writes D as float32 `.npy`,
/// optionally a PNG mosaic of the atoms, and prints a `DictionarySummary`.
enum LearnDictionaryCommand {
  static let data = Option<DictionaryDataSource>(
    "data", "SOURCE", expected: "patches:IMAGE, npy:X.npy, digits, digits:raw or wav:FILE[,FILE...]", required: true,
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
  static let nonzeros = Option<Int>(
    "nonzeros", "K", expected: "an integer >= 1",
    help: "code with orthogonal matching pursuit of K atoms per sample instead of the Lasso (--lambda unused)",
    parse: Parse.positiveInteger)
  static let positive = Flag("positive", help: "nonnegative codes (not with --nonzeros)")
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
  static let initial = Option<DictionaryTraining.Start>(
    "init", "samples|random|dct|D0.npy", expected: "a value", default: "samples",
    help:
      "first atoms: samples (random samples), random (seeded random directions), dct (half DCT-II basis vectors evenly spread in frequency, half samples: for sound), or a file D0.npy of atoms x features, rows rescaled to unit norm",
    parse: DictionaryTraining.Start.init(parsing:))
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
  static let parts = Option<Int>(
    "parts", "P", expected: "an integer from 1 to the batch", default: "the number of processes (1 without mpirun)",
    help:
      "cut each batch into P parts whose codes' statistics are added in part order: the same P gives the same dictionary on any number of MPI processes (sparsity-mpi)",
    parse: { Int($0).flatMap { $0 >= 1 ? $0 : nil } })

  static let command = Command(
    name: "learn-dictionary", summary: "learn a sparse-coding dictionary from image patches, an .npy matrix or digits",
    options: [
      data.spec, out.spec, patch.spec, patches.spec, whiten.spec, whitenImage.spec, atoms.spec, lambda.spec,
      nonzeros.spec, positive.spec, positiveAtoms.spec, epochs.spec, batch.spec, seed.spec, initial.spec, image.spec,
      imageScale.spec, json.spec, parts.spec,
    ] + SoundOptions.specs,
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
      \(SoundOptions.description)
      With --nonzeros K the codes come from orthogonal matching pursuit with K atoms per sample
      (the objective is then the mean of 0.5 ||x_i - a_i D||^2 with ||a_i||_0 <= K): a
      dictionary for a coder with a fixed budget, such as K coefficients per frame of sound.
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
    var sampling = PatchSampling()
    var framing = SoundFraming()
    var training = DictionaryTraining()
    var out: String
    var image: String?
    var imageScale = 1
    var json = false
    var parts: Int?
  }

  /// Parses the options, loads the samples, learns, writes the outputs and prints the summary.
  /// - Throws: `CLIError` for bad arguments, `ExperimentError` for unusable inputs,
  ///   `ArrayFileError` for unreadable or unwritable files.
  static func run(_ arguments: Arguments) throws {
    let start = DispatchTime.now().uptimeNanoseconds
    let options = try parse(arguments)
    guard options.out.lowercased().hasSuffix(".npy") else {
      throw CLIError.invalidValue(
        option: "out", value: options.out, expected: "a .npy path (D is written as NumPy's .npy)")
    }
    try OutputPath.checkFile(options.out, option: "out")
    if let image = options.image { try OutputPath.checkFile(image, option: "image") }
    if let shape = DictionarySamples.expectedShape(options.source, patches: options.sampling) {
      try options.training.checkMemory(samples: shape.samples, features: shape.features)
    }
    let samples = try DictionarySamples.load(options.source, patches: options.sampling, sound: options.framing)
    Warning.print(options.training.longRunWarning(samples: samples.rows, features: samples.columns))
    let tileSize = try options.image.map { try DictionaryMosaic.tileSize(features: samples.columns, file: $0) }
    let reduction = Processes.reduction
    let progress = BatchProgress(enabled: !options.json && reduction.isLeader)
    let parts = options.parts ?? (Processes.count > 1 ? Processes.count : nil)
    let learned = try options.training.learn(samples, parts: parts, reduction: reduction) { done, count in
      progress.update(done, count)
      if done == count { progress.clear() }
    }
    guard reduction.isLeader else { return }
    let dictionary = learned.learner.dictionary
    try NPYFile.write(dictionary, to: URL(fileURLWithPath: options.out))
    if let image = options.image, let tileSize {
      let mosaic = DictionaryMosaic.image(dictionary, tileSize: tileSize, scale: options.imageScale)
      try PNGFile.write(mosaic, to: URL(fileURLWithPath: image))
    }
    var summary = learned.summary
    summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    print(options.json ? try JSONValue(encoding: summary).text : summary.text)
  }

  /// The options of `arguments`, each checked for range.
  static func parse(_ arguments: Arguments) throws(CLIError) -> Options {
    var options = Options(
      source: try arguments.required(data, command: "learn-dictionary"),
      out: try arguments.required(Self.out, command: "learn-dictionary"), image: try arguments.value(image))
    options.training.start = try arguments.value(initial, default: .samples)
    options.sampling.size = try arguments.value(patch, default: options.sampling.size)
    options.sampling.count = try arguments.value(patches, default: options.sampling.count)
    options.training.atoms = try arguments.value(atoms, default: options.training.atoms)
    options.training.epochs = try arguments.value(epochs, default: options.training.epochs)
    options.training.batchSize = try arguments.value(batch, default: options.training.batchSize)
    options.imageScale = try arguments.value(imageScale, default: options.imageScale)
    options.training.lambda = try arguments.value(lambda, default: options.training.lambda)
    options.sampling.seed = try arguments.value(seed, default: options.sampling.seed)
    options.training.seed = options.sampling.seed
    options.training.positiveCodes = arguments.flag(positive)
    options.training.nonzeros = try arguments.value(nonzeros)
    if options.training.nonzeros != nil && options.training.positiveCodes {
      throw .invalidInput("learn-dictionary: --positive cannot go with --nonzeros (matching pursuit codes are signed)")
    }
    options.framing = try SoundOptions.framing(arguments)
    if case .wav = options.source, options.image != nil {
      throw .invalidInput(
        "learn-dictionary: --image draws atoms as square patches; atoms of sound are drawn as waveforms and spectra"
          + " by 'sparsity code --data wav:... --report DIR'")
    }
    options.training.positiveAtoms = arguments.flag(positiveAtoms)
    options.sampling.whiten = arguments.flag(whiten)
    options.sampling.whitenImage = arguments.flag(whitenImage)
    options.json = arguments.flag(json)
    options.parts = try arguments.value(parts)
    return options
  }
}
