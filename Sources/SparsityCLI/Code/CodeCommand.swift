// `sparsity code`: sparse codes of data over a dictionary.

import Foundation
import SparsityCoding
import SparsityCore
import SparsityExperiments
import SparsityIO

/// The `code` subcommand: reads X (samples x features) and D (atoms x features, unit-norm
/// rows), computes codes A (samples x atoms, X ~= A D) with `sparseEncode`, writes A as a
/// float32 `.npy` file (or a sparse CSR `.npz`, `NPZFile`) and prints a summary.
enum CodeCommand {
  static let data = Option<String>(
    "data", "X.npy|wav:FILE[,FILE...]", required: true,
    help: "samples x features, finite; or the frames of sound files (the wav: options below)")
  static let dictionary = Option<String>(
    "dictionary", "D.npy", required: true, help: "atoms x features, unit-norm rows (within 1e-3)")
  static let out = Option<String>(
    "out", "codes.npy", required: true, help: "where to write A (.npy dense; .npz sparse CSR, scipy-readable)")
  static let solver = Option<CodeSolverChoice.Name>(
    "solver", "S", expected: "one of \(CodeSolverChoice.Name.allCases.map(\.rawValue).joined(separator: ", "))",
    default: "fista", help: "fista, ista, cd (coordinate descent), lars, omp or threshold",
    parse: { CodeSolverChoice.Name(rawValue: $0) })
  static let lambda = Option<Float>(
    "lambda", "L", expected: "a finite number >= 0", default: "0.5",
    help: "Lasso weight, finite and >= 0; not used by omp", parse: Parse.nonNegativeFloat)
  static let nonzeros = Option<Int>(
    "nonzeros", "K", expected: "an integer >= 1", default: "max(1, features / 10)", help: "omp: atoms per sample",
    parse: Parse.positiveInteger)
  static let tolerance = Option<Float>(
    "tolerance", "T", expected: "a finite number >= 0",
    help: "fista/ista/cd: stop at duality gap <= T * 0.5 ||x||^2 (default 1e-4); omp: stop at squared residual <= T",
    parse: Parse.nonNegativeFloat)
  static let maxIterations = Option<Int>(
    "max-iterations", "N", expected: "an integer >= 1", default: "1000", help: "fista/ista/cd: iteration cap",
    parse: Parse.positiveInteger)
  static let positive = Flag("positive", help: "nonnegative codes (not omp)")
  static let normalize = Flag("normalize", help: "divide each dictionary row by its norm instead of rejecting it")
  static let json = Flag("json", help: "print one JSON object instead of the summary")
  static let reconstruct = Option<String>(
    "reconstruct", "out.wav", help: "wav: data only: write the coded sound (overlap-added, files one after another)")
  static let report = Option<String>(
    "report", "DIR",
    help:
      "wav: data only: write an HTML report to DIR (SNR against nonzeros per frame beside the DCT, waveforms, spectrograms, atoms)"
  )
  static let sampleFormat = Option<WAVFile.WriteEncoding>(
    "sample-format", "pcm16|float32", expected: "pcm16 or float32", default: "pcm16",
    help: "the samples of --reconstruct: 16-bit PCM (clipped to [-1, 1]) or 32-bit float",
    parse: { ["pcm16": .pcm16, "float32": .float32][$0] })

  static let command = Command(
    name: "code", summary: "sparse codes of data over a dictionary (Lasso: FISTA, ISTA, CD, LARS; OMP; threshold)",
    options: [
      data.spec, dictionary.spec, out.spec, solver.spec, lambda.spec, nonzeros.spec, tolerance.spec,
      maxIterations.spec, positive.spec, normalize.spec, json.spec, reconstruct.spec, sampleFormat.spec,
      report.spec,
    ] + SoundOptions.specs,
    description: """
      Computes sparse codes A (samples x atoms) of the data X (samples x features) over the
      dictionary D (atoms x features, rows of unit L2 norm), X ~= A D. The Lasso solvers minimize
      per sample x
          0.5 ||x - a D||^2 + lambda ||a||_1        (a >= 0 with --positive)
      (scikit-learn's sparse_encode(X, D, algorithm='lasso_cd', alpha=lambda) solves the same
      problem: it divides both terms by features internally). The codes are written atomically:
      as dense float32 .npy, or, when --out ends in .npz, as a sparse CSR matrix in the layout of
      scipy.sparse.save_npz (scipy.sparse.load_npz reads it).

      With --data wav:FILE[,FILE...] the samples are the frames of the sound:
      \(SoundOptions.description)
      and the summary adds the signal-to-noise ratio of the coded frames and of the overlap-added
      sound, each against the orthonormal DCT-II keeping as many coefficients per frame as the
      code has nonzeros (the best approximation in that basis with the same budget).
      """,
    notes: """
      Reported: samples, atoms, solver, nonzeros per sample (mean, min, max), zero fraction,
      relative error ||X - A D||_F / ||X||_F, mean objective, samples not converged, seconds.
      """, run: run)

  /// Reads the inputs, codes them, writes the codes and prints the summary.
  /// - Throws: `CLIError` for bad arguments, `ExperimentError` for unusable inputs,
  ///   `ArrayFileError` for unreadable or unwritable files.
  static func run(_ arguments: Arguments) throws {
    let start = DispatchTime.now().uptimeNanoseconds
    let dataPath = try arguments.required(data, command: "code")
    let dictionaryPath = try arguments.required(dictionary, command: "code")
    let outPath = try arguments.required(out, command: "code")
    let choice = try solverChoice(arguments)
    let solver = try choice.solver()
    try OutputPath.checkFile(outPath, option: "out")
    let reconstructPath = try arguments.value(reconstruct)
    if let reconstructPath { try OutputPath.checkFile(reconstructPath, option: "reconstruct") }
    let encoding = try arguments.value(sampleFormat, default: .pcm16)
    let reportPath = try arguments.value(report)
    if let reportPath { _ = try OutputPath.checkReportDirectory(reportPath, option: "report") }
    let sound = try soundFrames(dataPath, arguments, reconstructing: reconstructPath != nil || reportPath != nil)
    let inputs =
      try sound.map {
        try CodeInputs(
          samples: $0.frames, dataPath: dataPath, dictionaryPath: dictionaryPath, normalize: arguments.flag(normalize))
      }
      ?? CodeInputs(dataPath: dataPath, dictionaryPath: dictionaryPath, normalize: arguments.flag(normalize))
    Warning.print(inputs.longRunWarning(choice))
    let solveStart = DispatchTime.now().uptimeNanoseconds
    let progress = BatchProgress(enabled: !arguments.flag(json), unit: "samples")
    let result = sparseEncode(inputs.samples, dictionary: inputs.dictionary, solver: solver) { done, total in
      progress.update(done, total)
      if done == total { progress.clear() }
    }
    try inputs.checkFinite(result, dataPath: dataPath)
    let solverSeconds = Double(DispatchTime.now().uptimeNanoseconds - solveStart) * 1e-9
    var summary = CodeSummary(
      result: result, samples: inputs.samples, dictionary: inputs.dictionary,
      solver: choice.name.rawValue, solverSeconds: solverSeconds)
    if let sound {
      summary.sound = SoundCodingQuality(codes: result.codes, dictionary: inputs.dictionary, sound: sound)
    }
    let outURL = URL(fileURLWithPath: outPath)
    if outURL.pathExtension.lowercased() == "npz" {
      try NPZFile.write(CSRMatrix(dense: result.codes), to: outURL)
    } else {
      try NPYFile.write(result.codes, to: outURL)
    }
    if let sound, reconstructPath != nil || reportPath != nil {
      let coded = sound.signals(from: Tensor.matmul(result.codes, inputs.dictionary)).flatMap { $0 }
      if let reconstructPath {
        try WAVFile.write(
          Sound(mono: coded, sampleRate: sound.sampleRate),
          encoding: encoding,
          to: URL(fileURLWithPath: reconstructPath))
      }
      if let reportPath {
        let content = SoundReportContent(
          frames: sound, dictionary: inputs.dictionary, reconstruction: coded,
          summary: summary.keyValues.filter { $0.0 != "seconds" }, title: "Sparse coding of \(soundTitle(sound))")
        _ = try SoundReport.write(content, to: URL(fileURLWithPath: reportPath))
      }
    }
    summary.totalSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    print(arguments.flag(json) ? try JSONValue(encoding: summary).text : summary.text)
  }

  /// The frames of `dataPath` when it is `wav:FILE[,FILE...]`, else nil.
  /// - Throws: `CLIError` for `--reconstruct` without sound data or a bad framing option; as
  ///   `SoundFrames.load` for unusable sound.
  static func soundFrames(_ dataPath: String, _ arguments: Arguments, reconstructing: Bool) throws -> SoundFrames? {
    guard dataPath.hasPrefix("wav:") else {
      if reconstructing {
        throw CLIError.invalidInput("code: --reconstruct and --report need --data wav:FILE[,FILE...]")
      }
      return nil
    }
    let files = try SoundFiles.names(String(dataPath.dropFirst(4)), option: "--data")
    return try SoundFrames.load(files, framing: SoundOptions.framing(arguments))
  }

  /// The first file's name and how many others there are.
  static func soundTitle(_ sound: SoundFrames) -> String {
    let first = URL(fileURLWithPath: sound.signals[0].file).lastPathComponent
    return sound.signals.count == 1 ? first : "\(first) and \(sound.signals.count - 1) more"
  }

  /// The solver named by `--solver` with the options that apply to it.
  static func solverChoice(_ arguments: Arguments) throws(CLIError) -> CodeSolverChoice {
    let lambda = try arguments.value(Self.lambda, default: 0.5)
    let tolerance = try arguments.value(Self.tolerance)
    let iterations = try arguments.value(maxIterations, default: 1000)
    let nonzeros = try arguments.value(Self.nonzeros)
    let name = try arguments.value(Self.solver, default: .fista)
    return CodeSolverChoice(
      name: name, lambda: lambda, tolerance: tolerance, maxIterations: iterations, nonzeros: nonzeros,
      positive: arguments.flag(positive))
  }
}
