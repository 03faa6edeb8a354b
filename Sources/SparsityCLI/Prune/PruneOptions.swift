// Parsing pruning options: `train --prune ...` and `sparsity prune`.

import SparsityNN

/// Parsers for the pruning values typed on the command line.
enum PruneOptions {
  /// The options `train` takes for gradual pruning.
  static let trainOptionNames: Set<String> = [
    "prune", "prune-start", "prune-end", "prune-scope", "prune-pattern", "prune-every",
  ]

  static let sparsityExpected = "a sparsity in [0, 1), such as 0.9"
  static let patternExpected = "N:M with 1 <= N < M <= 1024, such as 2:4"
  static let scopeExpected = "global or layer"
  static let everyExpected = "a positive number of steps, or epoch"

  /// A fraction in [0, 1).
  static func sparsity(_ text: String) -> Double? { Double(text).flatMap { $0 >= 0 && $0 < 1 ? $0 : nil } }

  /// `global` or `layer`.
  static func scope(_ text: String) -> PruningScope? { ["global": .global, "layer": .perLayer][text] }

  /// `N:M` with 1 ≤ N < M ≤ 1024.
  static func pattern(_ text: String) -> PruningPattern? {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
    guard parts.count == 2, let n = parts[0], let m = parts[1], n >= 1, n < m, m <= 1024 else { return nil }
    return .nOfM(n: n, m: m)
  }

  /// `epoch` or a positive number of steps.
  static func frequency(_ text: String) -> PruningSettings.Frequency? {
    if text == "epoch" { return .everyEpoch }
    return Int(text).flatMap { $0 > 0 ? .everySteps($0) : nil }
  }

  /// The gradual pruning that `train`'s flags ask for, or nil without `--prune` and
  /// `--prune-pattern`; `epochs` is the number of training epochs.
  /// - Throws: `CLIError` for a bad value, a ramp outside 1...epochs or ending before it starts,
  ///   and for `--prune-start/-end/-scope/-every` without `--prune`.
  static func training(_ arguments: Arguments, epochs: Int) throws -> PruningSettings? {
    let sparsity = try arguments.value("prune", expected: sparsityExpected, Self.sparsity)
    let pattern = try arguments.value("prune-pattern", expected: patternExpected, Self.pattern)
    let scope = try arguments.value("prune-scope", expected: scopeExpected, Self.scope)
    let every = try arguments.value("prune-every", expected: everyExpected, frequency)
    let epoch = { (text: String) -> Int? in Int(text).flatMap { $0 >= 1 && $0 <= epochs ? $0 : nil } }
    let start = try arguments.value("prune-start", expected: "an epoch from 1 to --epochs (\(epochs))", epoch) ?? 1
    guard sparsity != nil || pattern != nil else {
      if let given = ["prune-start", "prune-end", "prune-scope", "prune-every"].first(where: {
        arguments.value($0) != nil
      }) {
        throw CLIError.invalidInput("train: --\(given) needs --prune S (or --prune-pattern N:M)")
      }
      return nil
    }
    let end =
      try arguments.value("prune-end", expected: "an epoch from --prune-start (\(start)) to --epochs (\(epochs))") {
        text in
        epoch(text).flatMap { $0 >= start ? $0 : nil }
      } ?? Swift.max(start, (3 * epochs + 3) / 4)
    return PruningSettings(
      sparsity: sparsity ?? 0, scope: scope ?? .global, pattern: pattern ?? .unstructured, startEpoch: start,
      endEpoch: end,
      frequency: every ?? .everySteps(10))
  }
}
