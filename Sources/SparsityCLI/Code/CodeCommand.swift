// `sparsity code`: sparse codes of data over a dictionary.

import Foundation
import SparsityCoding
import SparsityCore
import SparsityIO

/// The `code` subcommand: reads X (samples x features) and D (atoms x features, unit-norm
/// rows), computes codes A (samples x atoms, X ~= A D) with `sparseEncode`, writes A as a
/// float32 `.npy` file (or a sparse CSR `.npz`, `NPZFile`) and prints a summary.
enum CodeCommand {
  static let command = Command(
    name: "code", summary: "sparse codes of data over a dictionary (Lasso: FISTA, ISTA, CD, LARS; OMP; threshold)",
    usage: usage,
    options: ["data", "dictionary", "lambda", "solver", "nonzeros", "tolerance", "max-iterations", "out"],
    flags: ["positive", "normalize", "json"], run: run)

  static let usage = """
    usage: sparsity code --data X.npy --dictionary D.npy --out codes.npy [--solver S] [--lambda L]
                         [--nonzeros K] [--tolerance T] [--max-iterations N] [--positive]
                         [--normalize] [--json]

    Computes sparse codes A (samples x atoms) of the data X (samples x features) over the
    dictionary D (atoms x features, rows of unit L2 norm), X ~= A D. The Lasso solvers minimize
    per sample x
        0.5 ||x - a D||^2 + lambda ||a||_1        (a >= 0 with --positive)
    (scikit-learn's sparse_encode(X, D, algorithm='lasso_cd', alpha=lambda) solves the same
    problem: it divides both terms by features internally). The codes are written atomically:
    as dense float32 .npy, or, when --out ends in .npz, as a sparse CSR matrix in the layout of
    scipy.sparse.save_npz (scipy.sparse.load_npz reads it).

    options:
      --data X.npy         samples x features, finite
      --dictionary D.npy   atoms x features, unit-norm rows (within 1e-3)
      --out codes.npy      where to write A (.npy dense; .npz sparse CSR, scipy-readable)
      --solver S           fista (default), ista, cd (coordinate descent), lars, omp, threshold
      --lambda L           Lasso weight, finite and >= 0 (default 0.5; not used by omp)
      --nonzeros K         omp: atoms per sample (default max(1, features / 10))
      --tolerance T        fista/ista/cd: stop at duality gap <= T * 0.5 ||x||^2 (default 1e-4);
                           omp: stop at squared residual <= T
      --max-iterations N   fista/ista/cd: iteration cap (default 1000)
      --positive           nonnegative codes (not omp)
      --normalize          divide each dictionary row by its norm instead of rejecting it
      --json               print one JSON object instead of the summary
      -h, --help           show this help

    Reported: samples, atoms, solver, nonzeros per sample (mean, min, max), zero fraction,
    relative error ||X - A D||_F / ||X||_F, mean objective, samples not converged, seconds.
    """

  /// Reads the inputs, codes them, writes the codes and prints the summary.
  /// - Throws: `CLIError` for bad arguments or inputs, `ArrayFileError` for unreadable or
  ///   unwritable files.
  static func run(_ arguments: Arguments) throws {
    let start = DispatchTime.now().uptimeNanoseconds
    if !arguments.positionals.isEmpty { throw CLIError.unexpectedArguments(arguments.positionals, command: "code") }
    let dataPath = try required("data", arguments)
    let dictionaryPath = try required("dictionary", arguments)
    let outPath = try required("out", arguments)
    let (solver, name) = try solver(from: arguments)
    let inputs = try CodeInputs(
      dataPath: dataPath, dictionaryPath: dictionaryPath, normalize: arguments.flag("normalize"))
    let solveStart = DispatchTime.now().uptimeNanoseconds
    let result = sparseEncode(inputs.samples, dictionary: inputs.dictionary, solver: solver)
    let solverSeconds = Double(DispatchTime.now().uptimeNanoseconds - solveStart) * 1e-9
    var summary = CodeSummary(
      result: result, samples: inputs.samples, dictionary: inputs.dictionary,
      solver: name, solverSeconds: solverSeconds)
    let outURL = URL(fileURLWithPath: outPath)
    if outURL.pathExtension.lowercased() == "npz" {
      try NPZFile.write(CSRMatrix(dense: result.codes), to: outURL)
    } else {
      try NPYFile.write(result.codes, to: outURL)
    }
    summary.totalSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    print(arguments.flag("json") ? summary.json.text : summary.text)
  }

  /// The value of a required option.
  private static func required(_ name: String, _ arguments: Arguments) throws(CLIError) -> String {
    guard let value = arguments.value(name) else { throw .missingArgument("--\(name)", command: "code") }
    return value
  }

  /// The solver named by `--solver` with the options that apply to it, and its name.
  static func solver(from arguments: Arguments) throws(CLIError) -> (SparseCodingSolver, String) {
    let lambda =
      try arguments.value("lambda", expected: "a finite number >= 0") { text -> Float? in
        Float(text).flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
      } ?? 0.5
    let tolerance = try arguments.value("tolerance", expected: "a finite number >= 0") { text -> Float? in
      Float(text).flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
    }
    let iterations =
      try arguments.value("max-iterations", expected: "an integer >= 1") { Int($0).flatMap { $0 >= 1 ? $0 : nil } }
      ?? 1000
    let nonzeros = try arguments.value("nonzeros", expected: "an integer >= 1") {
      Int($0).flatMap { $0 >= 1 ? $0 : nil }
    }
    let positive = arguments.flag("positive")
    let name = arguments.value("solver") ?? "fista"
    switch name {
    case "fista":
      return (.fista(lambda: lambda, maxIterations: iterations, tolerance: tolerance ?? 1e-4, positive: positive), name)
    case "ista":
      return (.ista(lambda: lambda, maxIterations: iterations, tolerance: tolerance ?? 1e-4, positive: positive), name)
    case "cd":
      return (
        .coordinateDescent(lambda: lambda, maxIterations: iterations, tolerance: tolerance ?? 1e-4, positive: positive),
        name
      )
    case "lars": return (.lars(lambda: lambda, positive: positive), name)
    case "omp":
      if positive { throw .invalidValue(option: "positive", value: "omp", expected: "supported by omp") }
      return (.orthogonalMatchingPursuit(nonzeros: nonzeros, tolerance: tolerance), name)
    case "threshold": return (.threshold(lambda: lambda, positive: positive), name)
    default:
      throw .invalidValue(option: "solver", value: name, expected: "one of fista, ista, cd, lars, omp, threshold")
    }
  }
}
